"""Scopes declared by installed distributions (entry-point group ``scopereg.scopes``).

Entry points are read once per process, on the first miss that needs them: never at
import time and never once per call. Each declared scope is imported at most once; a
scope whose module fails to import (with any exception: ``SystemExit`` too, only
``KeyboardInterrupt`` passes) gives one warning and leaves the others working.
"""

from __future__ import annotations

import _thread

from ._errors import ScopeDiscoveryWarning, UnknownScopeWarning, warn_at_caller
from ._fork import after_fork_in_child, forget_imports_of
from .text import close_matches, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from importlib.metadata import Distribution, EntryPoint

GROUP = "scopereg.scopes"

#: Every scope any registry of the process has declared, whatever its tree.
KNOWN_SCOPES: set[str] = set()

#: Unknown default scopes warned about, at most this many (names are remembered to warn once).
MAX_WARNED_SCOPES = 1024

_lock = _thread.RLock()
_declared: dict[str, list[EntryPoint]] | None = None
_attempted: dict[str, bool] = {}  # scope -> whether at least one entry point loaded
_failures: dict[str, str] = {}  # "dist: name = value" -> error, for reports
_top_level_dists: dict[str, list[str]] | None = None
_importing: dict[int, int] = {}  # thread -> how many entry-point imports it runs right now
_warned_unknown: set[str] = set()  # default scopes already warned about
_program: dict[str, list[EntryPoint]] = {}  # scope -> modules the program declared (declare)

#: The distribution named for a scope the program declared itself.
PROGRAM = "<declared by the program>"


def declared_scopes() -> dict[str, list[EntryPoint]]:
    """Every scope the installed distributions declare, read once per process.

    Example:
        >>> from scopereg._discovery import declared_scopes
        >>> "scopereg" in declared_scopes()  # scopereg declares its own root scope
        True
    """
    global _declared
    unreadable: dict[str, str] = {}
    with _lock:
        if _declared is not None:
            return _declared
        found: dict[str, list[EntryPoint]] = {}
        for ep in _read_entry_points(unreadable):
            found.setdefault(ep.name, []).append(ep)
        for scope, eps in _program.items():
            found.setdefault(scope, []).extend(eps)
        _declared = found
        new_failures = _record_failures(unreadable.items())
    for key, error in new_failures:
        warn_at_caller(
            f"scopereg: distribution {key.partition(':')[0]!r} has unreadable entry points "
            f"({error}); the scopes it declares are ignored. The other scopes keep working.",
            ScopeDiscoveryWarning,
        )
    return found


def _read_entry_points(unreadable: dict[str, str]) -> list[EntryPoint]:
    """The entry points of :data:`GROUP`; ``unreadable`` gets the distributions that failed.

    One distribution with a malformed ``entry_points.txt`` makes the bulk read fail for
    all of them, so on failure each distribution is read on its own.
    """
    from importlib.metadata import distributions, entry_points

    try:
        return list(entry_points(group=GROUP))
    except Exception:  # an unrelated distribution's metadata: find out which below
        pass
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for dist in distributions():
        name = _metadata_name(dist)
        if name in seen:  # the first of a name on sys.path wins, as for entry_points()
            continue
        seen.add(name)
        try:
            found.extend(ep for ep in dist.entry_points if ep.group == GROUP)
        except Exception as exc:
            unreadable[f"{name}: entry_points.txt"] = f"{type(exc).__name__}: {exc}"
    return found


def _metadata_name(dist: Distribution) -> str:
    try:
        name = dist.metadata["Name"]
    except Exception:  # metadata broken beyond its entry points
        name = None
    return str(name) if name else "<unknown distribution>"


