"""The reserved keys of a config node, checked the same way for a build and for a plan.

``type`` (a registered name or a callable), ``_scope_`` (the scope for the node and its
subtree), ``_registry_`` (another root registry, same scope) and ``_partial_`` (return a
``functools.partial``). A malformed value is a :class:`~scopereg.ConfigError` with one
``"bad-value"`` problem; an unknown scope or registry has its own error type.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._diagnose import explain, not_registered
from ._discovery import (
    KNOWN_SCOPES,
    declared_scopes,
    describe_declared,
    ensure_scope,
    failure_of,
    scope_suggestions,
)
from ._entries import remember_manager
from ._errors import ConfigError, ConfigProblem, MissingTypeError, UnknownRegistryError, UnknownScopeError
from ._lookup import lookup, scope_registry
from ._scope import current_scope
from ._tree import ROOTS
from .text import close_matches, did_you_mean, short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._tree import RegistryNode

#: The keys a node uses itself; every other key is an argument of the callable.
RESERVED = frozenset(("type", "_scope_", "_partial_", "_registry_"))

#: ``type`` is absent (``None`` is a value a config may hold).
MISSING: Any = object()


def mapping_like(value: object, path: str = "(config)") -> dict[Any, Any] | None:
    """A dict copy of a mapping-like config that is not a Mapping, else None.

    Mapping-like: it has ``to_dict()`` (MMEngine's ``Config``), or ``keys()`` and
    ``__getitem__``. Nothing is imported to tell (no mmengine), and the value is never
    changed. Raises ConfigError when reading it fails.
    """
    try:
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            result = to_dict()
            return dict(result) if isinstance(result, Mapping) else None
        keys = getattr(value, "keys", None)
        if callable(keys) and hasattr(type(value), "__getitem__"):
            return {key: value[key] for key in keys()}  # type: ignore[index]
    except Exception as exc:  # its own methods failed: the config cannot be read
        raise bad_value(
            path, f"{path} looks like a mapping but reading it failed: {type(exc).__name__}: {exc}"
        ) from exc
    return None


def bad_value(path: str, message: str) -> ConfigError:
    """The error for one malformed value of a config: a ConfigError with one problem."""
    return ConfigError(message, [ConfigProblem(path, "bad-value", message)])


def checked_partial(value: object, registry: RegistryNode) -> bool:
    """``_partial_`` as a bool."""
    if not isinstance(value, bool):
        raise bad_value(
            "_partial_", f"{registry.label}: cfg['_partial_'] must be True or False, got {short_repr(value)}"
        )
    return value


def checked_scope(scope_name: object, registry: RegistryNode) -> str:
    """``_scope_`` as a scope that some registry or installed distribution declares.

    Raises:
        ConfigError: not a str.
        UnknownScopeError: a name nobody declares, or a distribution that failed to import it.
    """
    if not isinstance(scope_name, str):
        raise bad_value(
            "_scope_",
            f"{registry.label}: cfg['_scope_'] must be a scope name (str), "
            f"got {type(scope_name).__name__}: {short_repr(scope_name)}",
        )
    if registry._index.scope_targets.get(scope_name) is not None or scope_name in KNOWN_SCOPES:
        return scope_name
    if not scope_name or "." in scope_name:
        raise UnknownScopeError(
            f"{registry.label}: cfg['_scope_'] = {short_repr(scope_name)} is not a scope name: "
            "scope names are non-empty and have no '.'"
        )
    if ensure_scope(scope_name):
        return scope_name
    failure = failure_of(scope_name)
    if failure is not None:
        raise UnknownScopeError(
            f"{registry.label}: cfg['_scope_'] = {scope_name!r} is declared, but {failure}."
        )
    raise UnknownScopeError(
        f"{registry.label}: cfg['_scope_'] = {scope_name!r} names a scope that no registry declares "
        "and no installed distribution provides (entry-point group 'scopereg.scopes')."
        + did_you_mean(scope_suggestions(scope_name, KNOWN_SCOPES | set(declared_scopes())))
        + f" Note: {describe_declared()}."
    )


def other_root(name: object, registry: RegistryNode) -> RegistryNode:
    """The registry of ``registry``'s scope in the root registry ``_registry_`` names.

    ``name`` is a root's public name (``"OPTIMIZERS"``) or its registry name
    (``"optimizer"``). Falls back to the root itself when that tree lacks the scope.
    """
    if not isinstance(name, str):
        raise bad_value(
            "_registry_",
            f"{registry.label}: cfg['_registry_'] must be a str naming a root registry, "
            f"got {type(name).__name__}: {short_repr(name)}",
        )
    roots = {**{root.name: root for root in ROOTS.values()}, **ROOTS}
    root = roots.get(name) or roots.get(name.upper())
    if root is None:
        raise UnknownRegistryError(
            f"{registry.label}: cfg['_registry_'] = {short_repr(name)} names no root registry."
            + did_you_mean(close_matches(name, roots))
        )
    target = scope_registry(root, registry.scope)
    return root if target is None else target


def scope_target(registry: RegistryNode, scope_name: str | None) -> RegistryNode:
    """Where a build from ``registry`` resolves in scope ``scope_name`` (None: the default scope)."""
    if scope_name is None:
        current = current_scope()
        if current is None:
            return registry
        scope_name = current.scope_name
    target = scope_registry(registry, scope_name)
    return registry if target is None else target


def missing_type(cfg: Any, default_args: Any, registry: RegistryNode) -> MissingTypeError:
    """The error for a config without ``type``, in MMEngine's words first."""
    keys = sorted({key if isinstance(key, str) else short_repr(key) for key in [*cfg, *(default_args or ())]})
    return MissingTypeError(
        f'`cfg` or `default_args` must contain the key "type", but got {_as_mmengine(cfg)}\n'
        f"{_as_mmengine(default_args)}. {registry.label}: the config has no 'type' key and default_args "
        f"gives none (keys: {short_repr(keys, 200)}); add type='<registered name>'"
    )


def _as_mmengine(value: Any, limit: int = 300) -> str:
    """``str(value)``, as MMEngine's messages print it, when that is short and safe; else a short repr."""
    try:
        text = str(value)
    except Exception:  # the config's own __str__ failed, or it is too deep: the safe form
        return short_repr(value)
    return text if len(text) <= limit else short_repr(value)


def resolve_type(obj_type: Any, target: RegistryNode, registry: RegistryNode, keys: object = ()) -> Any:
    """The callable ``type`` names: in ``target`` (the scope's registry), then ``registry`` (asked).

    Raises:
        NotRegisteredError: a name found in neither.
        MissingTypeError: ``obj_type`` is :data:`MISSING`; ``keys`` are the config's keys.
        ConfigError: neither a str nor a callable.
    """
    if isinstance(obj_type, str):
        found = target._cache.get(obj_type) or lookup(target, obj_type)
        if found is None and target is not registry:
            found = lookup(registry, obj_type)
        if found is None:
            raise not_registered(explain(registry, obj_type, target))
        return found
    if obj_type is MISSING:
        raise missing_type(keys, None, registry)
    if callable(obj_type):
        remember_manager(obj_type)  # a class the config passes directly may manage its instances
        return obj_type
    raise bad_value(
        "type",
        f"type must be a str or valid type, but got {type(obj_type)}. {registry.label}: cfg['type'] must "
        f"be a registered name (str) or a callable, got {type(obj_type).__name__}: {short_repr(obj_type)}",
    )
