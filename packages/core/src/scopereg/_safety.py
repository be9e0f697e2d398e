"""Program-side opt-in for dotted import paths (``"torch.optim.SGD"``): the allowlist grammar.

By default a key resolves only among registered names: a config is data and never makes
scopereg import a module. A program may allow dotted paths that match patterns, for a
block of code (:class:`allow_imports`), for a registry (``Registry(..., allow_imports=[...])``)
or for the ``custom_imports`` of a data config file (``load_config(..., allow_imports=[...])``).

Grammar (docs/security.md has the long form). A pattern is dotted segments, none empty:

- a plain name matches itself; ``*``, ``?`` and ``[...]`` match within ONE segment, never
  across a dot, and never a name starting with ``_`` (as shell globs skip dot-files);
- a segment ``**`` matches one or more whole segments (same restriction on ``_`` names);
- the first segment must be a plain name: a wildcard never chooses the top-level package
  to import (such a pattern is accepted but allows nothing); ``builtins`` and dunder
  segments are refused outright.

A module may be imported when its name matches a pattern or the beginning of one:
``torch.optim.*`` lets scopereg import ``torch``, ``torch.optim`` and ``torch.optim.X``. A key
resolves when it matches a pattern as a whole; scopereg imports its longest importable
prefix and takes the remaining segments as public attributes, never walking into a module
reached that way unless the module's own name matches a pattern as a whole. The object is
returned only if it is callable and defined where the allowlist reaches: inside the module
it was taken from (or a submodule), or at a home (``__module__.__qualname__``) that matches
a pattern itself.
"""

from __future__ import annotations

from contextvars import ContextVar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from contextvars import Token
    from typing import Any

_allowed: ContextVar[tuple[str, ...]] = ContextVar("scopereg_allowed_imports", default=())

_WILDCARD_CHARS = frozenset("*?[")
_GLOB_SYNTAX = frozenset("*?[]!-")
#: Never imported or walked into, whatever the patterns: it holds eval, exec, open, __import__.
_FORBIDDEN_MODULES = frozenset({"builtins"})


# -- patterns ---------------------------------------------------------------------------


def check_patterns(patterns: Iterable[str], what: str, *, modules: bool = False) -> tuple[str, ...]:
    """Validate allowlist patterns and return them as a tuple.

    ``modules=True`` is for patterns that name modules to import (``custom_imports``): one
    segment is then enough (``"mypkg"``); object patterns need at least two.

    Raises:
        TypeError: ``patterns`` is a single str (wrap it in a list) or not iterable, or a
            pattern is not a str.
        ValueError: a pattern breaks the grammar (empty segment, a ``**`` inside a segment, ...).
    """
    if isinstance(patterns, str):
        raise TypeError(f"{what} must be a sequence of patterns, not a str: wrap it in a list")
    try:
        checked = tuple(patterns)
    except TypeError:
        raise TypeError(
            f"{what} must be a sequence of patterns such as ['torch.optim.*'], got {type(patterns).__name__}"
        ) from None
    for pattern in checked:
        if not isinstance(pattern, str):
            raise TypeError(f"{what} patterns must be str, got {type(pattern).__name__}: {pattern!r}")
        problem = _pattern_problem(pattern, min_segments=1 if modules else 2)
        if problem:
            raise ValueError(f"{what} pattern {pattern!r} {problem}")
    return checked


def _pattern_problem(pattern: str, *, min_segments: int) -> str:
    """What is wrong with ``pattern``, or ``""``."""
    segments = pattern.split(".")
    if len(segments) < min_segments:
        return "must be a dotted path such as 'torch.optim.*'"
    for segment in segments:
        if not segment:
            return "has an empty segment: write dotted names such as 'torch.optim.*'"
        if segment == "**":
            continue
        if "**" in segment:
            return f"uses '**' inside the segment {segment!r}: '**' stands alone between dots"
        if not _is_wildcard(segment) and not segment.isidentifier():
            return f"has the segment {segment!r}, which is neither a Python name nor a glob"
        if _is_wildcard(segment) and not all(c.isalnum() or c == "_" or c in _GLOB_SYNTAX for c in segment):
            return f"has the segment {segment!r}: globs use names, '*', '?' and '[...]' only"
        if _is_dunder(segment):
            return f"names {segment!r}: dunder names are never allowed"
    if segments[0] in _FORBIDDEN_MODULES:
        return "names builtins, which is never allowed: register the builtins you need instead"
    return ""


