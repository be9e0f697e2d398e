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
- nested configs (scopereg only; MMEngine builds no nested config): a 341-node tree
  (4-ary, 4 levels below the root) of one registered class, ``Block``, whose children
  arrive as a list argument, built with ``R.build(cfg, recursive=True)`` and validated;
  and a config of 111,111 nodes (10-ary, 5 levels, shared subtrees) validated. ``Block``
  is the last class of ``_big_module.py``, a model file of about 1,500 lines, so that a
  core reading source locations per node pays what it would in an OpenMMLab model file
  (see ``_nested.py``);
- scaling of lookups: 10 vs 100,000 names in one registry, a root name looked up from
  1 vs 8 levels deep, and a scoped key ``'s0.Name'`` among 2 vs 200 sibling scopes;
- ``import scopereg`` vs ``import mmengine.registry`` in fresh interpreters: the
  cumulative time ``-X importtime`` reports for the module (median of several runs), and
  the wall-clock time of ``python -c 'import X'`` minus that of ``python -c 'pass'``;
- the wall time of ``scopereg tree`` and ``scopereg list MODELS`` as whole processes
  (scopereg only), from the static index, with ``--json``, with no cache, and with
  ``--import`` (see ``_cli.py``), and whether they imported torch;
- baselines in plain Python: a dict lookup ``d[k]``, the direct call ``Simple(x=2)``,
  the config dict alone, the same 341 ``Block`` objects constructed directly, the nested
  config's creation, one ``inspect.getsourcelines(Block)``, and the empty statement (the
  timing loop's own cost, included in every figure).

