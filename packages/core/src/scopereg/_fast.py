"""``Registry.build``'s hot paths: the builds that need no checking beyond a dict lookup.

A name built before from a plain dict, in the scope in force or in a ``_scope_`` this
tree has seen, is called after one lookup in a cache; every other build (and every
first one) takes :func:`~scopereg._build.build_checked`, which fills those caches.

The hottest path, a name built before with no scope in force (or the registry's own),
does not look for ``_partial_`` or ``_registry_``: it only remembers constructors that
Python itself refuses those keywords to, before any of their code runs
(:func:`~scopereg._rejection.refuses_reserved_keys`), and hands a config that has one to
the full path when the call is refused.
"""

from __future__ import annotations

from ._build import build_checked
from ._entries import MANAGED, constructor_of
from ._rejection import raise_if_rejected
from ._scope import DefaultScope, _current, ephemeral_scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._tree import RegistryNode

_current_scope = _current.get
_EPHEMERAL = DefaultScope._ephemeral


def registry_build(self: Any, cfg: Any, *args: Any, **kwargs: Any) -> Any:
    """Build an object from ``cfg`` with :attr:`build_func` (also ``build(cfg=...)``).

    ``Registry.build``. With the default ``build_func`` and a plain dict whose name was
    built before, a build skips most of the checks: a dict copy, the lookup of the
    registry of the scope in force (or of ``_scope_``), one dict lookup, the call.
    Anything else goes through :func:`build_from_cfg`'s full path.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> @MODELS.register_module()
        ... class Linear:
        ...     def __init__(self, width: int = 1) -> None:
        ...         self.width = width
        >>> MODELS.build(cfg={"type": "Linear"}, default_args={"width": 8}).width
        8
    """
    if type(cfg) is dict and not (args or kwargs):
        if "_scope_" in cfg:
            return _switched_build(self, cfg)
        scope = _current_scope()._scope_name  # the default scope in force here, if any
        if scope is not None and scope != self._scope:
            return _other_build(self, cfg, args, kwargs)
        try:  # no scope in force, or this registry's own: what was built before is called
            call = self._ctor_cache[cfg["type"]]
        except (KeyError, TypeError):
            return _other_build(self, cfg, args, kwargs)
        if call is None:  # it takes **kwargs, or Python would not refuse a reserved key
            return _checked_call(self, cfg)
        config = cfg.copy()
        del config["type"]
        try:
            return call(**config)
        except TypeError as exc:
            if "_partial_" in config or "_registry_" in config:  # refused before it ran
                return build_checked(cfg, self, None)
            raise_if_rejected(exc, call, config, cfg["type"], self)
            raise
    return _other_build(self, cfg, args, kwargs)


def _other_build(self: Any, cfg: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A build the hottest path does not take: another build_func, another scope in force, a first build."""
    if args or kwargs or not self._hot_path:
        return self._build_func(cfg, *args, **kwargs, registry=self)
    if type(cfg) is dict and "_scope_" not in cfg and "_partial_" not in cfg and "_registry_" not in cfg:
        scope = _current_scope()._scope_name
        if scope is not None and scope != self._scope:  # built from the cache of that scope's registry
            return _cached_build(self, self._index.scope_targets.get(scope), cfg, None)
    return build_checked(cfg, self, None)


def _switched_build(registry: Any, cfg: dict[Any, Any]) -> Any:
    """A plain dict with ``_scope_``: built from the cache of that scope's registry, the scope switched."""
    scope = cfg["_scope_"]
    if type(scope) is not str or "_partial_" in cfg or "_registry_" in cfg or not registry._hot_path:
        return _other_build(registry, cfg, (), {})
    return _cached_build(registry, registry._index.scope_targets.get(scope), cfg, scope)


def _checked_call(registry: RegistryNode, cfg: dict[Any, Any]) -> Any:
    """The hot path for a constructor that takes any keyword: reserved keys are looked for first."""
    if "_partial_" in cfg or "_registry_" in cfg:
        return build_checked(cfg, registry, None)
    config = cfg.copy()
    name = config.pop("type")
    obj = registry._cache.get(name)
    if obj is None:  # forgotten since: the tree changed
        return build_checked(cfg, registry, None)
    call = constructor_of(obj)
    try:
        return call(**config)
    except TypeError as exc:
        raise_if_rejected(exc, call, config, name, registry)
        raise


def _cached_build(
    registry: RegistryNode, target: RegistryNode | None, cfg: dict[Any, Any], scope: str | None
) -> Any:
    """Build from ``target``'s cache, switched to ``scope`` when given; the full path if not cached."""
    config = cfg.copy()
    name = config.pop("type", None)
    try:
        obj_cls = target._cache[name]  # type: ignore[union-attr]  # None: caught below
    except (AttributeError, KeyError, TypeError):
        obj_cls = None
    if obj_cls is None or id(obj_cls) in MANAGED:
        return build_checked(cfg, registry, None)
    if scope is None:
        try:
            return obj_cls(**config)
        except TypeError as exc:
            raise_if_rejected(exc, obj_cls, config, name, registry)
            raise
    del config["_scope_"]
    token = _current.set(_EPHEMERAL.get(scope) or ephemeral_scope(scope))
    try:
        return obj_cls(**config)
    except TypeError as exc:
        raise_if_rejected(exc, obj_cls, config, name, registry)
        raise
    finally:
        _current.reset(token)
