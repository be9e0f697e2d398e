"""The index every registry of one tree shares: caches, the scope table, one lock.

A tree is fixed at creation (a registry never changes parent), so the root creates one
:class:`TreeIndex` and every descendant holds the same object. Each registry keeps its
own name caches (plain dicts, so a hit costs one dict lookup); the index owns their
invalidation: a registration, a new child or a finished lazy import bumps the generation
and empties every cache of the tree. A lookup that raced with such a change is simply
not stored.
"""

from __future__ import annotations

import _thread
import weakref

from ._discovery import KNOWN_SCOPES
from ._fork import after_fork_in_child, forget_imports_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Misses are cached too, but not without bound: a stream of random keys must not grow
#: the caches forever.
MAX_CACHED_ENTRIES = 1 << 16

_indexes: weakref.WeakSet[TreeIndex] = weakref.WeakSet()


class TreeIndex:
    """Caches, scope table and lock of one registry tree."""

    __slots__ = ("__weakref__", "by_scope", "caches", "dirty", "generation", "lock", "scope_targets")

    def __init__(self) -> None:
        self.lock = _thread.RLock()
        self.generation = 0
        self.dirty = False
        self.caches: list[dict[str, Any]] = []
        self.by_scope: dict[str, list[Any]] = {}
        self.scope_targets: dict[str, Any | None] = {}
        _indexes.add(self)

    def add(self, node: Any) -> None:  # a RegistryNode, from the layer above
        """Make ``node`` part of the tree."""
        with self.lock:
            self.caches.extend((node._cache, node._entry_cache, node._ctor_cache, node._loose_ctor_cache))
            self.by_scope.setdefault(node.scope, []).append(node)
            KNOWN_SCOPES.add(node.scope)
            self.bump()

    def bump(self) -> None:
        """Invalidate every cache of the tree."""
        with self.lock:
            self.generation += 1
            if self.dirty:
                for cache in self.caches:
                    cache.clear()
                self.scope_targets.clear()
                self.dirty = False

    def store(self, cache: dict[str, Any], key: str, value: Any, generation: int) -> None:
        """Cache ``value`` unless the tree changed since ``generation`` was read."""
        with self.lock:
            if self.generation == generation and len(cache) < MAX_CACHED_ENTRIES:
                cache[key] = value
                self.dirty = True

    def store_scope(self, scope: str, target: Any | None, generation: int) -> None:
        """Cache which node of the tree answers for ``scope``."""
        with self.lock:
            if self.generation == generation and len(self.scope_targets) < MAX_CACHED_ENTRIES:
                self.scope_targets[scope] = target
                self.dirty = True

    def unique(self, scope: str) -> Any | None:
        """The node of ``scope`` in this tree, or None when absent or ambiguous."""
        found = self.by_scope.get(scope)
        return found[0] if found is not None and len(found) == 1 else None

    def nodes(self) -> list[Any]:
        """Every node of the tree."""
        return [node for nodes in list(self.by_scope.values()) for node in nodes]


def _after_fork_in_child() -> None:
    """A fork copies locks as they were: a lock another thread held would never be released.

    Every tree gets fresh locks and empty caches (a thread may have been mid-update), and
    an import of locations that another thread had in flight is retried by the child.
    """
    me = _thread.get_ident()
    gone: set[int] = set()
    for index in list(_indexes):
        index.lock = _thread.RLock()
        index.dirty = True
        index.bump()
        for node in index.nodes():
            node._import_lock = _thread.allocate_lock()
            gone.update(node._loading_threads - {me})
            node._loading_threads.intersection_update({me})
    forget_imports_of(gone)


after_fork_in_child(_after_fork_in_child)
