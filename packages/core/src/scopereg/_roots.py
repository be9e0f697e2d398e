"""The 23 root registries, with MMEngine's names and meanings, in scope ``scopereg``.

MODELS, MODEL_WRAPPERS, OPTIMIZERS, PARAM_SCHEDULERS, DATA_SAMPLERS and FUNCTIONS list scopereg's torch
registrations as ``locations``: imported on first use, never by ``import scopereg``.

Downstream libraries create child registries of these (``parent=MODELS``) in their own
scope, so that one library can build another's modules through scoped keys.
"""

from __future__ import annotations

from ._build import build_model_from_cfg
from ._registry import Registry
from ._tree import ROOTS

_SCOPE = "scopereg"


def _torch(module: str) -> list[str]:
    """Locations of scopereg's own torch registrations (extra ``scopereg[torch]``)."""
    return [f"scopereg.torch.{module}"]


#: Runners, such as an epoch-based runner.
RUNNERS = Registry("runner", scope=_SCOPE)
#: Objects that set up runners.
RUNNER_CONSTRUCTORS = Registry("runner constructor", scope=_SCOPE)
#: Training, validation and test loops.
LOOPS = Registry("loop", scope=_SCOPE)
#: Hooks called by runners, such as checkpointing.
HOOKS = Registry("hook", scope=_SCOPE)
#: Distributed and single-device strategies.
STRATEGIES = Registry("strategy", scope=_SCOPE)
#: Datasets.
DATASETS = Registry("dataset", scope=_SCOPE)
#: Samplers of dataset indices.
DATA_SAMPLERS = Registry("data sampler", scope=_SCOPE, locations=_torch("samplers"))
#: Data transforms.
TRANSFORMS = Registry("transform", scope=_SCOPE)
#: Models and layers; a list of configs builds a ``torch.nn.Sequential``.
MODELS = Registry("model", build_func=build_model_from_cfg, scope=_SCOPE, locations=_torch("models"))
#: Model wrappers, such as distributed data parallel.
MODEL_WRAPPERS = Registry("model_wrapper", scope=_SCOPE, locations=_torch("wrappers"))
#: Weight initializers.
WEIGHT_INITIALIZERS = Registry("weight initializer", scope=_SCOPE)
#: Optimizers.
OPTIMIZERS = Registry("optimizer", scope=_SCOPE, locations=_torch("optimizers"))
#: Optimizer wrappers.
OPTIM_WRAPPERS = Registry("optim_wrapper", scope=_SCOPE)
#: Constructors of optimizer wrappers.
OPTIM_WRAPPER_CONSTRUCTORS = Registry("optimizer wrapper constructor", scope=_SCOPE)
#: Parameter (learning rate, momentum) schedulers.
PARAM_SCHEDULERS = Registry("parameter scheduler", scope=_SCOPE, locations=_torch("schedulers"))
#: Evaluation metrics.
METRICS = Registry("metric", scope=_SCOPE)
#: Evaluators.
EVALUATOR = Registry("evaluator", scope=_SCOPE)
#: Task utilities, such as anchor generators and box coders.
TASK_UTILS = Registry("task util", scope=_SCOPE)
#: Visualizers.
VISUALIZERS = Registry("visualizer", scope=_SCOPE)
#: Visualization backends.
VISBACKENDS = Registry("vis_backend", scope=_SCOPE)
#: Log processors.
LOG_PROCESSORS = Registry("log_processor", scope=_SCOPE)
#: Inferencers.
INFERENCERS = Registry("inferencer", scope=_SCOPE)
#: Plain functions, such as collate functions.
FUNCTIONS = Registry("function", scope=_SCOPE, locations=_torch("functions"))

#: The root registries by their public names (``_registry_`` in configs names them).
ROOT_REGISTRIES: dict[str, Registry] = {
    name: value for name, value in globals().items() if isinstance(value, Registry)
}
ROOTS.update(ROOT_REGISTRIES)

#: Which root registry a top-level config key conventionally names (MMEngine configs).
CONVENTIONAL_KEYS = {
    "model": "MODELS",
    "loss": "MODELS",
    "data": "DATASETS",
    "dataset": "DATASETS",
    "train_dataset": "DATASETS",
    "val_dataset": "DATASETS",
    "optimizer": "OPTIMIZERS",
    "optim_wrapper": "OPTIM_WRAPPERS",
    "scheduler": "PARAM_SCHEDULERS",
    "param_scheduler": "PARAM_SCHEDULERS",
    "metric": "METRICS",
    "val_evaluator": "METRICS",
    "test_evaluator": "METRICS",
    "visualizer": "VISUALIZERS",
    "hooks": "HOOKS",
    "sampler": "DATA_SAMPLERS",
    "collate_fn": "FUNCTIONS",
}


def root_registries() -> dict[str, Registry]:
    """The 23 root registries by public name (``"MODELS"``), in MMEngine's order.

    Example:
        >>> from scopereg import root_registries
        >>> root_registries()["OPTIMIZERS"].name
        'optimizer'
    """
    return dict(ROOT_REGISTRIES)


def registry_for_key(key: str) -> Registry | None:
    """The root registry a top-level config key conventionally builds with, or None.

    Example:
        >>> from scopereg import registry_for_key
        >>> registry_for_key("optimizer").name, registry_for_key("colour")
        ('optimizer', None)
    """
    name = CONVENTIONAL_KEYS.get(key)
    return None if name is None else ROOT_REGISTRIES[name]
