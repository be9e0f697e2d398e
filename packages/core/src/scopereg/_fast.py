"""``Registry.build``'s hot paths: the builds that need no checking beyond a dict lookup.

A name built before from a dict (copied as a plain dict first), in the scope in force
or in a ``_scope_`` this tree has seen, is called after one lookup in a cache; every
other build (and every first one) takes :func:`~scopereg._build.build_checked`, which
fills those caches.

The hottest path, a name built before with no scope in force (or the registry's own),
does not look for ``_partial_`` or ``_registry_`` before calling a constructor that
Python itself refuses those keywords to before any of its code runs
(:func:`~scopereg._rejection.refuses_reserved_keys`): it hands a config that has one to
the full path when the call is refused. Other constructors are remembered apart
(``_loose_ctor_cache``), and the keys are looked for first.
"""

from __future__ import annotations

from ._build import build_checked
from ._entries import MANAGED
from ._rejection import raise_if_rejected
from ._scope import DefaultScope, _current, ephemeral_scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_current_scope = _current.get
_EPHEMERAL = DefaultScope._ephemeral


def registry_build(self: Any, cfg: Any, *args: Any, **kwargs: Any) -> Any:
    """Build an object from ``cfg`` with :attr:`build_func` (also ``build(cfg=...)``).

    ``Registry.build``. With the default ``build_func`` and a dict (a subclass such as
    MMEngine's ``ConfigDict`` too, copied as ``dict(cfg)`` copies it) whose name was built before, a
    build skips most of the checks: a dict copy, the lookup of the registry of the scope
    in force (or of ``_scope_``), one dict lookup, the call. Anything else goes through
    :func:`build_from_cfg`'s full path.

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
    if not (args or kwargs):
        try:
            # A TypeError when cfg is not a dict. A subclass with an __iter__ of its own (MMEngine's
            # ConfigDict, which builds lazy values as they are read) is read through it, as dict(cfg) is
            config = dict.copy(cfg)
        except TypeError:
            return _other_build(self, cfg, args, kwargs)
        if "_scope_" in config:
            return _cached_build(self, cfg, config, config["_scope_"], True)
        scope = _current_scope()._scope_name  # the default scope in force here, if any
        if scope is not None and scope != self._scope:
            return _cached_build(self, cfg, config, scope, False)
        try:  # no scope in force, or this registry's own: what was built before is called
            name = config.pop("type")
            call = self._ctor_cache[name]
        except (KeyError, TypeError):
            return _other_build(self, cfg, args, kwargs)
        if call is None:  # it takes **kwargs (or the like): the reserved keys are looked for
            call = self._loose_ctor_cache.get(name)
            if call is None or "_partial_" in config or "_registry_" in config:
                return build_checked(cfg, self, None)
        try:
            return call(**config)
        except TypeError as exc:
            if "_partial_" not in config and "_registry_" not in config:
                raise_if_rejected(exc, call, config, name, self)
                raise
        # Python refused a reserved key before the call ran: the full path, with no exception in flight
        return build_checked(cfg, self, None)
    return _other_build(self, cfg, args, kwargs)


def _other_build(self: Any, cfg: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A build the hot paths do not take: another build_func, extra arguments, a first build."""
    if args or kwargs or not self._hot_path:
        return self._build_func(cfg, *args, **kwargs, registry=self)
    return build_checked(cfg, self, None)


def _cached_build(registry: Any, cfg: Any, config: dict[Any, Any], scope: Any, switch: bool) -> Any:
    """``cfg`` (copied to ``config``) built from the cache of the registry of ``scope`` in this tree.

    ``scope`` is the default scope in force (another than the registry's own), or the
    config's ``_scope_`` when ``switch`` is true: then the build runs switched to it.
    Anything not cached, or not plain, takes the full path.
    """
    if type(scope) is not str or "_partial_" in config or "_registry_" in config or not registry._hot_path:
        return _other_build(registry, cfg, (), {})
    target = registry._index.scope_targets.get(scope)
    name = config.pop("type", None)
    try:
        obj_cls = target._cache[name]  # None (not looked up yet): caught below
    except (AttributeError, KeyError, TypeError):
        obj_cls = None
    if obj_cls is None or id(obj_cls) in MANAGED:
        return build_checked(cfg, registry, None)
    token = None
    if switch:
        del config["_scope_"]
        token = _current.set(_EPHEMERAL.get(scope) or ephemeral_scope(scope))
    try:
        return obj_cls(**config)
    except TypeError as exc:
        raise_if_rejected(exc, obj_cls, config, name, registry)
        raise
    finally:
        if token is not None:
            _current.reset(token)
