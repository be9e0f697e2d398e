"""Scopes declared by installed distributions (entry-point group ``scopereg.scopes``).

Entry points are read once per process, on the first miss that needs them: never at
import time and never once per call. Each declared scope is imported at most once; a
scope whose module fails to import gives one warning and leaves the others working.
"""

from __future__ import annotations

import _thread
import os
import warnings

from . import _metadata
from ._errors import ScopeDiscoveryWarning
from ._metadata import declared_scopes, distribution_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

#: Every scope any registry of the process has declared, whatever its tree.
KNOWN_SCOPES: set[str] = set()

_lock = _thread.RLock()
_attempted: dict[str, bool] = {}  # scope -> whether at least one entry point loaded
_failures: dict[str, str] = {}  # "dist: name = value" -> error, for reports


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
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a broken plug-in, SystemExit included, must not break the others
            failures.append((ep, f"{type(exc).__name__}: {exc}"))
        else:
            loaded = True
    new_failures = []
    with _lock:
        _attempted[scope] = _attempted.get(scope, False) or loaded
        for ep, error in failures:
            key = f"{distribution_name(ep)}: {ep.name} = {ep.value}"
            if key not in _failures:
                _failures[key] = error
                new_failures.append((ep, error))
    for ep, error in new_failures:  # warned after the bookkeeping, in case warnings raise
        warnings.warn(
            f"scopereg: scope {scope!r} declared by distribution {distribution_name(ep)!r} "
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


def _reset() -> None:
    """Forget everything read and attempted so far (tests only)."""
    _metadata.reset()
    with _lock:
        _attempted.clear()
        _failures.clear()


def _after_fork_in_child() -> None:
    global _lock
    _lock = _thread.RLock()  # another thread may have held it while the process forked


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class DeclaredScope:
    """A scope an installed distribution declares through the ``scopereg.scopes`` entry points.

    Attributes:
        scope: the scope name (the entry point's name).
        distribution: the distribution that declares it.
        entry_point: ``"name = value"``, as written in the distribution's metadata.
        error: why its module failed to import, when it was tried and failed; else None.

    Example:
        >>> from scopereg import discover_scopes
        >>> [declared.distribution for declared in discover_scopes() if declared.scope == "scopereg"]
        ['scopereg']
    """

    __slots__ = ("distribution", "entry_point", "error", "scope")

    def __init__(self, scope: str, distribution: str, entry_point: str, error: str | None) -> None:
        self.scope = scope
        self.distribution = distribution
        self.entry_point = entry_point
        self.error = error

    def __repr__(self) -> str:
        failed = "" if self.error is None else f", failed: {self.error}"
        return f"DeclaredScope({self.scope!r} by {self.distribution}: {self.entry_point}{failed})"


def discover_scopes(*, load: bool = False) -> list[DeclaredScope]:
    """Every scope the installed distributions declare, one item per entry point, by scope.

    With ``load=True`` each declared scope's module is imported first (as a config
    naming the scope would), so that :attr:`DeclaredScope.error` says which ones fail;
    failures also warn once (:class:`~scopereg.ScopeDiscoveryWarning`), as always.

    Example:
        >>> from scopereg import discover_scopes
        >>> "scopereg" in {declared.scope for declared in discover_scopes()}
        True
    """
    declared = declared_scopes()
    if load:
        for scope in sorted(declared):
            load_scope(scope)
    failures = failed_entry_points()
    found = []
    for scope in sorted(declared):
        for ep in declared[scope]:
            entry_point = f"{ep.name} = {ep.value}"
            error = failures.get(f"{distribution_name(ep)}: {entry_point}")
            found.append(DeclaredScope(scope, distribution_name(ep), entry_point, error))
    return found


__all__ = ["KNOWN_SCOPES", "DeclaredScope", "declared_scopes", "discover_scopes", "ensure_scope", "load_scope"]
