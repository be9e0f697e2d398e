"""Nested configs: trees of one registered class, built, validated, and constructed by hand.

The node class is ``Block``, the last class of ``_big_module.py``, a module of about
1,500 lines. Before Python 3.13, ``inspect.getsourcelines`` finds a class by parsing its
whole module, so a build or a validation that reads a node's source location pays for
every line above ``Block``, for every node. ``Block`` is registered from this file, not
from its own module, so scopereg cannot take the line from the registration call either:
only reading the source would give it.

Every timed statement creates its config afresh (as the plain build row creates its
dict), so no answer can come from a cache keyed by the config object; the creation alone
is a baseline row.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path

from _report import NONE, Row, Section, Target, per_node_target, ratio_target
from _timing import best_single_run, per_calls, progress

import scopereg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

    from _timing import Settings

BIG_MODULE = Path(__file__).with_name("_big_module.py")
MIN_MODULE_LINES = 1_000

#: (fanout, levels below the root): 1 + 4 + 16 + 64 + 256 = 341 nodes, each its own dict.
SMALL_TREE = (4, 4)
#: 1 + 10 + ... + 10**5 = 111,111 nodes; each level repeats one child dict, as YAML aliases do.
LARGE_TREE = (10, 5)

#: The width of a node by its height above the leaves (leaves are 0).
WIDTHS = tuple(8 * 2**height for height in range(16))

NESTED_LIMIT = 5  # nested build / direct construction
PER_NODE_LIMIT = 10e-6  # seconds of validation per node

STATEMENTS = {
    "build": "R.build(make_config(), recursive=True)",
    "validate": "R.validate(make_config())",
    "direct": "construct()",
    "config": "make_config()",
    "source": "getsourcelines(Block)",
}


def load_big_module() -> ModuleType:
    """Import ``_big_module.py`` by path, entered in ``sys.modules`` as ``inspect`` needs it."""
    name = BIG_MODULE.stem
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BIG_MODULE)
    if spec is None or spec.loader is None:
        sys.exit(f"bench: cannot import {BIG_MODULE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # inspect finds a class's file through sys.modules
    spec.loader.exec_module(module)
    return module


def block_config(fanout: int, levels: int, *, shared: bool) -> dict[str, Any]:
    """A tree of ``Block`` nodes, ``levels`` below the root, children as a list argument.

    ``shared`` repeats one child dict ``fanout`` times at each level instead of creating
    each child on its own.
    """
    if levels == 0:
        return {"type": "Block", "width": WIDTHS[0], "act": "relu"}
    if shared:
        children = [block_config(fanout, levels - 1, shared=True)] * fanout
    else:
        children = [block_config(fanout, levels - 1, shared=False) for _ in range(fanout)]
    return {"type": "Block", "width": WIDTHS[levels], "act": "relu", "children": children}


def construct_directly(block: type, fanout: int, levels: int) -> Any:
    """The objects of :func:`block_config`, constructed bottom-up in plain Python."""
    if levels == 0:
        return block(width=WIDTHS[0], act="relu")
    children = [construct_directly(block, fanout, levels - 1) for _ in range(fanout)]
    return block(width=WIDTHS[levels], act="relu", children=children)


def count_nodes(cfg: Any) -> int:
    """Mappings with a ``type`` in ``cfg``, each counted once per reference."""
    count, stack = 0, [cfg]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            count += "type" in value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def tree_shape(block: Any) -> tuple[Any, ...]:
    """``(width, act, children's shapes)``: what two trees of blocks must share to be the same."""
    return block.width, block.act, tuple(tree_shape(child) for child in block.blocks)


@dataclass(frozen=True)
class Source:
    """Where ``Block`` is defined: its line and the length of its module."""

    line: int
    module_lines: int

    def describe(self) -> str:
        parse = "parses the whole module" if sys.version_info < (3, 13) else "reads __firstlineno__"
        return (
            f"node class: Block, line {self.line:,} of {BIG_MODULE.name} ({self.module_lines:,} lines); "
            f"inspect.getsourcelines(Block) {parse} on Python {sys.version_info[0]}.{sys.version_info[1]}"
        )


def source_of(block: type) -> Source:
    """Check that ``block`` sits near the end of a module of at least 1,000 lines."""
    module_lines = len(BIG_MODULE.read_text(encoding="utf-8").splitlines())
    line = inspect.getsourcelines(block)[1]
    if module_lines < MIN_MODULE_LINES or line < 0.9 * module_lines:
        sys.exit(
            f"bench: Block must sit near the end of a module of at least {MIN_MODULE_LINES:,} lines; "
            f"it is at line {line} of {module_lines} in {BIG_MODULE}"
        )
    return Source(line, module_lines)


@dataclass(frozen=True)
class NestedResult:
    """The nested-config figures (scopereg only) and the baselines they are compared with."""

    source: Source
    nodes: int
    times: dict[str, float]  # keys of STATEMENTS: seconds per statement
    large_nodes: int
    large: float  # seconds to validate the large config (predicted when not run)
    large_run: bool

    def per_node(self, seconds: float, nodes: int) -> str:
        return f"{seconds / nodes * 1e6:.2f} \N{MICRO SIGN}s/node"

    def section(self) -> Section:
        fanout, levels = LARGE_TREE
        shape = f"({fanout}-ary, {levels} levels, shared subtrees)"
        if not self.large_run:
            shape = f"({fanout}-ary, {levels} levels, shared) NOT RUN, predicted"
        large_label = f"validate {self.large_nodes:,} nodes {shape}"
        return Section(
            f"nested configs of Block (MMEngine has no recursive build or validate: {NONE})",
            [
                Row(
                    f"build {self.nodes} nodes     R.build(cfg, recursive=True)",
                    self.times["build"],
                    note=self.per_node(self.times["build"], self.nodes),
                ),
                Row(
                    f"validate {self.nodes} nodes  R.validate(cfg)",
                    self.times["validate"],
                    note=self.per_node(self.times["validate"], self.nodes),
                ),
                Row(large_label, self.large, note=self.per_node(self.large, self.large_nodes)),
            ],
        )

    def baseline_rows(self) -> list[Row]:
        return [
            Row(f"direct construction  the same {self.nodes} Blocks, bottom-up", self.times["direct"]),
            Row(
                f"config creation      the {self.nodes}-node config (part of each row above)",
                self.times["config"],
            ),
            Row("source location      inspect.getsourcelines(Block), one call", self.times["source"]),
        ]

    def targets(self) -> list[Target]:
        large_note = "" if self.large_run else "(not run: predicted from the small config)"
        return [
            ratio_target(
                f"nested build, {self.nodes} nodes <= {NESTED_LIMIT}x direct construction",
                NESTED_LIMIT,
                self.times["build"],
                self.times["direct"],
            ),
            per_node_target(
                f"validate, {self.nodes} nodes <= 10 \N{MICRO SIGN}s per node",
                PER_NODE_LIMIT,
                self.times["validate"],
                self.nodes,
            ),
            per_node_target(
                f"validate, {self.large_nodes:,} nodes <= 10 \N{MICRO SIGN}s per node",
                PER_NODE_LIMIT,
                self.large,
                self.large_nodes,
                note=large_note,
            ),
        ]


def check_same_objects(registry: scopereg.Registry, cfg: dict[str, Any], direct: Any) -> None:
    """The config must be valid, and build the very tree the direct construction makes."""
    problems = registry.validate(cfg)
    if problems:
        sys.exit(f"bench: the nested config has problems: {problems[:3]}")
    try:
        built = registry.build(cfg, recursive=True)
    except Exception as exc:  # a broken core: say so instead of timing it
        sys.exit(f"bench: the recursive build of the nested config failed: {exc!r}")
    if tree_shape(built) != tree_shape(direct):
        sys.exit("bench: the recursive build and the direct construction made different trees")


def measure_large(registry: scopereg.Registry, settings: Settings, rate: float) -> tuple[int, float, bool]:
    """``(nodes, seconds, run)`` for validating the large config.

    Not run (``run`` False, ``seconds`` predicted) when the small config's rate predicts
    more than ``settings.large_budget`` seconds: a core that reads source per node would
    otherwise keep the bench busy for an hour.
    """
    fanout, levels = LARGE_TREE
    make_config = functools.partial(block_config, fanout, levels, shared=True)
    nodes = count_nodes(make_config())
    predicted = rate * nodes
    if predicted > settings.large_budget:
        return nodes, predicted, False
    progress(f"validating a config of {nodes:,} nodes (about {predicted:.0f} s per run)")
    found: list[object] = []

    def validate() -> None:
        found[:] = registry.validate(make_config())

    seconds = best_single_run(validate, settings.large_runs)
    if found:
        sys.exit(f"bench: the large config has problems: {found[:3]}")
    return nodes, seconds, True


def measure_nested(settings: Settings) -> NestedResult:
    """Build, validate and construct the 341-node tree; validate the ~10**5-node one."""
    block = load_big_module().Block
    source = source_of(block)
    registry = scopereg.Registry("model", scope="nested")
    registry.register_module(module=block)  # from this file: no registration line to reuse
    fanout, levels = SMALL_TREE
    make_config = functools.partial(block_config, fanout, levels, shared=False)
    construct = functools.partial(construct_directly, block, fanout, levels)
    check_same_objects(registry, make_config(), construct())
    nodes = count_nodes(make_config())
    namespace: dict[str, object] = {
        "R": registry,
        "make_config": make_config,
        "construct": construct,
        "getsourcelines": inspect.getsourcelines,
        "Block": block,
    }
    progress(f"timing nested builds and validation ({nodes} nodes) and their baselines")
    timed = per_calls([(stmt, namespace) for stmt in STATEMENTS.values()], settings)  # in turns
    times = dict(zip(STATEMENTS, timed, strict=True))
    large_nodes, large, large_run = measure_large(registry, settings, times["validate"] / nodes)
    return NestedResult(source, nodes, times, large_nodes, large, large_run)
