"""scopereg: registries that build objects from configs across a family of packages.

A drop-in for ``mmengine.registry``: the same names and meanings, with a context-local
default scope, no import of anything a config names, errors that say what would be
right, and lookups that cost about a dict lookup.

Example:
    >>> from scopereg import Registry
    >>> MODELS = Registry("model", scope="doc_root")
    >>> ALPHA_MODELS = Registry("model", parent=MODELS, scope="doc_alpha")
    >>> @ALPHA_MODELS.register_module()
    ... class LogSoftmax:
    ...     def __init__(self, dim=None):
    ...         self.dim = dim
    >>> MODELS.build({"type": "doc_alpha.LogSoftmax", "dim": 1}).dim
    1
"""

from ._build import build_from_cfg, build_model_from_cfg
from ._compat import build_runner_from_cfg, build_scheduler_from_cfg
from ._config import load_config
from ._declared import DeclaredScope, declare_scope, discover_scopes
from ._diagnose import Resolution
from ._entries import Entry
from ._errors import (
    BuildArgumentsError,
    ConfigError,
    ConfigFileError,
    ConfigProblem,
    DefaultScopeChangeWarning,
    DeprecatedNameWarning,
    DuplicateNameError,
    DuplicateScopeError,
    LocationImportError,
    MissingTypeError,
    NotRegisteredError,
    ScopeDiscoveryWarning,
    ScoperegError,
    UnknownRegistryError,
    UnknownScopeError,
    UnknownScopeWarning,
)
from ._limits import MAX_DEPTH, MAX_NODES
from ._plan import plan
from ._provenance import Provenance
from ._registry import Registry
from ._report import count_registered_modules, traverse_registry_tree
from ._roots import (
    DATA_SAMPLERS,
    DATASETS,
    EVALUATOR,
    FUNCTIONS,
    HOOKS,
    INFERENCERS,
    LOG_PROCESSORS,
    LOOPS,
    METRICS,
    MODEL_WRAPPERS,
    MODELS,
    OPTIM_WRAPPER_CONSTRUCTORS,
    OPTIM_WRAPPERS,
    OPTIMIZERS,
    PARAM_SCHEDULERS,
    RUNNER_CONSTRUCTORS,
    RUNNERS,
    STRATEGIES,
    TASK_UTILS,
    TRANSFORMS,
    VISBACKENDS,
    VISUALIZERS,
    WEIGHT_INITIALIZERS,
    registry_for_key,
    root_registries,
)
from ._safety import allow_imports
from ._scope import DefaultScope, init_default_scope
from ._static import static_index
from ._static_model import DynamicRegistration, IndexedEntry, IndexedRegistry, StaticIndex
from ._steps import Plan, PlannedNode
from ._table import render_table
from ._version import __version__

__all__ = [
    "DATASETS",
    "DATA_SAMPLERS",
    "EVALUATOR",
    "FUNCTIONS",
    "HOOKS",
    "INFERENCERS",
    "LOG_PROCESSORS",
    "LOOPS",
    "MAX_DEPTH",
    "MAX_NODES",
    "METRICS",
    "MODELS",
    "MODEL_WRAPPERS",
    "OPTIMIZERS",
    "OPTIM_WRAPPERS",
    "OPTIM_WRAPPER_CONSTRUCTORS",
    "PARAM_SCHEDULERS",
    "RUNNERS",
    "RUNNER_CONSTRUCTORS",
    "STRATEGIES",
    "TASK_UTILS",
    "TRANSFORMS",
    "VISBACKENDS",
    "VISUALIZERS",
    "WEIGHT_INITIALIZERS",
    "BuildArgumentsError",
    "ConfigError",
    "ConfigFileError",
    "ConfigProblem",
    "DeclaredScope",
    "DefaultScope",
    "DefaultScopeChangeWarning",
    "DeprecatedNameWarning",
    "DuplicateNameError",
    "DuplicateScopeError",
    "DynamicRegistration",
    "Entry",
    "IndexedEntry",
    "IndexedRegistry",
    "LocationImportError",
    "MissingTypeError",
    "NotRegisteredError",
    "Plan",
    "PlannedNode",
    "Provenance",
    "Registry",
    "Resolution",
    "ScopeDiscoveryWarning",
    "ScoperegError",
    "StaticIndex",
    "UnknownRegistryError",
    "UnknownScopeError",
    "UnknownScopeWarning",
    "__version__",
    "allow_imports",
    "build_from_cfg",
    "build_model_from_cfg",
    "build_runner_from_cfg",
    "build_scheduler_from_cfg",
    "count_registered_modules",
    "declare_scope",
    "discover_scopes",
    "init_default_scope",
    "load_config",
    "plan",
    "registry_for_key",
    "render_table",
    "root_registries",
    "static_index",
    "traverse_registry_tree",
]
