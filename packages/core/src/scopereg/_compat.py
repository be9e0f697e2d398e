"""MMEngine's other build functions, for registries that use them (``RUNNERS``, schedulers).

``build_runner_from_cfg`` builds a runner through its ``from_cfg`` classmethod, and
``build_scheduler_from_cfg`` builds a parameter scheduler, converting an epoch-based one
to an iteration-based one with ``convert_to_iter_based=True`` (through
``build_iter_from_epoch``), as MMEngine does. Both switch to ``_scope_`` first and raise
scopereg's errors, whose messages start with MMEngine's sentences.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._build import build_from_cfg
from ._errors import ConfigError, ConfigProblem, NotRegisteredError
from ._registry import Registry
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def build_runner_from_cfg(cfg: Mapping[str, Any], registry: Registry) -> Any:
    """Build a runner: ``registry[cfg.get("runner_type", "Runner")].from_cfg(cfg)``, in ``_scope_``.

    Example:
        >>> from scopereg import Registry, build_runner_from_cfg
        >>> RUNNERS = Registry("runner", scope="demo", build_func=build_runner_from_cfg)
        >>> @RUNNERS.register_module()
        ... class Runner:
        ...     def __init__(self, epochs):
        ...         self.epochs = epochs
        ...     @classmethod
        ...     def from_cfg(cls, cfg):
        ...         return cls(cfg["epochs"])
        >>> RUNNERS.build({"epochs": 3}).epochs
        3
    """
    args = _copy(cfg, "cfg")
    scope = args.pop("_scope_", None)
    with _checked(registry).switch_scope_and_registry(scope) as target:
        runner_cls = _class_of(args.get("runner_type", "Runner"), target, registry)
        return runner_cls.from_cfg(args)


def build_scheduler_from_cfg(
    cfg: Mapping[str, Any], registry: Registry, default_args: Mapping[str, Any] | None = None
) -> Any:
    """Build a parameter scheduler; ``convert_to_iter_based=True`` builds it per iteration.

    A converted scheduler needs ``epoch_length`` (usually in ``default_args``) and must be
    epoch-based (``by_epoch`` not False); it is built by the class's
    ``build_iter_from_epoch``. Otherwise ``epoch_length`` is dropped and the config is built
    as usual.

    Example:
        >>> from scopereg import Registry, build_scheduler_from_cfg
        >>> SCHEDULERS = Registry("scheduler", scope="demo", build_func=build_scheduler_from_cfg)
        >>> @SCHEDULERS.register_module()
        ... class StepLR:
        ...     def __init__(self, step, by_epoch=True):
        ...         self.step = step
        ...     @classmethod
        ...     def build_iter_from_epoch(cls, step, epoch_length, by_epoch=True):
        ...         return cls(step * epoch_length, by_epoch=False)
        >>> cfg = {"type": "StepLR", "step": 2, "convert_to_iter_based": True}
        >>> SCHEDULERS.build(cfg, default_args={"epoch_length": 10}).step
        20
    """
    args = _copy(cfg, "cfg")
    for name, value in _copy(default_args or {}, "default_args").items():
        args.setdefault(name, value)
    scope = args.pop("_scope_", None)
    if not args.pop("convert_to_iter_based", False):
        args.pop("epoch_length", None)
        return build_from_cfg({**args, "_scope_": scope} if scope is not None else args, _checked(registry))
    if "epoch_length" not in args or not args.get("by_epoch", True):
        message = (
            "Only epoch-based parameter scheduler can be converted to iter-based, and `epoch_length` should "
            f"be set. {registry.label}: convert_to_iter_based=True needs epoch_length and by_epoch=True"
        )
        raise ConfigError(message, [ConfigProblem("convert_to_iter_based", "bad-value", message)])
    with _checked(registry).switch_scope_and_registry(scope) as target:
        scheduler_cls = _class_of(args.pop("type", None), target, registry)
        return scheduler_cls.build_iter_from_epoch(**args)


def _checked(registry: object) -> Registry:
    if not isinstance(registry, Registry):
        raise TypeError(f"registry should be a scopereg.Registry object, but got {type(registry)}")
    return registry


def _copy(cfg: object, what: str) -> dict[str, Any]:
    if not isinstance(cfg, Mapping):
        message = f"{what} should be a dict, ConfigDict or Config, but got {type(cfg)}"
        raise ConfigError(message, [ConfigProblem(f"({what})", "bad-value", message)])
    return dict(cfg)


def _class_of(obj_type: object, target: Registry, registry: Registry) -> Any:
    if isinstance(obj_type, str):
        found = target.get(obj_type)
        if found is None:
            error = target.explain(obj_type).error()
            raise error if error is not None else NotRegisteredError(obj_type, key=obj_type)
        return found
    if isinstance(obj_type, type):
        return obj_type
    message = (
        f"type must be a str or valid type, but got {type(obj_type)}. {registry.label}: got "
        f"{short_repr(obj_type)}"
    )
    raise ConfigError(message, [ConfigProblem("type", "bad-value", message)])
