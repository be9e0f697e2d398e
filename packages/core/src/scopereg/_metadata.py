"""What installed distributions declare: the ``scopereg.scopes`` entry points, read once.

Reading entry points costs milliseconds, so it happens once per process, on the first
question that needs it (never at ``import scopereg``). Nothing here imports a plug-in:
loading the modules behind the entry points is ``scopereg._discovery``'s job.
"""

from __future__ import annotations

import _thread
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: The entry-point group through which distributions declare their scopes.
GROUP = "scopereg.scopes"

_lock = _thread.RLock()
_declared: dict[str, list[EntryPoint]] | None = None
_top_level_dists: dict[str, list[str]] | None = None


def declared_scopes() -> dict[str, list[EntryPoint]]:
    """Every scope the installed distributions declare, read once per process.

    Example:
        >>> from scopereg._metadata import declared_scopes
        >>> "scopereg" in declared_scopes()  # scopereg declares its own root scope
        True
    """
    global _declared
    with _lock:
        if _declared is None:
            from importlib.metadata import entry_points

            found: dict[str, list[EntryPoint]] = {}
            for ep in entry_points(group=GROUP):
                found.setdefault(ep.name, []).append(ep)
            _declared = found
        return _declared


def distribution_name(ep: EntryPoint) -> str:
    """The name of the distribution that declares ``ep``."""
    dist = getattr(ep, "dist", None)
    name = getattr(dist, "name", None)
    return str(name) if name else "<unknown distribution>"


def distribution_of(module: str) -> str | None:
    """The installed distribution that provides ``module``, or None (stdlib, scripts)."""
    global _top_level_dists
    top = module.partition(".")[0]
    if not top or top == "__main__":
        return None
    with _lock:
        if _top_level_dists is None:
            from importlib.metadata import packages_distributions

            _top_level_dists = dict(packages_distributions())
        names = _top_level_dists.get(top)
    if names:
        return names[0]
    # Editable installs often ship only a .pth file, which hides their top-level
    # package; the scope entry point still names both the package and the distribution.
    for eps in declared_scopes().values():
        for ep in eps:
            if ep.value.partition(":")[0].partition(".")[0] == top:
                return distribution_name(ep)
    return None


def reset() -> None:
    """Forget what was read (tests, and the fork handler for the lock)."""
    global _declared, _top_level_dists
    with _lock:
        _declared = None
        _top_level_dists = None


def _after_fork_in_child() -> None:
    global _lock
    _lock = _thread.RLock()  # another thread may have held it while the process forked


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
