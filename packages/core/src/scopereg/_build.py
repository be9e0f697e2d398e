"""Building objects from configs: resolve the scope, resolve the name, call."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from . import _registry as _registry_module
from ._discovery import declared_scope_names, describe_declared, ensure_scope, failure_of, scope_suggestions
from ._errors import (
    BuildArgumentsError,
    ConfigError,
    ConfigProblem,
    MissingTypeError,
    UnknownRegistryError,
    UnknownScopeError,
    close_matches,
    did_you_mean,
)
from ._index import KNOWN_SCOPES
from ._limits import short_repr
from ._registry import Registry
from ._scope import DefaultScope, _current, _process, ephemeral_scope
from ._signature import describe_callable, signature_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_MISSING: Any = object()
_current_scope = _current.get
_EPHEMERAL = DefaultScope._ephemeral


def build_from_cfg(
    cfg: Mapping[str, Any],
    registry: Registry,
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
        TypeError: a mapping, ``type`` or ``registry`` has the wrong type.
        ConfigError: with ``recursive=True``, every problem of the config, with its path.

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
    if not isinstance(registry, Registry):
        raise TypeError(f"registry must be a scopereg.Registry, got {type(registry).__name__}")
    if recursive:
        from ._nested import build_recursive

        return build_recursive(cfg, registry, default_args)
    return build_checked(cfg, registry, default_args)


def build_checked(cfg: Mapping[str, Any], registry: Registry, default_args: Mapping[str, Any] | None) -> Any:
    """:func:`build_from_cfg` for a registry known to be one (``Registry.build`` calls it)."""
    if type(cfg) is dict:
        args = cfg.copy()
    elif isinstance(cfg, Mapping):
        args = dict(cfg)
    else:
        raise bad_value(
            "(config)",
            f"cfg must be a mapping with a 'type' key (a dict, a ConfigDict...), "
            f"got {type(cfg).__name__}: {short_repr(cfg)}",
        )
    if default_args is not None:
        if not isinstance(default_args, Mapping):
            raise bad_value(
                "(default_args)",
                f"default_args must be a mapping or None, got {type(default_args).__name__}: "
                f"{short_repr(default_args)}",
            )
        for key, value in default_args.items():
            args.setdefault(key, value)
    obj_type = args.pop("type", _MISSING)
    token = None
    partial = False
    if "_scope_" in args or "_partial_" in args or "_registry_" in args:
        registry, scope_name, partial = _special_keys(args, registry)
        if scope_name is not None:
            cached = registry._index.scope_targets.get(scope_name)
            # Not cached yet, or not in this tree: the full check (discovery, errors).
            target = check_scope(scope_name, registry) if cached is None else cached
            token = _current.set(_EPHEMERAL.get(scope_name) or ephemeral_scope(scope_name))
    if token is None:
        current = _current_scope() or _process[0]
        target = registry if current is None else _scope_target(registry, current._scope_name)
    try:
        try:
            obj_cls = target._cache[obj_type]  # str keys only: any other type falls through
        except (KeyError, TypeError):
            obj_cls = _resolve(obj_type, target, registry, args)
        if obj_cls is None:  # a cached miss
            obj_cls = _resolve(obj_type, target, registry, args)
        if partial:
            return _make_partial(obj_cls, args, obj_type, registry)
        try:
            return obj_cls(**args)
        except TypeError as exc:
            _raise_if_rejected(exc, obj_cls, args, obj_type, registry)
            raise  # raised inside the callable: pass it through untouched
    finally:
        if token is not None:
            _current.reset(token)


def _make_partial(obj_cls: Any, args: dict[str, Any], obj_type: Any, registry: Registry) -> Any:
    """``functools.partial(obj_cls, **args)``, once the keywords are known to fit."""
    problem = _rejected_arguments(obj_cls, args, partial=True)
    if problem is not None:
        raise BuildArgumentsError(_describe_rejection(obj_cls, obj_type, registry, problem))
    return functools.partial(obj_cls, **args)


def _special_keys(args: dict[str, Any], registry: Registry) -> tuple[Registry, str | None, bool]:
    """Pop and check ``_registry_``, ``_scope_`` and ``_partial_``: (registry, scope, partial)."""
    scope_name = args.pop("_scope_", None)
    partial = args.pop("_partial_", False)
    if not isinstance(partial, bool):
        message = f"{registry._label}: cfg['_partial_'] must be True or False, got {short_repr(partial)}"
        raise bad_value("_partial_", message)
    if "_registry_" in args:
        registry = other_root(args.pop("_registry_"), registry)
    if scope_name is not None and not isinstance(scope_name, str):
        raise _not_a_scope_name(scope_name, registry)
    return registry, scope_name, partial


def bad_value(path: str, message: str) -> ConfigError:
    """The error for one malformed value of a config: a :class:`ConfigError` with one problem."""
    return ConfigError(message, [ConfigProblem(path, "bad-value", message)])


def _not_a_scope_name(scope_name: object, registry: Registry) -> ConfigError:
    return bad_value(
        "_scope_",
        f"{registry._label}: cfg['_scope_'] must be a scope name (str), "
        f"got {type(scope_name).__name__}: {short_repr(scope_name)}",
    )


def other_root(name: object, registry: Registry) -> Registry:
    """The registry of ``registry``'s scope in the root registry called ``name``.

    ``name`` is a root's public name (``"OPTIMIZERS"``) or its registry name
    (``"optimizer"``). Falls back to the root itself when that tree lacks the scope.
    """
    from ._roots import ROOT_REGISTRIES

    if not isinstance(name, str):
        raise bad_value(
            "_registry_",
            f"{registry._label}: cfg['_registry_'] must be a str naming a root registry, "
            f"got {type(name).__name__}: {short_repr(name)}",
        )
    roots = {**{r.name: r for r in ROOT_REGISTRIES.values()}, **ROOT_REGISTRIES}
    root = roots.get(name) or roots.get(name.upper())
    if root is None:
        raise UnknownRegistryError(
            f"{registry._label}: cfg['_registry_'] = {name!r} names no root registry."
            + did_you_mean(close_matches(name, roots))
        )
    target = root._registry_for_scope(registry.scope)
    return root if target is None else target


def _scope_target(registry: Registry, scope_name: str) -> Registry:
    """The registry of ``scope_name`` in ``registry``'s tree, else ``registry`` itself."""
    target = registry._registry_for_scope(scope_name)
    return registry if target is None else target


