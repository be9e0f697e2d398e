"""What a command produces, and how it is shown: JSON, rich tables, or plain text.

A command returns a :class:`Report`: its data (printed as JSON with ``--json``) and the
blocks shown otherwise (tables and lines of text). rich is imported here only, and only
when a table is rendered as text: ``--json`` and the plain path never import it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

#: Exit statuses.
OK, PROBLEMS, USAGE, UNEXPECTED = 0, 1, 2, 3

#: Width of rich tables when the output is not a terminal (files, pipes, tests, docs).
PIPE_WIDTH = 120


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
        print(plain_table(table), file=out)
        return
    rendered = RichTable(title=table.title, show_header=any(table.columns))
    for column in table.columns:
        rendered.add_column(column, overflow="fold")
    for row in table.rows:
        rendered.add_row(*(Text(cell) for cell in row))  # Text: cells are never markup
    terminal = out.isatty()
    console = Console(file=out, width=None if terminal else PIPE_WIDTH, highlight=False)
    console.print(rendered)


def plain_table(table: Table) -> str:
    """``table`` as aligned plain text: title, headings, a rule, one line per row."""
    columns = list(table.columns)
    widths = [max([len(c)] + [len(row[i]) for row in table.rows]) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    lines = [table.title]
    if any(columns):  # all-empty headings: a table without a header
        lines += [line(columns), "  ".join("-" * width for width in widths)]
    lines.extend(line(row) for row in table.rows)
    return "\n".join(lines)
