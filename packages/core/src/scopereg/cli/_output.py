"""What a command produces, and how it is shown: JSON, rich tables, or plain text.

A command returns a :class:`Report`: its data (printed as JSON with ``--json``) and the
blocks shown otherwise (tables and lines of text). rich is imported here only, and only
when a table is rendered as text: ``--json`` and the plain path never import it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

#: Exit statuses.
OK, PROBLEMS, USAGE, UNEXPECTED = 0, 1, 2, 3

#: Width of rich tables when the output is not a terminal (files, pipes, tests, docs) and
#: ``COLUMNS`` is not set.
PIPE_WIDTH = 120

#: Plain-text columns are never folded narrower than this, however narrow the terminal.
MIN_COLUMN_WIDTH = 8


class CliError(Exception):
    """A command cannot give its answer: the message, the exit status and JSON data."""

    def __init__(self, message: str, code: int = PROBLEMS, **data: Any) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.data = data

    def report(self) -> Report:
        """The report printed for this error: stderr as text, stdout as JSON."""
        return Report({"error": self.message, **self.data}, errors=[self.message], code=self.code)


def unexpected(exc: BaseException, *, debug: bool = False) -> Report:
    """The report for an exception no command expected: exit 3, the traceback only with ``debug``."""
    message = f"unexpected {type(exc).__name__}: {exc}"
    errors = [message]
    if debug:
        import traceback

        errors.append("".join(traceback.format_exception(exc)).rstrip())
    else:
        errors.append("(run again with --debug for the traceback)")
    data = {"error": message, "error_type": type(exc).__name__}
    return Report(data, errors=errors, code=UNEXPECTED)


@dataclass
class Table:
    """Rows of text cells under column headings (all empty: no header)."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass
class Report:
    """A command's answer: ``data`` for ``--json``; ``blocks`` (stdout) and ``errors`` (stderr) as text."""

    data: dict[str, Any]
    blocks: list[Table | str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    code: int = OK


def emit(report: Report, *, as_json: bool, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Print ``report`` and return its exit status."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    if as_json:
        print(json.dumps(report.data, indent=2, default=str), file=out)
    else:
        for block in report.blocks:
            if isinstance(block, Table):
                _print_table(block, out)
            else:
                print(block, file=out)
        for message in report.errors:
            print(f"scopereg: {message}", file=err)
    out.flush()  # here, not at exit: a closed pipe is then an error main() can handle
    return report.code


def _print_table(table: Table, out: TextIO) -> None:
    try:
        from rich.console import Console
        from rich.table import Table as RichTable
        from rich.text import Text
    except ImportError:
        print(plain_table(table, terminal_width(out)), file=out)
        return
    rendered = RichTable(title=table.title, show_header=any(table.columns))
    for column in table.columns:
        rendered.add_column(column, overflow="fold")
    for row in table.rows:
        rendered.add_row(*(Text(cell) for cell in row))  # Text: cells are never markup
    console = Console(file=out, width=terminal_width(out) or PIPE_WIDTH, highlight=False)
    console.print(rendered)


def terminal_width(out: TextIO) -> int | None:
    """Columns to fill: ``COLUMNS`` if set, else the terminal's; None when ``out`` is no terminal."""
    if out.isatty() or os.environ.get("COLUMNS", "").isdigit():
        return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    return None


def plain_table(table: Table, width: int | None = None) -> str:
    """``table`` as aligned plain text: title, headings, a rule, one row per line.

    With a ``width`` (a terminal's), the widest columns are narrowed until the table fits
    (never below :data:`MIN_COLUMN_WIDTH`) and their cells fold onto continuation lines.
    Without one (a pipe, a file) every row stays on one line, for grep and friends.
    """
    columns = list(table.columns)
    widths = [max([len(c)] + [len(row[i]) for row in table.rows]) for i, c in enumerate(columns)]
    if width is not None:
        widths = _fit(widths, width - 2 * (len(columns) - 1))

    def lines(cells: Sequence[str]) -> list[str]:
        wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths, strict=True)]
        height = max(len(cell_lines) for cell_lines in wrapped)
        return [
            "  ".join(
                (cell_lines[i] if i < len(cell_lines) else "").ljust(w)
                for cell_lines, w in zip(wrapped, widths, strict=True)
            ).rstrip()
            for i in range(height)
        ]

    out = [table.title] if width is None else textwrap.wrap(table.title, width) or [""]
    if any(columns):  # all-empty headings: a table without a header
        out += [*lines(columns), "  ".join("-" * w for w in widths)]
    for row in table.rows:
        out += lines(row)
    return "\n".join(out)


def _fit(natural: list[int], budget: int) -> list[int]:
    """Narrow the widest of ``natural`` column widths until they add up to ``budget``."""
    widths = list(natural)
    while sum(widths) > budget:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_COLUMN_WIDTH:
            break  # a terminal too narrow for any table: overflow rather than shred cells
        widths[widest] -= 1
    return widths


def _wrap(cell: str, width: int) -> list[str]:
    """``cell`` folded to ``width`` columns: at spaces where it can, mid-word where it must."""
    if len(cell) <= width:
        return [cell]
    return textwrap.wrap(cell, width, break_on_hyphens=False) or [""]