def _record_failures(failures: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Remember failures (under ``_lock``); return the ones not seen before."""
    new = []
    for key, error in failures:
        if key not in _failures:
            _failures[key] = error
            new.append((key, error))
    return new


def distribution_name(ep: EntryPoint) -> str:
    """The name of the distribution that declares ``ep`` (:data:`PROGRAM` for the program's own)."""
    if ep in _program.get(ep.name, ()):
        return PROGRAM
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

    Whatever a plug-in raises at import, ``SystemExit`` included, is contained: it
    becomes one :class:`ScopeDiscoveryWarning` naming the distribution and the entry
    point, and :func:`failed_entry_points` lists it. Only ``KeyboardInterrupt`` passes.
    """
    declared = declared_scopes()
    with _lock:
        if scope in _attempted:
            return _attempted[scope]
        entry_points = list(declared.get(scope, ()))
    if not entry_points:
        return False  # undeclared names are not remembered: config data must not grow memory
    loaded = False
    failures: list[tuple[str, str]] = []
    for ep in entry_points:
        error = _load(ep)
        if error is None:
            loaded = True
        else:
            failures.append((_entry_point_key(ep), error))
    with _lock:
        _attempted[scope] = _attempted.get(scope, False) or loaded
        new_failures = _record_failures(failures)
    for key, error in new_failures:  # warned after the bookkeeping, in case warnings raise
        dist, _, entry_point = key.partition(": ")
        warn_at_caller(
            f"scopereg: scope {scope!r} declared by distribution {dist!r} ({entry_point!r}) "
            f"failed to import: {error}. The other scopes keep working.",
            ScopeDiscoveryWarning,
        )
    return loaded


def _load(ep: EntryPoint) -> str | None:
    """Import one entry point; the error as text when it fails, else None."""
    me = _thread.get_ident()
    with _lock:
        _importing[me] = _importing.get(me, 0) + 1  # nested: a plug-in may need another scope
    try:
        ep.load()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a broken plug-in, even one calling sys.exit(), is contained
        return f"{type(exc).__name__}: {exc}"
    finally:
        with _lock:
            if _importing[me] == 1:
                del _importing[me]
            else:
                _importing[me] -= 1
    return None


def _entry_point_key(ep: EntryPoint) -> str:
    return f"{distribution_name(ep)}: {ep.name} = {ep.value}"


def failure_of(scope: str) -> str | None:
    """Why the distribution(s) declaring ``scope`` failed to import, or None."""
    with _lock:
        reasons = [
            f"distribution {key.partition(':')[0]!r} failed to import it ({error})"
            for key, error in _failures.items()
            if key.partition(": ")[2].partition(" = ")[0] == scope
        ]
    return "; ".join(reasons) or None


def declaring_distributions() -> dict[str, list[str]]:
    """Declared scope -> the distributions declaring it (reads the entry points, imports nothing).

    Example:
        >>> from scopereg._discovery import declaring_distributions
        >>> declaring_distributions()["scopereg"]
        ['scopereg']
    """
    return {
        scope: sorted({distribution_name(ep) for ep in eps})
        for scope, eps in sorted(declared_scopes().items())
    }


def not_imported_yet() -> dict[str, list[str]]:
    """The declared scopes that no registry has yet and that were not tried: scope -> distributions."""
    declaring = declaring_distributions()
    with _lock:
        attempted = set(_attempted)
    return {s: d for s, d in declaring.items() if s not in KNOWN_SCOPES and s not in attempted}


def declared_scope_names() -> list[str]:
    """The names of the declared scopes, sorted (reads the entry points, imports nothing)."""
    return sorted(declared_scopes())


def describe_declared(limit: int = 12) -> str:
    """Which distributions declare which scopes, as a clause for messages (no final period).

    Example:
        >>> from scopereg._discovery import describe_declared
        >>> "'scopereg' (scopereg)" in describe_declared()
        True
    """
    declaring = declaring_distributions()
    if not declaring:
        return "no installed distribution declares a scope (entry-point group 'scopereg.scopes')"
    shown = [f"{scope!r} ({', '.join(dists)})" for scope, dists in list(declaring.items())[:limit]]
    more = f" and {len(declaring) - limit} more" if len(declaring) > limit else ""
    return f"scopes declared by installed distributions: {', '.join(shown)}{more}"


def scope_suggestions(scope: str, known: Iterable[str] = ()) -> list[str]:
    """Close matches of ``scope`` among ``known`` scopes, else among the declared ones.

    Declared scope names come from the entry points: nothing is imported.
    """
    return close_matches(scope, known) or close_matches(scope, declared_scopes())


def is_known_scope(scope: str) -> bool:
    """Whether a registry has ``scope`` or an installed distribution declares it (no import)."""
    return scope in KNOWN_SCOPES or scope in declared_scopes()


def warn_if_unknown_default(scope: str) -> None:
    """Warn (once per name) that default scope ``scope`` is neither registered nor declared."""
    if is_known_scope(scope):
        return
    with _lock:
        if scope in _warned_unknown:
            return
        if len(_warned_unknown) < MAX_WARNED_SCOPES:
            _warned_unknown.add(scope)
    hint = did_you_mean(scope_suggestions(scope, KNOWN_SCOPES | set(declared_scopes())))
    warn_at_caller(
        f"scopereg: default scope {scope!r} is the scope of no registry and no installed "
        "distribution declares it, so builds resolve in the registry asked."
        f"{hint} Note: {describe_declared()}.",
        UnknownScopeWarning,
    )


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
                return distribution_name(ep)
    return None


def declare(scope: str, module: str) -> None:
    """Declare ``scope`` as provided by ``module``, as an entry point would (the program's side)."""
    from importlib.metadata import EntryPoint

    ep = EntryPoint(name=scope, value=module, group=GROUP)
    with _lock:
        declared = _program.setdefault(scope, [])
        if ep in declared:
            return
        declared.append(ep)
        if _declared is not None:
            _declared.setdefault(scope, []).append(ep)
        if not _attempted.get(scope, False):
            _attempted.pop(scope, None)  # not found before: the new module is tried on the next miss


def _reset() -> None:
    """Forget everything read so far (tests only)."""
    global _declared, _top_level_dists
    with _lock:
        _declared = None
        _top_level_dists = None
        _attempted.clear()
        _failures.clear()
        _warned_unknown.clear()
        _program.clear()


def _after_fork_in_child() -> None:
    global _lock
    _lock = _thread.RLock()
    me = _thread.get_ident()
    forget_imports_of(set(_importing) - {me})  # their scopes get imported afresh
    for thread in [t for t in _importing if t != me]:
        del _importing[thread]


after_fork_in_child(_after_fork_in_child)
