"""Time scopereg against mmengine.registry on the same operations; print one table.

Run by the nox session ``bench`` (``python -m nox -s bench``), or directly with
``python bench/bench.py [--quick]`` from an environment where both ``scopereg`` and
``mmengine==0.10.7`` are installed.

What is measured, per library, on equivalent registry trees built from the same classes:

- lookups: a local hit (``ROOT.get('Simple')``), a name found in the parent
  (``ALPHA.get('Simple')``) and a scoped key into a sibling (``BETA.get('alpha.Name')``);
- builds, creation of the config dict included: ``ROOT.build(dict(type='Simple', x=2))``,
  a scoped type (``BETA.build(dict(type='alpha.Name'))``) and a scope switch
  (``ROOT.build(dict(type='Name', _scope_='alpha'))``, ``Name`` registered only in alpha);
- scaling of lookups: 10 vs 100,000 names in one registry, a root name looked up from
  1 vs 8 levels deep, and a scoped key ``'s0.Name'`` among 2 vs 200 sibling scopes;
- ``import scopereg`` vs ``import mmengine.registry`` in fresh interpreters: the
  cumulative time ``-X importtime`` reports for the module (median of several runs), and
  the wall-clock time of ``python -c 'import X'`` minus that of ``python -c 'pass'``;
- baselines in plain Python: a dict lookup ``d[k]``, the direct call ``Simple(x=2)``
  and the empty statement (the timing loop's own cost, included in every figure).

How: each statement runs once as a warm-up (it fills caches, and no timed loop reads
entry points or imports a registry's locations); then ``timeit`` picks a loop count
that runs for at least ``min_time`` seconds, and the figure is the minimum over
``repeat`` loops, divided by the loop count. Garbage collection is off while timing, as
``timeit`` does by default. Every figure includes the timing loop's overhead (the
"empty statement" row), for the baselines too.

MMEngine is measured as it behaves out of the box: its ``get`` formats and emits
DEBUG log records, its scoped lookups try ``import_module(f'{scope}.registry')`` on
every call (the scope names used here are not importable packages, as MMEngine
expects), and ``_scope_`` creates a temporary ``DefaultScope``. The one warning it
prints (once; its logger filters repeats) is captured and reported below the table.

The targets at the end apply to scopereg. The script always exits 0: it is a report.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
from dataclasses import dataclass
from pathlib import Path

import mmengine
from mmengine.logging import MMLogger
from mmengine.registry import DefaultScope as MMDefaultScope
from mmengine.registry import Registry as MMRegistry

import scopereg

# -- settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How long and how often to time."""

    repeat: int  # timed loops per statement; the minimum is kept
    min_time: float  # seconds each timed loop runs at least
    import_runs: int  # fresh interpreters per import figure; the median is kept


FULL = Settings(repeat=5, min_time=0.2, import_runs=7)
QUICK = Settings(repeat=3, min_time=0.05, import_runs=3)

NAMES_SCALE = (10, 100_000)
DEPTH_SCALE = (1, 8)
SIBLINGS_SCALE = (2, 200)

#: Scopes that keys and ``_scope_`` name; MMEngine tries to import ``<scope>.registry``.
SCOPED_NAMES = ("alpha", "beta", "s0")

LIBRARIES = {"scopereg": scopereg.Registry, "mmengine": MMRegistry}
IMPORTS = {"scopereg": "scopereg", "mmengine": "mmengine.registry"}


# -- what gets registered ----------------------------------------------------------------


class Simple:
    """The class both libraries build and look up."""

    def __init__(self, x: int = 1) -> None:
        self.x = x


class Name:
    """A class registered in one child scope only ('alpha', or 's0')."""

    def __init__(self, x: int = 1) -> None:
        self.x = x


# -- timing ------------------------------------------------------------------------------


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
    """Seconds per execution of ``stmt``: minimum over ``settings.repeat`` timed loops."""
    timer = timeit.Timer(stmt, globals=namespace)
    timer.timeit(1)  # warm-up: fills caches, takes every first-use path once
    count = loop_count(timer, settings.min_time)
    return min(timer.repeat(settings.repeat, count)) / count


