"""Small text helpers of the command line: counts and config key labels.

Did-you-mean and safe reprs come from :mod:`scopereg.text`, as the library's own
messages do, so the CLI's sentences read like the library's errors.
"""

from __future__ import annotations

from scopereg.text import join_path


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 name"``, ``"3 names"``; ``many`` is the plural when it is not ``word + "s"``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def key_label(key: object) -> str:
    """A top-level config key as a config path: ``model``, ``[2]`` for an int (as problems spell it)."""
    return join_path("", key)
