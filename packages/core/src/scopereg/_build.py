"""Building objects from configs: one node on the fast path, a whole config through a plan.

A plain build (one mapping, nested values passed through untouched, as in MMEngine)
resolves the scope, resolves the name and calls: on a cached name it does little more
than a dict lookup and the call. A recursive build plans the whole config first
(:mod:`scopereg._plan`), so nothing is built when any node is wrong, then runs the plan's
steps children first.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._entries import MANAGED, constructor_of
from ._errors import BuildArgumentsError, ConfigError
from ._plan import plan
from ._quick import NOT_QUICK, quick_build
from ._rejection import describe_rejection, raise_if_rejected, refuses_reserved_keys, rejected_arguments
from ._reserved import (
    MISSING,
    bad_value,
    checked_partial,
    checked_scope,
    mapping_like,
    missing_type,
    other_root,
    resolve_type,
    scope_target,
)
from ._scope import DefaultScope, _current, ephemeral_scope, set_scope
from ._tree import RegistryNode
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._steps import PlannedNode, Step

_current_scope = _current.get
_EPHEMERAL = DefaultScope._ephemeral


def build_from_cfg(
    cfg: Mapping[str, Any],
    registry: RegistryNode,
    default_args: Mapping[str, Any] | None = None,
    *,
    recursive: bool = False,
) -> Any:
    """Build an object (or call a function) from a config mapping.

    ``cfg`` is any mapping with a ``type`` key: a registered name, or a class or
    callable. The other keys are keyword arguments; ``default_args`` fills what ``cfg``
    lacks, ``type`` included. Neither mapping is modified.

    The name resolves in the registry of the current default scope in this tree, and
    falls back to ``registry`` when it is not found there. ``_scope_`` switches the
    scope for this build and every build nested in it. ``_partial_: True`` returns a
    ``functools.partial`` of the callable instead of calling it. ``_registry_`` names
    another root registry (``"OPTIMIZERS"`` or ``"optimizer"``) to resolve in, in the same
    scope.

    With ``recursive=True``, nested mappings and lists that carry a ``type`` are built
    too, children before parents; the whole config is validated first, so nothing is
    built when any node is wrong (:class:`ConfigError` lists every problem with its
    path). Without it, nested mappings are passed through untouched, as in MMEngine.

    Raises:
        NotRegisteredError: the name is not registered in the scopes searched.
        MissingTypeError: neither mapping has a ``type``.
        BuildArgumentsError: the callable does not accept the arguments (a TypeError).
        ConfigError: a malformed value (a TypeError too: a cfg that is not a mapping, a
            ``type`` that is neither a name nor a callable, a ``_scope_`` that is not a
            str...); with ``recursive=True``, every problem of the config, with its path.
        UnknownScopeError, UnknownRegistryError: ``_scope_`` or ``_registry_`` names
            nothing.
        TypeError: ``registry`` is not a Registry.

    Example:
        >>> from scopereg import Registry, build_from_cfg
        >>> MODELS = Registry("model", scope="demo")
        >>> @MODELS.register_module()
        ... class ResNet:
        ...     def __init__(self, depth: int, stages: int = 4) -> None:
        ...         self.depth, self.stages = depth, stages
        >>> build_from_cfg({"type": "ResNet", "depth": 50}, MODELS).depth
        50
    """
    if not isinstance(registry, RegistryNode):
        raise TypeError(f"registry must be a scopereg.Registry object, but got {type(registry)}")
    if recursive:
        return build_recursive(cfg, registry, default_args)
    return build_checked(cfg, registry, default_args)


def build_checked(cfg: Any, registry: RegistryNode, default_args: Mapping[str, Any] | None) -> Any:
    """:func:`build_from_cfg` of one node, for a registry known to be one (the fast path)."""
    args = cfg.copy() if type(cfg) is dict else _copy_of(cfg, registry)
    if default_args is not None:
        _merge_defaults(args, default_args)
    obj_type = args.pop("type", MISSING)
    if obj_type is MISSING:
        raise missing_type(cfg, default_args, registry)
    if "_scope_" in args or "_partial_" in args or "_registry_" in args:
        return _build_special(args, obj_type, registry)
    name = _current_scope()._scope_name  # the default scope in force here, if any
    target = registry
    if name is not None and name != registry._scope:  # its registry in this tree (cached), else the one asked
        cached = registry._index.scope_targets.get(name)  # never `a or b`: an empty registry is falsy
        target = scope_target(registry, name) if cached is None else cached
    try:
        obj_cls = target._cache[obj_type]  # str keys only: any other type falls through
    except (KeyError, TypeError):
        obj_cls = None
    if obj_cls is None:  # not cached, or a cached miss: the full resolution, or its error
        obj_cls = resolve_type(obj_type, target, registry, args)
    elif target is registry and obj_type not in registry._ctor_cache:  # no scope, or its own
        _remember_constructor(registry, obj_type, obj_cls)
    call = constructor_of(obj_cls)  # get_instance for a class that keeps its instances (ManagerMixin)
    try:
        return call(**args)
    except TypeError as exc:
        raise_if_rejected(exc, call, args, obj_type, registry)
        raise  # raised inside the callable: pass it through untouched


def _copy_of(cfg: object, registry: RegistryNode) -> dict[Any, Any]:
    """A dict copy of a config that is not a plain dict: a Mapping, or a mapping-like object."""
    if isinstance(cfg, Mapping):
        return dict(cfg)
    copied = mapping_like(cfg)
    if copied is None:
        raise bad_value(
            "(config)",
            f"cfg should be a dict, ConfigDict or Config, but got {type(cfg)}. {registry.label}: cfg must "
            f"be a mapping with a 'type' key (a dict, a ConfigDict, or an object with keys() and "
            f"__getitem__ or to_dict()), got {type(cfg).__name__}: {short_repr(cfg)}",
        )
    return copied


def _remember_constructor(registry: RegistryNode, name: str, obj_cls: Any) -> None:
    """Let ``Registry.build``'s hot path call ``obj_cls`` for ``name`` (a cached, complete lookup).

    The hot path calls a constructor that :func:`refuses_reserved_keys` without looking
    for ``_partial_`` and ``_registry_`` first; any other is remembered as None, with the
    constructor in ``_loose_ctor_cache``, for a path that looks. Nothing is remembered for
    a registry whose ``build_func`` is not the default: its builds must all go through it.
    The verdict lasts until the tree changes, like the signature cache: a class whose
    ``__init__`` is replaced afterwards (``mock.patch``) keeps the verdict of the old one.
    """
    index = registry._index
    generation = index.generation
    if registry._hot_path and registry._cache.get(name) is obj_cls:  # read after the generation
        if refuses_reserved_keys(obj_cls):
            index.store(registry._ctor_cache, name, constructor_of(obj_cls), generation)
            return
        index.store(registry._loose_ctor_cache, name, constructor_of(obj_cls), generation)
        index.store(registry._ctor_cache, name, None, generation)  # after it: None is never alone


def _merge_defaults(args: dict[Any, Any], default_args: object) -> None:
    if not isinstance(default_args, Mapping):
        default_args = mapping_like(default_args, "(default_args)") or default_args
    if not isinstance(default_args, Mapping):
        raise bad_value(
            "(default_args)",
            f"default_args should be a dict, ConfigDict, Config or None, but got {type(default_args)}. "
            f"default_args must be a mapping or None, got {type(default_args).__name__}: "
            f"{short_repr(default_args)}",
        )
    for key, value in default_args.items():
        args.setdefault(key, value)


def _build_special(args: dict[Any, Any], obj_type: Any, registry: RegistryNode) -> Any:
    """A build whose config has ``_scope_``, ``_partial_`` or ``_registry_`` (popped and checked here)."""
    scope_name = args.pop("_scope_", None)
    partial = args.pop("_partial_", False)
    if partial is not False and partial is not True:
        checked_partial(partial, registry)  # raises
    if "_registry_" in args:
        registry = other_root(args.pop("_registry_"), registry)
    if scope_name is None:
        return _construct(obj_type, scope_target(registry, None), registry, args, partial)
    target = registry._index.scope_targets.get(scope_name) if type(scope_name) is str else None
    if target is None:  # not a scope of this tree seen before: the full check
        target = scope_target(registry, checked_scope(scope_name, registry))
    token = _current.set(_EPHEMERAL.get(scope_name) or ephemeral_scope(scope_name))
    try:
        return _construct(obj_type, target, registry, args, partial)
    finally:
        _current.reset(token)


def _construct(
    obj_type: Any, target: RegistryNode, registry: RegistryNode, args: dict[Any, Any], partial: bool
) -> Any:
    """Resolve ``obj_type`` in ``target`` (then ``registry``) and call it, or make the partial."""
    try:
        obj_cls = target._cache[obj_type]
    except (KeyError, TypeError):
        obj_cls = None
    if obj_cls is None:
        obj_cls = resolve_type(obj_type, target, registry, args)
    if partial:
        return _make_partial(obj_cls, args, obj_type, registry)
    call = constructor_of(obj_cls)
    try:
        return call(**args)
    except TypeError as exc:
        raise_if_rejected(exc, call, args, obj_type, registry)
        raise


def _make_partial(obj_cls: Any, args: dict[str, Any], obj_type: Any, registry: RegistryNode) -> Any:
    """``functools.partial(obj_cls, **args)``, once the keywords are known to fit."""
    reason = rejected_arguments(obj_cls, args, partial=True)
    if reason is not None:
        raise BuildArgumentsError(describe_rejection(obj_cls, obj_type, registry, reason))
    from functools import partial  # only partial builds pay for the import

    return partial(constructor_of(obj_cls), **args)


def build_recursive(cfg: Any, registry: RegistryNode, default_args: Mapping[str, Any] | None) -> Any:
    """Plan the whole config; build it children first when it has no problem.

    A plain config (see :mod:`scopereg._quick`) is checked and built without plan objects.
    """
    built = quick_build(cfg, registry, default_args)
    if built is not NOT_QUICK:
        return built
    found = plan(cfg, registry, default_args=default_args)
    if found.problems:
        listing = "\n".join(f"  - {problem}" for problem in found.problems)
        raise ConfigError(
            f"{registry.label}: the config has {len(found.problems)} problem(s):\n{listing}", found.problems
        )
    return run(found.steps)


def run(steps: list[Step]) -> Any:
    """Run a plan's steps in order; each takes its children's objects from the results so far.

    It uses the plan up: each step's template (the plan's own copy of the config's value)
    receives the built children and becomes the arguments, so a plan runs once.
    """
    results: list[Any] = []
    for step in steps:
        kind, slots = step.kind, step.slots
        if kind is None or kind is dict:
            values = step.template
            if slots:
                values.update(zip(slots, results[-len(slots) :], strict=True))
                del results[-len(slots) :]
            if kind is None:  # a PlannedNode
                node: PlannedNode = step  # type: ignore[assignment]
                call = node.call
                if node.scope is not None or node.partial or call is None or id(call) in MANAGED:
                    results.append(_call(node, values))
                    continue
                try:  # the common case, inline: no scope to switch, a plain call
                    results.append(call(**values))
                except TypeError as exc:
                    raise_if_rejected(exc, call, values, node.name, node.registry)
                    raise
                continue
        else:
            values = step.template
            if slots:
                for slot, obj in zip(slots, results[-len(slots) :], strict=True):
                    values[slot] = obj
                del results[-len(slots) :]
            if kind is tuple:
                values = tuple(values)
        results.append(values)
    return results[-1]


def _call(step: PlannedNode, kwargs: dict[Any, Any]) -> Any:
    call, registry = step.call, step.registry
    if call is None:  # a planned step always has one: only a plan with problems lacks it
        raise RuntimeError(f"scopereg: step {step.name!r} was planned without a callable")
    if id(call) in MANAGED:
        call = constructor_of(call)  # a class that manages its instances: its get_instance
    if step.scope is None and not step.partial:
        try:
            return call(**kwargs)
        except TypeError as exc:
            raise_if_rejected(exc, call, kwargs, step.name, registry)
            raise
    token = None if step.scope is None else set_scope(ephemeral_scope(step.scope))
    try:
        if step.partial:
            from functools import partial  # only partial builds pay for the import

            return partial(call, **kwargs)
        try:
            return call(**kwargs)
        except TypeError as exc:
            raise_if_rejected(exc, call, kwargs, step.name, registry)
            raise
    finally:
        if token is not None:
            _current.reset(token)


def build_model_from_cfg(
    cfg: Mapping[str, Any] | list[Mapping[str, Any]],
    registry: RegistryNode,
    default_args: Mapping[str, Any] | None = None,
    *,
    recursive: bool = False,
) -> Any:
    """Like :func:`build_from_cfg`, but a list of configs becomes ``torch.nn.Sequential``.

    torch is imported only when a list is given.

    Example:
        >>> from scopereg import Registry, build_model_from_cfg
        >>> MODELS = Registry("model", scope="demo", build_func=build_model_from_cfg)
        >>> @MODELS.register_module()
        ... class Identity:
        ...     pass
        >>> type(MODELS.build({"type": "Identity"})).__name__
        'Identity'
    """
    if isinstance(cfg, list):
        try:
            from torch import nn
        except ImportError as exc:
            raise ImportError(
                "building a list of model configs as torch.nn.Sequential needs torch: "
                "pip install 'scopereg[torch]'"
            ) from exc
        return nn.Sequential(
            *(build_from_cfg(item, registry, default_args, recursive=recursive) for item in cfg)
        )
    return build_from_cfg(cfg, registry, default_args, recursive=recursive)
