"""Building objects from configs: resolve the scope, resolve the name, call."""

from __future__ import annotations

from collections.abc import Mapping

from ._discovery import ensure_scope, failure_of
from ._errors import BuildArgumentsError, MissingTypeError, UnknownScopeError, close_matches, did_you_mean
from ._index import KNOWN_SCOPES
from ._registry import Registry
from ._scope import _current, _process, ephemeral_scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_MISSING: Any = object()
_current_scope = _current.get


def build_from_cfg(
    cfg: Mapping[str, Any],
    registry: Registry,
    default_args: Mapping[str, Any] | None = None,
) -> Any:
    """Build an object (or call a function) from a config mapping.

    ``cfg`` is any mapping with a ``type`` key: a registered name, or a class or
    callable. The other keys are keyword arguments; ``default_args`` fills what ``cfg``
    lacks, ``type`` included. Neither mapping is modified.

    The name resolves in the registry of the current default scope in this tree, and
    falls back to ``registry`` when it is not found there. ``_scope_`` switches the
    scope for this build and every build nested in it.

    Raises:
        NotRegisteredError: the name is not registered in the scopes searched.
        MissingTypeError: neither mapping has a ``type``.
        BuildArgumentsError: the callable does not accept the arguments (a TypeError).
        TypeError: a mapping, ``type`` or ``registry`` has the wrong type.

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
    if type(cfg) is dict:
        args = cfg.copy()
    elif isinstance(cfg, Mapping):
        args = dict(cfg)
    else:
        raise TypeError(
            f"cfg must be a mapping with a 'type' key (a dict, a ConfigDict...), "
            f"got {type(cfg).__name__}: {_short(cfg)}"
        )
    if not isinstance(registry, Registry):
        raise TypeError(f"registry must be a scopereg.Registry, got {type(registry).__name__}")
    if default_args is not None:
        if not isinstance(default_args, Mapping):
            raise TypeError(
                f"default_args must be a mapping or None, got {type(default_args).__name__}: "
                f"{_short(default_args)}"
            )
        for key, value in default_args.items():
            args.setdefault(key, value)
    obj_type = args.pop("type", _MISSING)
    if "_scope_" in args:
        scope_name = args.pop("_scope_")
        if scope_name is not None:
            return _build_in_scope(obj_type, args, registry, scope_name)
    current = _current_scope() or _process[0]
    target = registry if current is None else _scope_target(registry, current._scope_name)
    return _construct(obj_type, args, target, registry)


def _construct(obj_type: Any, args: dict[str, Any], target: Registry, registry: Registry) -> Any:
    """Resolve ``obj_type`` (a cache hit costs one dict lookup) and call it with ``args``."""
    try:
        obj_cls = target._cache[obj_type]  # str keys only: any other type falls through
    except (KeyError, TypeError):
        obj_cls = None
    if obj_cls is None:
        obj_cls = _resolve(obj_type, target, registry, args)
    try:
        return obj_cls(**args)
    except TypeError as exc:
        _raise_if_rejected(exc, obj_cls, args, obj_type, registry)
        raise  # raised inside the callable: pass it through untouched


def _scope_target(registry: Registry, scope_name: str) -> Registry:
    """The registry of ``scope_name`` in ``registry``'s tree, else ``registry`` itself."""
    target = registry._registry_for_scope(scope_name)
    return registry if target is None else target


def _build_in_scope(obj_type: Any, args: dict[str, Any], registry: Registry, scope_name: object) -> Any:
    if not isinstance(scope_name, str):
        raise TypeError(
            f"{registry._label}: cfg['_scope_'] must be a scope name (str), "
            f"got {type(scope_name).__name__}: {scope_name!r}"
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
                "'scopereg.scopes')." + did_you_mean(close_matches(scope_name, KNOWN_SCOPES))
            )
        target = registry  # a scope of other trees only: the asked registry answers
    token = _current.set(ephemeral_scope(scope_name))
    try:
        return _construct(obj_type, args, target, registry)
    finally:
        _current.reset(token)


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
        raise MissingTypeError(
            f"{registry._label}: the config has no 'type' key and default_args gives none "
            f"(keys: {sorted(map(str, args))}); add type='<registered name>'"
        )
    if callable(obj_type):
        return obj_type
    raise TypeError(
        f"{registry._label}: cfg['type'] must be a registered name (str) or a callable, "
        f"got {type(obj_type).__name__}: {_short(obj_type)}"
    )


def _raise_if_rejected(
    exc: TypeError, obj_cls: Any, args: dict[str, Any], obj_type: Any, registry: Registry
) -> None:
    """Raise BuildArgumentsError when ``exc`` means the arguments do not fit the signature."""
    problem = _rejected_arguments(obj_cls, args)
    if problem is not None:
        raise BuildArgumentsError(_describe_rejection(obj_cls, obj_type, registry, problem)) from exc


def _rejected_arguments(obj_cls: Any, args: dict[Any, Any]) -> tuple[str, str] | None:
    """Why ``obj_cls(**args)`` cannot bind, and its signature; None when it can."""
    import inspect

    try:
        signature = inspect.signature(obj_cls)
    except (TypeError, ValueError):
        return None
    try:
        signature.bind(**args)
    except TypeError as exc:
        params = signature.parameters
        keywords = [name for name, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        problems = []
        for key in args:
            if not isinstance(key, str):
                problems.append(f"keyword {key!r} is not a str")
            elif key not in keywords and not takes_any:
                problems.append(
                    f"unexpected keyword {key!r}" + did_you_mean(close_matches(key, keywords), inline=True)
                )
        problems.extend(
            f"missing required argument {name!r}"
            for name, p in params.items()
            if p.default is p.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            and name not in args
        )
        accepted = signature.replace(return_annotation=signature.empty)
        return ("; ".join(problems) or str(exc)), str(accepted)
    return None


def _describe_rejection(obj_cls: Any, obj_type: Any, registry: Registry, problem: tuple[str, str]) -> str:
    reason, signature = problem
    qualname = getattr(obj_cls, "__qualname__", None) or repr(obj_cls)
    where = f"{getattr(obj_cls, '__module__', '?')}.{qualname}"
    name = obj_type if isinstance(obj_type, str) else qualname
    return (
        f"{registry._label}: {name!r} ({where}) rejected the config's arguments: {reason}. "
        f"It accepts {signature}."
    )


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def build_model_from_cfg(
    cfg: Mapping[str, Any] | list[Mapping[str, Any]],
    registry: Registry,
    default_args: Mapping[str, Any] | None = None,
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
        return nn.Sequential(*(build_from_cfg(item, registry, default_args) for item in cfg))
    return build_from_cfg(cfg, registry, default_args)
