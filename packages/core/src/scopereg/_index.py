"""The resolution state that every registry of one tree shares.

A tree is fixed at creation (a registry never changes parent), so the root creates one
:class:`TreeIndex` and every descendant holds the same object. Each registry keeps its
own name cache (a plain dict, so a hit costs one dict lookup); the index owns the
invalidation: any registration, new child or finished lazy import bumps the generation
and empties every cache of the tree. A lookup that raced with such a change is simply
not stored.
"""

from __future__ import annotations

import _thread
import weakref

from ._fork import after_fork_in_child

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._registry import Registry

#: Misses are cached too, but not without bound: a stream of random keys must not grow
#: the cache forever.
MAX_CACHED_ENTRIES = 1 << 16

#: Every scope any registry of the process has declared, whatever its tree.
KNOWN_SCOPES: set[str] = set()

#: Every live index, so that a forked child can give each a fresh lock.
_indexes: weakref.WeakSet[TreeIndex] = weakref.WeakSet()


class TreeIndex:
    """Caches and scope table of one registry tree."""

    __slots__ = ("__weakref__", "by_scope", "caches", "dirty", "generation", "lock", "scope_targets")

    def __init__(self) -> None:
        self.lock = _thread.RLock()
        self.generation = 0
        self.dirty = False
        self.caches: list[dict[str, Any]] = []
        self.by_scope: dict[str, list[Registry]] = {}
        self.scope_targets: dict[str, Registry | None] = {}
        _indexes.add(self)

    def add(self, registry: Registry) -> None:
        """Make ``registry`` part of the tree."""
        with self.lock:
            self.caches.append(registry._cache)
            self.by_scope.setdefault(registry.scope, []).append(registry)
            KNOWN_SCOPES.add(registry.scope)
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

    def store_scope(self, scope: str, target: Registry | None, generation: int) -> None:
        """Cache which registry of the tree answers for ``scope``."""
        with self.lock:
            if self.generation == generation and len(self.scope_targets) < MAX_CACHED_ENTRIES:
                self.scope_targets[scope] = target
                self.dirty = True

    def unique(self, scope: str) -> Registry | None:
        """The registry of ``scope`` in this tree, or None when absent or ambiguous."""
        found = self.by_scope.get(scope)
        return found[0] if found is not None and len(found) == 1 else None


def _after_fork_in_child() -> None:
    """Fresh locks in a forked child; the caches start over (a thread may have been mid-update)."""
    for index in list(_indexes):
        index.lock = _thread.RLock()
        index.dirty = True
        index.bump()


after_fork_in_child(_after_fork_in_child)
