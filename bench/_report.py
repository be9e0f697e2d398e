"""The report: one table of sections, then the targets with their verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from _timing import format_time

TIMES = "\N{MULTIPLICATION SIGN}"
NONE = "\N{EN DASH}"  # a cell with no figure: MMEngine lacks the operation, or nothing to compare

LABEL_WIDTH = 78
COLUMN_WIDTH = 12
LAST_WIDTH = 20


@dataclass(frozen=True)
class Row:
    """One line of the table: scopereg's time, MMEngine's (None: it has no such operation)."""

    label: str
    ours: float
    theirs: float | None = None
    note: str = ""  # fills the last column instead of the mmengine/scopereg ratio


@dataclass(frozen=True)
class Section:
    """A titled group of rows."""

    title: str
    rows: list[Row]


def format_ratio(ratio: float | None) -> str:
    return NONE if ratio is None else f"{ratio:.1f}{TIMES}"


def table_line(label: str, ours: str, theirs: str, last: str) -> str:
    cells = ours.rjust(COLUMN_WIDTH) + theirs.rjust(COLUMN_WIDTH) + last.rjust(LAST_WIDTH)
    return label.ljust(LABEL_WIDTH) + cells


def row_line(row: Row) -> str:
    ratio = None if row.theirs is None else row.theirs / row.ours
    last = row.note or format_ratio(ratio)
    return table_line(f"  {row.label}", format_time(row.ours), format_time(row.theirs), last)


def render_table(sections: list[Section]) -> list[str]:
    lines = [
        table_line("per call (min of repeats)", "scopereg", "mmengine", "mmengine/scopereg"),
        "-" * (LABEL_WIDTH + 2 * COLUMN_WIDTH + LAST_WIDTH),
    ]
    for section in sections:
        lines.append(section.title)
        lines += [row_line(row) for row in section.rows]
    return lines


@dataclass(frozen=True)
class Target:
    """A bound on a figure measured for scopereg: a ratio, a time, or a time per node."""

    description: str
    measured: float
    limit: float
    detail: str
    unit: str = "ratio"  # "ratio", "ms", "us/node" or "flag" (1: it happened, 0: it did not)

    @property
    def met(self) -> bool:
        return self.measured <= self.limit

    def value(self) -> str:
        if self.unit == "flag":
            return "no" if not self.measured else "yes (must not)"
        if self.unit == "ms":
            return f"{self.measured * 1e3:.1f} ms (limit {self.limit * 1e3:g} ms)"
        if self.unit == "us/node":
            micro = "\N{MICRO SIGN}s"
            return f"{self.measured * 1e6:.1f} {micro}/node (limit {self.limit * 1e6:g} {micro})"
        return f"{self.measured:.2f}{TIMES} (limit {self.limit:g}{TIMES})"

    def line(self) -> str:
        status = "met   " if self.met else "MISSED"
        return f"  {status}  {self.description.ljust(54)} {self.value().ljust(34)} {self.detail}".rstrip()


def ratio_target(description: str, limit: float, numerator: float, denominator: float) -> Target:
    detail = f"{format_time(numerator)} / {format_time(denominator)}"
    return Target(description, numerator / denominator, limit, detail)


def per_node_target(description: str, limit: float, seconds: float, nodes: int, *, note: str = "") -> Target:
    """``seconds`` spread over ``nodes``, against ``limit`` seconds per node."""
    detail = f"{format_time(seconds)} / {nodes:,} nodes" + (f" {note}" if note else "")
    return Target(description, seconds / nodes, limit, detail, unit="us/node")


def render_targets(found: list[Target]) -> list[str]:
    return [
        "targets (scopereg)",
        *(target.line() for target in found),
        "",
        f"targets met: {sum(target.met for target in found)}/{len(found)}",
    ]