# -- trees -------------------------------------------------------------------------------


def main_tree(registry_cls: type) -> dict[str, object]:
    """Root 'benchroot' with children 'alpha' and 'beta'; Simple at the root, Name in alpha."""
    root = registry_cls("model", scope="benchroot")
    alpha = registry_cls("model", parent=root, scope="alpha")
    beta = registry_cls("model", parent=root, scope="beta")
    root.register_module(module=Simple)
    alpha.register_module(module=Name)
    return {"ROOT": root, "ALPHA": alpha, "BETA": beta}


def names_tree(registry_cls: type, count: int) -> tuple[dict[str, object], str]:
    """One registry holding ``count`` names, Simple among them."""
    root = registry_cls("model", scope=f"names{count}")
    root.register_module(module=Simple)
    root.register_module(module=Simple, name=[f"Filler{i}" for i in range(count - 1)])
    return {"R": root}, "R.get('Simple')"


def depth_tree(registry_cls: type, depth: int) -> tuple[dict[str, object], str]:
    """A chain ``depth`` registries below the root; Simple at the root, looked up from the leaf."""
    registry = registry_cls("model", scope=f"depth{depth}")
    registry.register_module(module=Simple)
    for level in range(1, depth + 1):
        registry = registry_cls("model", parent=registry, scope=f"level{level}")
    return {"R": registry}, "R.get('Simple')"


def siblings_tree(registry_cls: type, count: int) -> tuple[dict[str, object], str]:
    """A root with ``count`` children s0, s1...; Name in s0, looked up from s1."""
    root = registry_cls("model", scope=f"siblings{count}")
    children = [registry_cls("model", parent=root, scope=f"s{i}") for i in range(count)]
    children[0].register_module(module=Name)
    return {"R": children[1]}, "R.get('s0.Name')"


OPERATIONS = (
    ("get_local", "get, local hit      ROOT.get('Simple')", "ROOT.get('Simple')"),
    ("get_parent", "get via parent      ALPHA.get('Simple')", "ALPHA.get('Simple')"),
    ("get_sibling", "get sibling.Name    BETA.get('alpha.Name')", "BETA.get('alpha.Name')"),
    (
        "build",
        "build               ROOT.build(dict(type='Simple', x=2))",
        "ROOT.build(dict(type='Simple', x=2))",
    ),
    (
        "build_sibling",
        "build sibling.Name  BETA.build(dict(type='alpha.Name'))",
        "BETA.build(dict(type='alpha.Name'))",
    ),
    (
        "build_scope",
        "build _scope_       ROOT.build(dict(type='Name', _scope_='alpha'))",
        "ROOT.build(dict(type='Name', _scope_='alpha'))",
    ),
)

SCALES = (
    ("names", "get among {:,} names in one registry", names_tree, NAMES_SCALE),
    ("depth", "get a root name from depth {}", depth_tree, DEPTH_SCALE),
    ("siblings", "get 's0.Name' among {} sibling scopes", siblings_tree, SIBLINGS_SCALE),
)


# -- preconditions -----------------------------------------------------------------------


def check_preconditions() -> None:
    """Stop early if a scope name is importable or a default scope is already set."""
    importable = [name for name in SCOPED_NAMES if importlib.util.find_spec(name) is not None]
    if importable:
        sys.exit(f"bench: scope names {importable} are importable packages here; MMEngine would import them")
    check_no_default_scope("start")


def check_no_default_scope(when: str) -> None:
    """Both libraries must build without a default scope, so that every library does the same work."""
    current = {
        "scopereg": scopereg.DefaultScope.get_current_instance(),
        "mmengine": MMDefaultScope.get_current_instance(),
    }
    leftovers = {lib: scope for lib, scope in current.items() if scope is not None}
    if leftovers:
        sys.exit(f"bench: a default scope is set at {when}: {leftovers}")


