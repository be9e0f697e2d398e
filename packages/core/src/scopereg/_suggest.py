"""Did-you-mean: close matches for a misspelt name, and the sentence that offers them."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def close_matches(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` candidates that look like ``word``, best first.

    Example:
        >>> from scopereg._suggest import close_matches
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
        >>> from scopereg._suggest import did_you_mean
        >>> did_you_mean(["ReLU", "ReLU6"])
        " Did you mean 'ReLU' or 'ReLU6'?"
    """
    if not suggestions:
        return ""
    quoted = [repr(s) for s in suggestions]
    options = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f" (did you mean {options}?)" if inline else f" Did you mean {options}?"