def _is_wildcard(segment: str) -> bool:
    return segment == "**" or not _WILDCARD_CHARS.isdisjoint(segment)


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


_PARSED: dict[str, tuple[str, ...] | None] = {}  # patterns come from the program: few


def _parsed(pattern: str) -> tuple[str, ...] | None:
    """The segments of ``pattern``, or None when it can allow nothing (wildcard first)."""
    try:
        return _PARSED[pattern]
    except KeyError:
        segments = tuple(pattern.split("."))
        parsed = None if _is_wildcard(segments[0]) else segments
        if len(_PARSED) < 1024:
            _PARSED[pattern] = parsed
        return parsed


def _name_segments(name: str) -> list[str] | None:
    """The segments of a dotted name, or None unless every one is a Python name."""
    segments = name.split(".")
    return segments if all(segment.isidentifier() for segment in segments) else None


# -- matching -----------------------------------------------------------------------------


def _segment_matches(segment: str, pattern_segment: str) -> bool:
    if not _is_wildcard(pattern_segment):
        return segment == pattern_segment
    if segment.startswith("_"):
        return False  # wildcards never reach private or dunder names
    from fnmatch import fnmatchcase

    return pattern_segment == "**" or fnmatchcase(segment, pattern_segment)


def _advance(states: set[int], segment: str, pattern: tuple[str, ...]) -> set[int]:
    """Pattern positions reachable after consuming ``segment`` from positions ``states``.

    Position ``j`` means "``pattern[j]`` matches the next segment". A ``**`` at ``j`` that
    consumed a segment may stay at ``j`` (to consume more) or move on to ``j + 1``.
    """
    following: set[int] = set()
    for j in states:
        if j < len(pattern) and _segment_matches(segment, pattern[j]):
            following.add(j + 1)
            if pattern[j] == "**":
                following.add(j)
    return following


def _matched_positions(segments: list[str], pattern: tuple[str, ...]) -> tuple[int, set[int]]:
    """How many leading ``segments`` match a beginning of ``pattern``, and the final positions."""
    states = {0}
    for count, segment in enumerate(segments):
        following = _advance(states, segment, pattern)
        if not following:
            return count, states
        states = following
    return len(segments), states


def _matches(segments: list[str], pattern: str) -> bool:
    """Whether the dotted ``segments`` match ``pattern`` as a whole."""
    parsed = _parsed(pattern)
    if parsed is None:
        return False
    count, states = _matched_positions(segments, parsed)
    return count == len(segments) and len(parsed) in states


def _reach(segments: list[str], patterns: tuple[str, ...]) -> int:
    """How many leading ``segments`` name a module that ``patterns`` let us import."""
    if segments[0] in _FORBIDDEN_MODULES:
        return 0
    best = 0
    for pattern in patterns:
        parsed = _parsed(pattern)
        if parsed is not None:
            best = max(best, _matched_positions(segments, parsed)[0])
    return best


