"""``Registry.build``'s hot paths: the builds that need no checking beyond a dict lookup.

A name built before from a plain dict, in the scope in force or in a ``_scope_`` this
tree has seen, is called after one lookup in a cache; every other build (and every
first one) takes :func:`~scopereg._build.build_checked`, which fills those caches.
"""

from __future__ import annotations

from ._build import build_checked
from ._entries import MANAGED
from ._rejection import raise_if_rejected
from ._scope import SCOPES_IN_USE, DefaultScope, _current, _process, ephemeral_scope

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
    if args or kwargs or self._fast_build is None:
        return self._build_func(cfg, *args, **kwargs, registry=self)
    if type(cfg) is not dict or "_partial_" in cfg or "_registry_" in cfg:
        return build_checked(cfg, self, None)
    scope_name = cfg.get("_scope_")
    if scope_name is not None:
        scoped = self._index.scope_targets.get(scope_name) if type(scope_name) is str else None
        return _cached_build(self, scoped, cfg, scope_name)
    if SCOPES_IN_USE[0]:  # a scope was set once: another scope in force resolves elsewhere
        current = _current_scope() or _process[0]
        if current is not None and current._scope_name != self._scope:
            return _cached_build(self, self._index.scope_targets.get(current._scope_name), cfg, None)
    config = cfg.copy()  # no scope in force, or this registry's own: what was built before is called
    name = config.pop("type", None)
    try:
        call = self._ctor_cache[name]
    except (KeyError, TypeError):
        return build_checked(cfg, self, None)
    try:
        return call(**config)
    except TypeError as exc:
        raise_if_rejected(exc, call, config, name, self)
        raise


def _cached_build(
    registry: RegistryNode, target: RegistryNode | None, cfg: dict[Any, Any], scope: Any
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
    SCOPES_IN_USE[0] = True  # what set_scope does, inline
    token = _current.set(_EPHEMERAL.get(scope) or ephemeral_scope(scope))
    try:
        return obj_cls(**config)
    except TypeError as exc:
        raise_if_rejected(exc, obj_cls, config, name, registry)
        raise
    finally:
        _current.reset(token)