def check_scope(scope_name: object, registry: Registry) -> Registry:
    """The registry a ``_scope_`` resolves in (the asked one when the tree lacks it).

    Raises ConfigError for a non-str, UnknownScopeError for a scope nobody declares.
    """
    if not isinstance(scope_name, str):
        raise _not_a_scope_name(scope_name, registry)
    if not scope_name or "." in scope_name:
        raise UnknownScopeError(
            f"{registry._label}: cfg['_scope_'] = {short_repr(scope_name)} is not a scope name: "
            "scope names are non-empty and have no '.'"
        )
    target = registry._registry_for_scope(scope_name)
    if target is None:
        if not ensure_scope(scope_name):
            failure = failure_of(scope_name)
            if failure is not None:
                raise UnknownScopeError(
                    f"{registry._label}: cfg['_scope_'] = {scope_name!r} is declared, but {failure}."
                )
            raise UnknownScopeError(
                f"{registry._label}: cfg['_scope_'] = {scope_name!r} names a scope that no registry "
                "declares and no installed distribution provides (entry-point group "
                "'scopereg.scopes')."
                + did_you_mean(scope_suggestions(scope_name, KNOWN_SCOPES | set(declared_scope_names())))
                + f" Note: {describe_declared()}."
            )
        target = registry  # a scope of other trees only: the asked registry answers
    return target


def _resolve(obj_type: Any, target: Registry, registry: Registry, args: dict[str, Any]) -> Any:
    """Resolve ``type`` in ``target`` (the scope's registry), then in ``registry`` (asked)."""
    if isinstance(obj_type, str):
        obj_cls = target.get(obj_type)
        if obj_cls is None:
            if target is not registry:
                obj_cls = registry.get(obj_type)
            if obj_cls is None:
                raise registry._missing(obj_type, target)
        return obj_cls
    if obj_type is _MISSING:
        keys = sorted(key if isinstance(key, str) else short_repr(key) for key in args)
        raise MissingTypeError(
            f"{registry._label}: the config has no 'type' key and default_args gives none "
            f"(keys: {short_repr(keys, 200)}); add type='<registered name>'"
        )
    if callable(obj_type):
        return obj_type
    raise bad_value(
        "type",
        f"{registry._label}: cfg['type'] must be a registered name (str) or a callable, "
        f"got {type(obj_type).__name__}: {short_repr(obj_type)}",
    )


def _raise_if_rejected(
    exc: TypeError, obj_cls: Any, args: dict[str, Any], obj_type: Any, registry: Registry
) -> None:
    """Raise BuildArgumentsError when ``exc`` means the arguments do not fit the signature.

    Python binds arguments before any line of a constructor runs, so a rejection found here
    happened before construction: nothing was half-built.
    """
    problem = _rejected_arguments(obj_cls, args)
    if problem is None and not all(isinstance(key, str) for key in args):
        problem = "keywords must be str, got " + ", ".join(
            short_repr(key) for key in args if not isinstance(key, str)
        )
    if problem is not None:
        raise BuildArgumentsError(_describe_rejection(obj_cls, obj_type, registry, problem)) from exc


def _rejected_arguments(obj_cls: Any, args: dict[Any, Any], *, partial: bool = False) -> str | None:
    """Why ``obj_cls(**args)`` cannot bind; None when it can (or cannot be told)."""
    signature = signature_of(obj_cls)
    if signature is None:
        return None
    problems = signature.problems(args, partial=partial)
    if not problems:
        return None
    return "; ".join(message for _, message in problems)


def _describe_rejection(obj_cls: Any, obj_type: Any, registry: Registry, reason: str) -> str:
    signature = signature_of(obj_cls)
    name = obj_type if isinstance(obj_type, str) else getattr(obj_cls, "__qualname__", repr(obj_cls))
    accepts = f" It accepts {signature.text}." if signature is not None else ""
    return (
        f"{registry._label}: {name!r} ({describe_callable(obj_cls)}) rejected the config's arguments: "
        f"{reason}.{accepts}"
    )


def build_model_from_cfg(
    cfg: Mapping[str, Any] | list[Mapping[str, Any]],
    registry: Registry,
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


_registry_module.DEFAULT_BUILD[:] = [build_from_cfg, build_checked]
