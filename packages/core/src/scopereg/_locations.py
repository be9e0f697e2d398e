"""Lazy locations: the modules a registry imports on its first use, once.

No lock of ours is held across an import: Python's per-module import locks run each
module body once however many threads ask, and they resolve circular imports between
threads, which a lock of ours held here would turn into a deadlock. Ours only guards the
bookkeeping, and a fork gives the child fresh ones (``scopereg._index``).
"""

from __future__ import annotations

import _thread

from ._errors import LocationImportError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._tree import RegistryNode


def import_locations(node: RegistryNode) -> bool:
    """Import ``node``'s own locations unless done; True when they are all imported."""
    from importlib import import_module

    me = _thread.get_ident()
    with node._import_lock:
        if node._imported:
            return True
        if me in node._loading_threads:
            return False  # a location module of ours is looking itself up
        node._loading_threads.add(me)
    complete = True
    try:
        for location in node._locations:
            try:
                module = import_module(location)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # a plug-in's fault, SystemExit included: never ours
                raise LocationImportError(
                    f"{node.label} registry could not import its location {location!r}: "
                    f"{type(exc).__name__}: {exc}. It will be tried again on the next use of the registry."
                ) from exc
            # Another thread may still be running it (a circular import across threads).
            if getattr(getattr(module, "__spec__", None), "_initializing", False):
                complete = False
    finally:
        with node._import_lock:
            node._loading_threads.discard(me)
    if complete:
        node._imported = True
        node._index.bump()
    return complete