@contextlib.contextmanager
def captured_mmengine_log(sink: io.StringIO):
    """Send MMEngine's log output to ``sink`` instead of stdout while measuring it."""
    logger = MMLogger.get_current_instance()  # what MMEngine's first log call creates anyway
    streams = [
        (handler, handler.setStream(sink))
        for handler in logger.handlers
        if hasattr(handler, "setStream") and getattr(handler, "stream", None) is sys.stdout
    ]
    try:
        yield
    finally:
        for handler, stream in streams:
            handler.setStream(stream)


# -- measurements ------------------------------------------------------------------------


def measure_baselines(settings: Settings) -> dict[str, float]:
    """Plain Python: a dict lookup, the direct call, the empty statement."""
    table = {"Simple": Simple, "Name": Name, **{f"Filler{i}": Simple for i in range(8)}}
    namespace = {"d": table, "k": "Simple", "Simple": Simple}
    return {
        "dict": per_call("d[k]", namespace, settings),
        "call": per_call("Simple(x=2)", namespace, settings),
        "empty": per_call("pass", namespace, settings),
    }


def measure_operations(registry_cls: type, settings: Settings) -> dict[str, float]:
    """The six get/build operations on a fresh main tree."""
    namespace = main_tree(registry_cls)
    check_no_default_scope("the start of the get/build measurements")
    times = {key: per_call(stmt, namespace, settings) for key, _, stmt in OPERATIONS}
    check_no_default_scope("the end of the get/build measurements")
    return times


def measure_scales(registry_cls: type, settings: Settings) -> dict[tuple[str, int], float]:
    """Each scaling lookup at its small and large size, on fresh trees."""
    times = {}
    for key, _, make_tree, sizes in SCALES:
        for size in sizes:
            namespace, stmt = make_tree(registry_cls, size)
            times[key, size] = per_call(stmt, namespace, settings)
    return times


def measure_library(lib: str, settings: Settings, log: io.StringIO) -> dict[object, float]:
    """Every in-process figure for one library."""
    registry_cls = LIBRARIES[lib]
    progress(f"timing {lib} get/build and scaling")
    quiet = captured_mmengine_log(log) if lib == "mmengine" else contextlib.nullcontext()
    with quiet:
        return {**measure_operations(registry_cls, settings), **measure_scales(registry_cls, settings)}


def subprocess_env() -> dict[str, str]:
    """The environment for fresh interpreters: bytecode caches used alike by both libraries."""
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run this interpreter from a directory that holds no package of either name."""
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
        check=True,
    )


def importtime_seconds(module: str, env: dict[str, str]) -> float:
    """Cumulative time ``-X importtime`` reports for ``module``'s top-level line."""
    stderr = run_python(["-X", "importtime", "-c", f"import {module}"], env).stderr
    for line in stderr.splitlines():
        fields = line.split("|")
        if len(fields) == 3 and fields[2] == f" {module}":
            return int(fields[1]) / 1e6
    raise RuntimeError(f"no top-level -X importtime line for {module!r} in:\n{stderr}")


def wall_seconds(code: str, env: dict[str, str]) -> float:
    """Wall-clock time of ``python -c code``."""
    start = time.perf_counter()
    run_python(["-c", code], env)
    return time.perf_counter() - start


def measure_imports(settings: Settings) -> dict[str, dict[str, float]]:
    """Median import times in fresh interpreters; runs of both libraries interleaved."""
    progress("timing imports in fresh interpreters")
    env = subprocess_env()
    codes = {"pass": "pass", **{lib: f"import {module}" for lib, module in IMPORTS.items()}}
    for code in codes.values():
        wall_seconds(code, env)  # warm-up: file system caches
    importtime: dict[str, list[float]] = {lib: [] for lib in IMPORTS}
    wall: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(settings.import_runs):
        for lib, module in IMPORTS.items():
            importtime[lib].append(importtime_seconds(module, env))
        for name, code in codes.items():
            wall[name].append(wall_seconds(code, env))
    bare = statistics.median(wall["pass"])
    return {
        lib: {
            "importtime": statistics.median(importtime[lib]),
            "wall": statistics.median(wall[lib]) - bare,
        }
        for lib in IMPORTS
    }


