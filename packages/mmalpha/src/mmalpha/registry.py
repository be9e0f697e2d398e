"""mmalpha's registries: children of scopereg's root registries, in scope 'mmalpha'.

Each lists the modules that fill it as ``locations``; they are imported on first use.
This module imports nothing but scopereg.
"""

from scopereg import DATASETS as ROOT_DATASETS
from scopereg import METRICS as ROOT_METRICS
from scopereg import MODELS as ROOT_MODELS
from scopereg import TRANSFORMS as ROOT_TRANSFORMS
from scopereg import Registry

SCOPE = "mmalpha"

MODELS = Registry("model", parent=ROOT_MODELS, scope=SCOPE, locations=["mmalpha.models"])
DATASETS = Registry("dataset", parent=ROOT_DATASETS, scope=SCOPE, locations=["mmalpha.datasets"])
TRANSFORMS = Registry("transform", parent=ROOT_TRANSFORMS, scope=SCOPE, locations=["mmalpha.transforms"])
METRICS = Registry("metric", parent=ROOT_METRICS, scope=SCOPE, locations=["mmalpha.metrics"])

__all__ = ["DATASETS", "METRICS", "MODELS", "SCOPE", "TRANSFORMS"]
