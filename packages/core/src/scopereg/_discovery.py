"""Scopes declared by installed distributions (entry-point group ``scopereg.scopes``).

Entry points are read once per process, on the first miss that needs them: never at
import time and never once per call. Each declared scope is imported at most once; a
scope whose module fails to import gives one warning and leaves the others working.
"""

from __future__ import annotations

import _thread
import warnings

from ._errors import ScopeDiscoveryWarning
from ._fork import after_fork_in_child
from ._index import KNOWN_SCOPES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "scopereg.scopes"

_lock = _thread.RLock()
_declared: dict[str, list[EntryPoint]] | None = None
_attempted: dict[str, bool] = {}  # scope -> whether at least one entry point loaded
_failures: dict[str, str] = {}  # "dist: name = value" -> error, for reports
_top_level_dists: dict[str, list[str]] | None = None


def declared_scopes() -> dict[str, list[EntryPoint]]:
    """Every scope the installed distributions declare, read once per process.

    Example:
        >>> from scopereg._discovery import declared_scopes
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


def _distribution_name(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    name = getattr(dist, "name", None)
    return str(name) if name else "<unknown distribution>"


def ensure_scope(scope: str) -> bool:
    """Import the distribution module(s) declaring ``scope`` unless already done.

    Returns True when ``scope`` is declared by some registry (now or before).
    """
    if scope in KNOWN_SCOPES:
        return True
    return load_scope(scope) or scope in KNOWN_SCOPES


def load_scope(scope: str) -> bool:
    """Import the entry points that declare ``scope``, once. True if one loaded.

    No lock is held while a plug-in module imports (Python's import locks make each
    module run once); ours only guards the bookkeeping, so a plug-in that imports a
    module another thread is importing cannot deadlock with it.
    """
    with _lock:
        if scope in _attempted:
            return _attempted[scope]
        entry_points = list(declared_scopes().get(scope, ()))
    if not entry_points:
        return False  # undeclared names are not remembered: config data must not grow memory
    loaded = False
    failures: list[tuple[EntryPoint, str]] = []
    for ep in entry_points:
        try:
            ep.load()
        except Exception as exc:  # a broken plug-in must not break the others
            failures.append((ep, f"{type(exc).__name__}: {exc}"))
        else:
            loaded = True
    new_failures = []
    with _lock:
        _attempted[scope] = _attempted.get(scope, False) or loaded
        for ep, error in failures:
            key = f"{_distribution_name(ep)}: {ep.name} = {ep.value}"
            if key not in _failures:
                _failures[key] = error
                new_failures.append((ep, error))
    for ep, error in new_failures:  # warned after the bookkeeping, in case warnings raise
        warnings.warn(
            f"scopereg: scope {scope!r} declared by distribution {_distribution_name(ep)!r} "
            f"({ep.name} = {ep.value!r}) failed to import: {error}. The other scopes keep working.",
            ScopeDiscoveryWarning,
            stacklevel=2,
        )
    return loaded


def failure_of(scope: str) -> str | None:
    """Why the distribution(s) declaring ``scope`` failed to import, or None."""
    with _lock:
        reasons = [
            f"distribution {key.partition(':')[0]!r} failed to import it ({error})"
            for key, error in _failures.items()
            if key.partition(": ")[2].partition(" = ")[0] == scope
        ]
    return "; ".join(reasons) or None


def load_all_declared() -> None:
    """Import every declared scope (error paths only: for suggestions across libraries)."""
    for scope in list(declared_scopes()):
        load_scope(scope)


def failed_entry_points() -> dict[str, str]:
    """Entry points that failed to import so far: ``"dist: name = value" -> error``."""
    with _lock:
        return dict(_failures)


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
                return _distribution_name(ep)
    return None


def _reset() -> None:
    """Forget everything read so far (tests only)."""
    global _declared, _top_level_dists
    with _lock:
        _declared = None
        _top_level_dists = None
        _attempted.clear()
        _failures.clear()


def _after_fork_in_child() -> None:
    global _lock
    _lock = _thread.RLock()


after_fork_in_child(_after_fork_in_child)


__all__ = ["GROUP", "declared_scopes", "distribution_of", "ensure_scope", "load_scope"]