def progress(message: str) -> None:
    print(f"bench: {message}...", file=sys.stderr, flush=True)


# -- report ------------------------------------------------------------------------------

LABEL_WIDTH = 72
COLUMN_WIDTH = 12
RATIO_WIDTH = 20
TIMES = "\N{MULTIPLICATION SIGN}"


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    ns = seconds * 1e9
    if ns < 1e3:
        return f"{ns:.1f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.2f} \N{MICRO SIGN}s"
    return f"{ns / 1e6:.2f} ms"


def format_ratio(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.1f}{TIMES}"


def table_line(label: str, ours: str, theirs: str, ratio: str) -> str:
    return (
        label.ljust(LABEL_WIDTH)
        + ours.rjust(COLUMN_WIDTH)
        + theirs.rjust(COLUMN_WIDTH)
        + ratio.rjust(RATIO_WIDTH)
    )


def compared_row(label: str, ours: float, theirs: float) -> str:
    return table_line(label, format_time(ours), format_time(theirs), format_ratio(theirs / ours))


def baseline_row(label: str, seconds: float) -> str:
    return table_line(label, format_time(seconds), "-", "-")


def table(results: dict[str, dict[object, float]], imports: dict[str, dict[str, float]]) -> list[str]:
    ours, theirs = results["scopereg"], results["mmengine"]
    lines = [
        table_line("per call (min of repeats)", "scopereg", "mmengine", "mmengine/scopereg"),
        "-" * (LABEL_WIDTH + 2 * COLUMN_WIDTH + RATIO_WIDTH),
        "get and build",
    ]
    lines += [compared_row(f"  {label}", ours[key], theirs[key]) for key, label, _ in OPERATIONS]
    lines.append("lookup scaling")
    for key, label, _, sizes in SCALES:
        lines += [
            compared_row(f"  {label.format(size)}", ours[key, size], theirs[key, size]) for size in sizes
        ]
    lines.append("import, fresh interpreter (median)")
    lines.append(
        compared_row(
            "  -X importtime cumulative: scopereg | mmengine.registry",
            imports["scopereg"]["importtime"],
            imports["mmengine"]["importtime"],
        )
    )
    lines.append(
        compared_row(
            "  wall clock, python -c 'import X' minus python -c 'pass'",
            imports["scopereg"]["wall"],
            imports["mmengine"]["wall"],
        )
    )
    baselines = results["baseline"]
    lines += [
        "baselines (plain Python, same timing method)",
        baseline_row("  dict lookup         d[k]", baselines["dict"]),
        baseline_row("  direct call         Simple(x=2)", baselines["call"]),
        baseline_row("  empty statement     pass (timing loop overhead, in every row)", baselines["empty"]),
    ]
    return lines


@dataclass(frozen=True)
class Target:
    """A bound on a ratio (or a time) measured for scopereg."""

    description: str
    measured: float
    limit: float
    detail: str
    unit: str = TIMES

    @property
    def met(self) -> bool:
        return self.measured <= self.limit

    def line(self) -> str:
        status = "PASS" if self.met else "MISS"
        if self.unit == "ms":
            value = f"{self.measured * 1e3:.1f} ms (limit {self.limit * 1e3:.0f} ms)"
        else:
            value = f"{self.measured:.2f}{TIMES} (limit {self.limit:g}{TIMES})"
        return f"  {status}  {self.description.ljust(50)} {value.ljust(30)} {self.detail}".rstrip()


def ratio_target(description: str, limit: float, numerator: float, denominator: float) -> Target:
    detail = f"{format_time(numerator)} / {format_time(denominator)}"
    return Target(description, numerator / denominator, limit, detail)