How: each statement runs once as a warm-up (it fills caches, and no timed loop reads
entry points or imports a registry's locations); then ``timeit`` picks a loop count
that runs for at least ``min_time`` seconds, and the figure is the minimum over
``repeat`` loops, divided by the loop count. The statements compared by a target (the
baselines and scopereg's get/build; the nested rows) are timed in turns, one loop of each
per round, so both sides of a ratio see the same moments of a shared machine. Garbage
collection is off while timing, as ``timeit`` does by default. Every figure includes the
timing loop's overhead (the "empty statement" row), for the baselines too. The 111,111-node validation takes
seconds: its figure is the fastest of a few single runs, and it is not run at all (its
time predicted from the 341-node rate, and reported as such) when that prediction
exceeds a budget, so that a core which reads source per node cannot keep the bench busy
for an hour.

MMEngine is measured as it behaves out of the box: its ``get`` formats and emits
DEBUG log records, its scoped lookups try ``import_module(f'{scope}.registry')`` on
every call (the scope names used here are not importable packages, as MMEngine
expects), and ``_scope_`` creates a temporary ``DefaultScope``. The one warning it
prints (once; its logger filters repeats) is captured and reported below the table.

The targets at the end apply to scopereg; each is a ratio (or a time) from this one run.
The script always exits 0: it is a report. It stops early, with a message, only when
it could not measure what it means to (an importable scope name, a default scope left
set, a nested config that does not build the same objects as the direct construction).
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
from pathlib import Path

import mmengine
from _cli import CliResult, measure_cli
from _nested import NestedResult, measure_nested
from _report import Row, Section, Target, ratio_target, render_table, render_targets
from _timing import FULL, QUICK, Settings, per_call, per_calls, progress
from mmengine.logging import MMLogger
from mmengine.registry import DefaultScope as MMDefaultScope
from mmengine.registry import Registry as MMRegistry

import scopereg

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

BASELINES = (
    ("dict", "dict lookup          d[k]", "d[k]"),
    ("call", "direct call          Simple(x=2)", "Simple(x=2)"),
    (
        "config",
        "config dict alone    dict(type='Simple', x=2), part of the build row",
        "dict(type='Simple', x=2)",
    ),
    ("empty", "empty statement      pass (timing loop overhead, in every row)", "pass"),
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


def measure_baselines_and_operations(settings: Settings) -> tuple[dict[str, float], dict[str, float]]:
    """Plain Python (a dict lookup, the direct call, the config dict, the empty statement) and
    scopereg's six get/build operations on a fresh main tree, timed in turns: the targets are
    ratios of the two."""
    table = {"Simple": Simple, "Name": Name, **{f"Filler{i}": Simple for i in range(8)}}
    plain = {"d": table, "k": "Simple", "Simple": Simple}
    tree = main_tree(scopereg.Registry)
    check_no_default_scope("the start of the get/build measurements")
    statements = [(stmt, plain) for _, _, stmt in BASELINES] + [(stmt, tree) for _, _, stmt in OPERATIONS]
    times = per_calls(statements, settings)
    check_no_default_scope("the end of the get/build measurements")
    baselines = dict(zip((key for key, _, _ in BASELINES), times[: len(BASELINES)], strict=True))
    operations = dict(zip((key for key, _, _ in OPERATIONS), times[len(BASELINES) :], strict=True))
    return baselines, operations


def measure_operations(registry_cls: type, settings: Settings) -> dict[str, float]:
    """The six get/build operations on a fresh main tree."""
    namespace = main_tree(registry_cls)
    check_no_default_scope("the start of the get/build measurements")
    times = per_calls([(stmt, namespace) for _, _, stmt in OPERATIONS], settings)
    check_no_default_scope("the end of the get/build measurements")
    return dict(zip((key for key, _, _ in OPERATIONS), times, strict=True))


def measure_scales(registry_cls: type, settings: Settings) -> dict[tuple[str, int], float]:
    """Each scaling lookup at its small and large size, on fresh trees."""
    times = {}
    for key, _, make_tree, sizes in SCALES:
        for size in sizes:
            namespace, stmt = make_tree(registry_cls, size)
            times[key, size] = per_call(stmt, namespace, settings)
    return times


def measure_library(
    lib: str, settings: Settings, log: io.StringIO, operations: dict[str, float] | None = None
) -> dict[object, float]:
    """Every in-process figure for one library (``operations``: its get/build, already timed)."""
    registry_cls = LIBRARIES[lib]
    progress(f"timing {lib} get/build and scaling")
    quiet = captured_mmengine_log(log) if lib == "mmengine" else contextlib.nullcontext()
    with quiet:
        if operations is None:
            operations = measure_operations(registry_cls, settings)
        return {**operations, **measure_scales(registry_cls, settings)}


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


# -- report ------------------------------------------------------------------------------

Results = dict[str, dict[object, float]]
Imports = dict[str, dict[str, float]]


def sections(results: Results, imports: Imports, nested: NestedResult, cli: CliResult) -> list[Section]:
    """The table, section by section; a new measurement adds its own section here."""
    ours, theirs, baselines = results["scopereg"], results["mmengine"], results["baseline"]
    scale_rows = [
        Row(label.format(size), ours[key, size], theirs[key, size])
        for key, label, _, sizes in SCALES
        for size in sizes
    ]
    import_rows = [
        Row(
            "-X importtime cumulative: scopereg | mmengine.registry",
            imports["scopereg"]["importtime"],
            imports["mmengine"]["importtime"],
        ),
        Row(
            "wall clock, python -c 'import X' minus python -c 'pass'",
            imports["scopereg"]["wall"],
            imports["mmengine"]["wall"],
        ),
    ]
    baseline_rows = [Row(label, baselines[key]) for key, label, _ in BASELINES[:-1]]
    baseline_rows += [*nested.baseline_rows(), Row(BASELINES[-1][1], baselines["empty"])]
    return [
        Section("get and build", [Row(label, ours[key], theirs[key]) for key, label, _ in OPERATIONS]),
        nested.section(),
        Section("lookup scaling", scale_rows),
        Section("import, fresh interpreter (median)", import_rows),
        cli.section(),
        Section("baselines (plain Python, same timing method)", baseline_rows),
    ]


def targets(results: Results, imports: Imports, nested: NestedResult, cli: CliResult) -> list[Target]:
    ours, base = results["scopereg"], results["baseline"]
    ours_import, their_import = imports["scopereg"]["importtime"], imports["mmengine"]["importtime"]
    found = [
        ratio_target("get, local hit <= 5x dict lookup", 5, ours["get_local"], base["dict"]),
        ratio_target("build <= 3x calling the class", 3, ours["build"], base["call"]),
        ratio_target("get sibling.Name <= 2x get, local hit", 2, ours["get_sibling"], ours["get_local"]),
        ratio_target("build _scope_ <= 2x build", 2, ours["build_scope"], ours["build"]),
        *nested.targets(),
        Target("import scopereg <= 20 ms (-X importtime)", ours_import, 0.020, "", unit="ms"),
        ratio_target("import scopereg <= 1/5 import mmengine.registry", 0.2, ours_import, their_import),
        *cli.targets(),
    ]
    for key, _, _, (small, large) in SCALES:
        description = f"{key}: {large:,} vs {small:,} within 1.5x"
        found.append(ratio_target(description, 1.5, ours[key, large], ours[key, small]))
    return found


def header(settings: Settings, quick: bool, nested: NestedResult) -> list[str]:
    mode = "quick (smoke test; figures are rough)" if quick else "full"
    return [
        f"python {platform.python_version()} ({sys.executable})",
        f"{os.cpu_count()} CPUs, {platform.platform()}",
        f"scopereg {scopereg.__version__} ({Path(scopereg.__file__).parent})",
        f"mmengine {mmengine.__version__} ({Path(mmengine.__file__).parent})",
        nested.source.describe(),
        f"mode: {mode}; repeat={settings.repeat}, min_time={settings.min_time}s per timed loop, "
        f"import runs={settings.import_runs}, large validation runs={settings.large_runs}",
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


def report(
    settings: Settings,
    quick: bool,
    results: Results,
    imports: Imports,
    *,
    nested: NestedResult,
    cli: CliResult,
    log: str,
) -> None:
    lines = [
        *header(settings, quick, nested),
        *render_table(sections(results, imports, nested, cli)),
        *log_note(log),
        "",
        *render_targets(targets(results, imports, nested, cli)),
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
    progress("timing baselines and scopereg get/build, in turns")
    baselines, operations = measure_baselines_and_operations(settings)
    results: Results = {"baseline": baselines}
    for lib in LIBRARIES:
        results[lib] = measure_library(lib, settings, log, operations if lib == "scopereg" else None)
    nested = measure_nested(settings)
    check_no_default_scope("the end of the nested measurements")
    imports = measure_imports(settings)
    cli = measure_cli(settings, subprocess_env())
    report(settings, args.quick, results, imports, nested=nested, cli=cli, log=log.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