def module_allowed(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether the module ``name`` may be imported: it matches a pattern or a beginning of one.

    Example:
        >>> from scopereg._safety import module_allowed
        >>> [module_allowed(m, ("mypkg.*",)) for m in ("mypkg", "mypkg.models", "mypkg.models.deep")]
        [True, True, False]
        >>> module_allowed("mypkg.models.deep", ("mypkg.**",))
        True
    """
    segments = _name_segments(name) if isinstance(name, str) else None
    return segments is not None and _reach(segments, patterns) == len(segments)


def _module_matches(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether the module ``name`` matches a pattern as a whole (not just a beginning of one).

    A module reached as an attribute needs this: ``torch.optim.optimizer.torch`` is the
    package ``torch``, which ``torch.optim.**`` lets scopereg import on the way to
    ``torch.optim`` but never opens for its own attributes (``torch.load``).
    """
    segments = _name_segments(name)
    return segments is not None and any(_matches(segments, pattern) for pattern in patterns)


# -- the program's opt-in ------------------------------------------------------------------


class allow_imports:  # noqa: N801 - used like a function, as contextlib helpers are
    """Allow dotted import paths matching ``patterns`` inside a ``with`` block.

    The allowlist is context-local: other threads and tasks keep their own. A pattern is
    dotted segments: ``*`` (and ``?``, ``[...]``) matches within one segment, never across a
    dot, and ``**`` matches one or more whole segments; wildcards never match names starting
    with ``_``. So ``torch.optim.*`` allows the classes in ``torch.optim`` and nothing below
    it. scopereg never walks into a module reached as an attribute unless a pattern names
    that module as a whole, and the object found must be defined where the allowlist
    reaches: see docs/security.md.

    Raises:
        TypeError: a pattern is not a str.
        ValueError: a pattern is not dotted or breaks the grammar (empty segment, ...).

    Example:
        >>> from scopereg import Registry, allow_imports
        >>> FUNCS = Registry("function", scope="demo")
        >>> FUNCS.get("json.dumps") is None
        True
        >>> with allow_imports("json.*"):
        ...     FUNCS.get("json.dumps").__name__, FUNCS.get("json.decoder.JSONDecoder")
        ('dumps', None)
        >>> with allow_imports("json.decoder.*"):
        ...     FUNCS.get("json.decoder.JSONDecoder").__name__
        'JSONDecoder'
    """

    __slots__ = ("_patterns", "_token")

    def __init__(self, *patterns: str) -> None:
        self._patterns = check_patterns(patterns, "allow_imports")
        self._token: Token[tuple[str, ...]] | None = None

    def __enter__(self) -> allow_imports:
        self._token = _allowed.set(_allowed.get() + self._patterns)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _allowed.reset(self._token)
            self._token = None


def context_patterns() -> tuple[str, ...]:
    """Patterns allowed in the current context."""
    return _allowed.get()


# -- resolution --------------------------------------------------------------------------------


def import_if_allowed(key: str, patterns: tuple[str, ...]) -> Any:
    """The callable at dotted path ``key`` if the allowlist ``patterns`` permits it, else None.

    A key that is malformed (empty or non-name segments) or refused is answered with None.

    Raises:
        ImportError: an allowed module failed while being imported or searched.
    """
    if not patterns or not isinstance(key, str):
        return None
    segments = _name_segments(key)
    if segments is None or len(segments) < 2 or not any(_matches(segments, p) for p in patterns):
        return None
    try:
        return _resolve(segments, patterns)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit too: an allowed module must not end the program
        raise ImportError(f"allowed import path {key!r} failed: {exc!r}") from exc


def _resolve(segments: list[str], patterns: tuple[str, ...]) -> Any:
    importable = min(_reach(segments, patterns), len(segments) - 1)  # the last one is an attribute
    if importable == 0:
        return None
    count, obj = _import_longest(segments[:importable])
    if count == 0:
        return None
    container = ".".join(segments[:count])
    for attribute in segments[count:]:
        if attribute.startswith("_"):
            return None  # private and dunder attributes lead out of any allowlist
        obj = getattr(obj, attribute, None)
        if obj is None:
            return None
        if _is_module(obj):
            name = getattr(obj, "__name__", None)
            if not isinstance(name, str) or not _module_matches(name, patterns):
                return None  # never walk through a module that no pattern names as a whole
            container = name
    if not callable(obj) or _is_module(obj):
        return None
    return obj if _home_allowed(obj, container, patterns) else None


def _import_longest(segments: list[str]) -> tuple[int, Any]:
    """Import the longest existing module among the prefixes of ``segments`` (all allowed).

    Imports go from the top-level package down, so a missing package stops the walk at
    once. Returns how many segments the module has (0: not even the top-level package
    exists), and the module.
    """
    from importlib import import_module

    module: Any = None
    count = 0
    while count < len(segments) and (module is None or hasattr(module, "__path__")):
        name = ".".join(segments[: count + 1])  # only packages (with __path__) have submodules
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise  # the module exists but one of its own imports is missing
            break
        count += 1
    return count, module


def _is_module(obj: object) -> bool:
    import types

    return isinstance(obj, types.ModuleType)


def _home_allowed(obj: Any, container: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``obj`` was defined where the allowlist reaches.

    That is inside ``container`` (the module it was taken from) or one of its submodules,
    as ``torch.optim.SGD`` lives in ``torch.optim.sgd``; or at a home that a pattern allows.
    """
    module = getattr(obj, "__module__", None)
    if not isinstance(module, str) or module.split(".")[0] in _FORBIDDEN_MODULES:
        return False
    if module == container or module.startswith(container + "."):
        return True
    qualname = getattr(obj, "__qualname__", None)
    home = _name_segments(f"{module}.{qualname}") if isinstance(qualname, str) else None
    return home is not None and any(_matches(home, pattern) for pattern in patterns)