def targets(results: dict[str, dict[object, float]], imports: dict[str, dict[str, float]]) -> list[Target]:
    ours, base = results["scopereg"], results["baseline"]
    ours_import, their_import = imports["scopereg"]["importtime"], imports["mmengine"]["importtime"]
    found = [
        ratio_target("get, local hit <= 5x dict lookup", 5, ours["get_local"], base["dict"]),
        ratio_target("build <= 4x calling the class", 4, ours["build"], base["call"]),
        ratio_target("get sibling.Name <= 2x get, local hit", 2, ours["get_sibling"], ours["get_local"]),
        ratio_target("build _scope_ <= 2x build", 2, ours["build_scope"], ours["build"]),
        Target("import scopereg <= 20 ms (-X importtime)", ours_import, 0.020, "", unit="ms"),
        ratio_target("import scopereg <= 1/5 import mmengine.registry", 0.2, ours_import, their_import),
    ]
    for key, _, _, (small, large) in SCALES:
        description = f"{key}: {large:,} vs {small:,} within 1.5x"
        found.append(ratio_target(description, 1.5, ours[key, large], ours[key, small]))
    return found


def header(settings: Settings, quick: bool) -> list[str]:
    mode = "quick (smoke test; figures are rough)" if quick else "full"
    return [
        f"python {platform.python_version()} ({sys.executable})",
        f"{os.cpu_count()} CPUs, {platform.platform()}",
        f"scopereg {scopereg.__version__} ({Path(scopereg.__file__).parent})",
        f"mmengine {mmengine.__version__} ({Path(mmengine.__file__).parent})",
        f"mode: {mode}; repeat={settings.repeat}, min_time={settings.min_time}s per timed loop, "
        f"import runs={settings.import_runs}",
        "",
    ]


def log_note(log: str) -> list[str]:
    lines = [line for line in log.splitlines() if line.strip()]
    if not lines:
        return []
    return [
        "",
        f"note: mmengine logged {len(lines)} line(s) while warming up (captured, repeats are filtered "
        f"by its logger), e.g.: {lines[0].strip()[:160]}",
    ]


def wide_config(fanout: int, levels: int) -> dict[str, object]:
    """A tree of ``Simple`` nodes: ``fanout`` children per node, ``levels`` below the top."""
    level: dict[str, object] = {"type": "Simple", "x": 1}
    for _ in range(levels):
        level = {"type": "Simple", "x": [level] * fanout}
    return level


def measure_large_validate(settings: Settings) -> tuple[int, float]:
    """``(nodes, seconds)`` for validating a config of about 10**5 nodes (best of ``repeat``)."""
    namespace = main_tree(scopereg.Registry)
    root = namespace["ROOT"]
    assert isinstance(root, scopereg.Registry)
    cfg = wide_config(10, 4 if settings is QUICK else 5)
    nodes = sum(10**level for level in range(6 if settings is FULL else 5))
    best = min(timeit.repeat(lambda: root.validate(cfg), number=1, repeat=max(1, settings.repeat // 2)))
    return nodes, best


def large_lines(large: tuple[int, float]) -> list[str]:
    nodes, seconds = large
    return [
        "",
        "large configs (scopereg)",
        f"  validate, {nodes:,} nodes: {seconds:.2f} s ({seconds / nodes * 1e6:.1f} us per node)",
    ]


def report(settings: Settings, quick: bool, results, imports, log: str, *, large: tuple[int, float]) -> None:
    found = targets(results, imports)
    lines = [
        *header(settings, quick),
        *table(results, imports),
        *large_lines(large),
        *log_note(log),
        "",
        "targets (scopereg)",
        *(target.line() for target in found),
        "",
        f"targets met: {sum(target.met for target in found)}/{len(found)}",
    ]
    print("\n".join(lines))


# -- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter repeats, for a smoke test")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = QUICK if args.quick else FULL
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    check_preconditions()
    log = io.StringIO()
    progress("timing baselines")
    results: dict[str, dict[object, float]] = {"baseline": measure_baselines(settings)}
    for lib in LIBRARIES:
        results[lib] = measure_library(lib, settings, log)
    imports = measure_imports(settings)
    progress("validating a config of 10**5 nodes")
    large = measure_large_validate(settings)
    report(settings, args.quick, results, imports, log.getvalue(), large=large)
    return 0


if __name__ == "__main__":
    sys.exit(main())
