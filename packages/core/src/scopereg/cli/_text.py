"""Small text helpers of the command line: counts, did-you-mean, safe reprs, config key labels.

scopereg's public API has no did-you-mean or safe-repr helper, so the command line keeps
its own (the core's are private: the CLI imports none of them). They follow the core's
spelling, so that the CLI's sentences read like the library's errors.
"""

from __future__ import annotations

import reprlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_repr = reprlib.Repr()
_repr.maxlevel = 3
_repr.maxstring = 60
_repr.maxother = 60
_repr.maxdict = _repr.maxlist = _repr.maxtuple = 6


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 name"``, ``"3 names"``; ``many`` is the plural when it is not ``word + "s"``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def close_matches(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` candidates that look like ``word``, best first (case-insensitive equals last)."""
    import difflib  # only the paths that suggest something pay for it

    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    lowered = word.lower()
    matches += [c for c in pool if c.lower() == lowered and c not in matches]
    return matches[:limit]


def did_you_mean(suggestions: Sequence[str]) -> str:
    """``" Did you mean 'a' or 'b'?"``, or nothing when there is no suggestion."""
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    options = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f" Did you mean {options}?"


def short_repr(value: object, limit: int = 80) -> str:
    """A repr of ``value`` that is short, and safe on cycles, depth and a failing ``__repr__``."""
    try:
        text = _repr.repr(value)
    except Exception:  # a __repr__ of the config's own objects failed: say what it was
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def key_label(key: object) -> str:
    """A top-level config key as a config path: ``model``, ``[2]`` for an int (as problems spell it)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"[{key}]"
    return key if isinstance(key, str) else short_repr(key, 40)
