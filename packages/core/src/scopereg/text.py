"""Text helpers scopereg's messages use, public for tools built on scopereg (its CLI too).

- :func:`close_matches` and :func:`did_you_mean`: the did-you-mean of every error;
- :func:`short_repr`: a repr that is short and safe on any value (cycles, depth, a
  failing ``__repr__``);
- :func:`join_path`: config paths as messages spell them (``model.layers[2]``).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

_repr: list[Any] = []  # a reprlib.Repr, made on first use (errors only)


def _short_repr_maker() -> Any:
    if not _repr:
        import reprlib

        made = reprlib.Repr()
        made.maxlevel = 3
        made.maxstring = made.maxother = 60
        made.maxdict = made.maxlist = made.maxtuple = 6
        _repr.append(made)
    return _repr[0]


def short_repr(value: object, limit: int = 80) -> str:
    """A repr of ``value`` that is short, and safe on cycles, depth and failing ``__repr__``.

    Example:
        >>> from scopereg.text import short_repr
        >>> looped = []
        >>> looped.append(looped)
        >>> short_repr(looped)
        '[[...]]'
    """
    try:
        text: str = _short_repr_maker().repr(value)
    except Exception:  # a __repr__ of the config's own objects failed: say what it was
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def join_path(path: str, key: object) -> str:
    """The config path of ``key`` below ``path``: ``model.backbone``, ``layers[2]``.

    Example:
        >>> from scopereg.text import join_path
        >>> join_path(join_path("", "model"), 2), join_path("model", "act")
        ('model[2]', 'model.act')
    """
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    text = key if isinstance(key, str) else short_repr(key, 40)
    return f"{path}.{text}" if path else text


def close_matches(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` candidates that look like ``word``, best first.

    Example:
        >>> from scopereg.text import close_matches
        >>> close_matches("LogSoftmx", ["LogSoftmax", "Softmax", "ReLU"])
        ['LogSoftmax', 'Softmax']
    """
    import difflib  # only error paths pay for it

    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    if len(matches) < limit:
        lowered = word.lower()
        for candidate in pool:
            if candidate.lower() == lowered and candidate not in matches:
                matches.append(candidate)
    return matches[:limit]


def did_you_mean(suggestions: Sequence[str], *, inline: bool = False) -> str:
    """Suggestions as a sentence (or, ``inline``, a parenthesis); empty when there are none.

    Example:
        >>> from scopereg.text import did_you_mean
        >>> did_you_mean(["ReLU", "ReLU6"])
        " Did you mean 'ReLU' or 'ReLU6'?"
    """
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    options = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f" (did you mean {options}?)" if inline else f" Did you mean {options}?"
