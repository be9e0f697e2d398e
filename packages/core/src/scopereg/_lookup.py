"""Keys to entries: scoped keys, parents, the registry of a scope, and the caches.

- ``"Name"`` is searched in the registry asked, then in its ancestors up to the root.
- ``"scope.Name"`` is searched in the registry of that scope anywhere in the tree; a
  scope the tree does not have yet is first looked up among installed distributions.
- ``"a.b.Name"`` walks down from scope ``a`` to its child ``b``.
- Dotted import paths resolve only when an allowlist permits them, and are never cached.

``scopereg._diagnose`` builds on these to explain a key (``Registry.explain``).
"""

from __future__ import annotations

from ._discovery import load_scope
from ._errors import DeprecatedNameWarning, warn_at_caller
from ._locations import import_locations
from ._safety import context_patterns, import_if_allowed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._entries import Entry
    from ._tree import RegistryNode


def scope_registry(node: RegistryNode, scope: str) -> RegistryNode | None:
    """The registry of ``scope`` in ``node``'s tree, or None (absent, or ambiguous).

    ``node`` itself answers for its own scope. A scope the tree lacks is looked up
    among installed distributions once; the answer is cached per tree.
    """
    if scope == node._scope:
        return node
    index = node._index
    try:
        return index.scope_targets[scope]
    except KeyError:
        generation = index.generation
        target = index.unique(scope)
        if target is None and scope not in index.by_scope and load_scope(scope):
            target = index.unique(scope)
        index.store_scope(scope, target, generation)
        return target


def resolve(node: RegistryNode, key: str, *, warn: bool = True) -> tuple[Entry | None, bool]:
    """The entry ``key`` names from ``node``; the flag says whether every registry was loaded.

    ``warn=False`` follows deprecated names without warning (for checks, not lookups).
    """
    scope, dot, rest = key.partition(".")
    if not dot:
        return resolve_local(node, key, warn=warn)
    target = scope_registry(node, scope)
    if target is None:
        return None, False
    while True:
        head, dot, tail = rest.partition(".")
        if not dot:
            return resolve_local(target, rest, warn=warn)
        child = target._children.get(head)
        if child is None:
            return None, False
        target, rest = child, tail


def resolve_local(
    node: RegistryNode, name: str, seen: frozenset[str] = frozenset(), *, warn: bool = True
) -> tuple[Entry | None, bool]:
    """``name`` in ``node`` or its ancestors; deprecated names warn once and are never cached.

    Each registry's locations are imported when the search reaches it: a name found in a
    child never needs its ancestors' modules (nor fails for them).
    """
    complete = True
    for registry in node._chain:
        if not registry._imported and not import_locations(registry):
            complete = False
        entry = registry._entries.get(name)
        if entry is not None:
            return entry, complete
    for registry in node._chain:
        replacement = registry._deprecated.get(name)
        if replacement is not None and name not in seen:
            if warn and name not in registry._warned:
                registry._warned.add(name)
                warn_at_caller(deprecation_note(registry, name, replacement), DeprecatedNameWarning)
            if "." in replacement:
                return resolve(registry, replacement, warn=warn)[0], False
            return resolve_local(registry, replacement, seen | {name}, warn=warn)[0], False
    return None, complete


def deprecation_note(node: RegistryNode, alias: str, replacement: str) -> str:
    """The sentence that says ``alias`` is deprecated in ``node``."""
    return f"{node.label}: {alias!r} is deprecated; use {replacement!r} instead."


def lookup(node: RegistryNode, key: object) -> Any:
    """What ``node.get(key)`` returns on a cache miss: the object or None; the result is cached."""
    if not isinstance(key, str):
        raise TypeError(f"{node.label} registry keys are str, got {type(key).__name__}: {key!r}")
    generation = node._index.generation
    entry, complete = resolve(node, key)
    if entry is not None:
        if complete:
            node._index.store(node._cache, key, entry.obj, generation)
        return entry.obj
    if "." in key:
        # Never cached: whether a dotted path may be imported depends on the context.
        return import_if_allowed(key, node._allowed + context_patterns())
    if complete:
        node._index.store(node._cache, key, None, generation)
    return None


def lookup_entry(node: RegistryNode, key: str) -> Entry | None:
    """The entry ``key`` names from ``node`` (cached like :func:`lookup`), or None."""
    try:
        return node._entry_cache[key]
    except KeyError:
        generation = node._index.generation
        entry, complete = resolve(node, key)
        if complete:
            node._index.store(node._entry_cache, key, entry, generation)
        return entry
