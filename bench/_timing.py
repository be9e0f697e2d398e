"""How the bench times a statement, and how it writes a duration."""

from __future__ import annotations

import sys
import timeit
from dataclasses import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


@dataclass(frozen=True)
class Settings:
    """How long and how often to time."""

    repeat: int  # timed loops per statement; the minimum is kept
    min_time: float  # seconds each timed loop runs at least
    import_runs: int  # fresh interpreters per import figure; the median is kept
    large_runs: int  # validations of the ~10**5-node config; the minimum is kept
    large_budget: float  # seconds one large validation may be predicted to take before it is skipped


FULL = Settings(repeat=25, min_time=0.04, import_runs=7, large_runs=3, large_budget=60.0)
QUICK = Settings(repeat=3, min_time=0.05, import_runs=3, large_runs=1, large_budget=20.0)


def loop_count(timer: timeit.Timer, min_time: float) -> int:
    """Like ``Timer.autorange``, with a configurable target: 1, 2, 5, 10, 20, 50..."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            count = number * factor
            if timer.timeit(count) >= min_time:
                return count
        number *= 10


def per_call(stmt: str, namespace: dict[str, object], settings: Settings) -> float:
    """Seconds per execution of ``stmt``: minimum over ``settings.repeat`` timed loops.

    The statement runs once first as a warm-up: it fills caches and takes every
    first-use path (entry points, lazy imports) outside the timed loops.
    """
    return per_calls([(stmt, namespace)], settings)[0]


def per_calls(statements: Sequence[tuple[str, dict[str, object]]], settings: Settings) -> list[float]:
    """:func:`per_call` of each ``(statement, namespace)``, their timed loops taken in turns.

    Each of the ``settings.repeat`` rounds times one loop of every statement, one after
    the other, and each statement keeps its fastest loop. The two sides of a ratio are so
    timed in the same moments: on a shared machine whose speed drifts, timing one
    statement's loops in a quiet minute and the other's in a busy one moves a ratio by
    more than a change of the code would.
    """
    timers = [timeit.Timer(stmt, globals=namespace) for stmt, namespace in statements]
    for timer in timers:
        timer.timeit(1)
    counts = [loop_count(timer, settings.min_time) for timer in timers]
    best = [float("inf")] * len(timers)
    for _ in range(settings.repeat):
        for index, (timer, count) in enumerate(zip(timers, counts, strict=True)):
            best[index] = min(best[index], timer.timeit(count) / count)
    return best


def best_single_run(function: Callable[[], object], runs: int) -> float:
    """Seconds of the fastest of ``runs`` single calls (for statements that take seconds)."""
    return min(timeit.repeat(function, number=1, repeat=max(1, runs)))


def format_time(seconds: float | None) -> str:
    """``12.3 ns``, ``4.56 µs``, ``7.89 ms`` or ``1.23 s``; an en dash for no figure."""
    if seconds is None:
        return "\N{EN DASH}"
    ns = seconds * 1e9
    if ns < 1e3:
        return f"{ns:.1f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} \N{MICRO SIGN}s"
    if ns < 1e9:
        return f"{ns / 1e6:.2f} ms"
    return f"{seconds:.2f} s"


def progress(message: str) -> None:
    """What the bench is doing now, on stderr (the report goes to stdout)."""
    print(f"bench: {message}...", file=sys.stderr, flush=True)
