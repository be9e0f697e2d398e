"""What a command produces, and how it is shown: JSON, or text with tables.

A command returns a :class:`Report`: its data (printed as JSON with ``--json``) and the
blocks shown otherwise (tables and lines of text). Tables are drawn by
:func:`scopereg.render_table` (rich when it is installed, plain text otherwise), which
imports rich only when a table is rendered: ``--json`` never imports it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass, field

from scopereg import render_table

from ._treeview import Tree, render_tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

#: Exit statuses.
OK, PROBLEMS, USAGE, UNEXPECTED = 0, 1, 2, 3

#: Width of rich tables when the output is not a terminal (files, pipes, tests, docs) and
#: ``COLUMNS`` is not set.
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
    blocks: Sequence[Table | Tree | str] = field(default_factory=list)
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
            elif isinstance(block, Tree):
                print(render_tree(block, terminal_width(out) or PIPE_WIDTH, color=out.isatty()), file=out)
            else:
                print(block, file=out)
        for message in report.errors:
            print(f"scopereg: {message}", file=err)
    out.flush()  # here, not at exit: a closed pipe is then an error main() can handle
    return report.code


def _print_table(table: Table, out: TextIO) -> None:
    text = render(table, terminal_width(out), color=out.isatty())
    print(text.rstrip("\n"), file=out)  # rich's text ends with a newline, plain text does not


def terminal_width(out: TextIO) -> int | None:
    """Columns to fill: ``COLUMNS`` if set, else the terminal's; None when ``out`` is no terminal."""
    if out.isatty() or os.environ.get("COLUMNS", "").isdigit():
        return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
    return None


def render(table: Table, width: int | None = None, *, color: bool = False) -> str:
    """``table`` as text ``width`` columns wide (None: a pipe or a file, and no ``COLUMNS``).

    rich tables are :data:`PIPE_WIDTH` wide without a width. Plain tables fold their
    cells to fit a width; without one they keep one row per line, so that ``grep`` sees
    whole rows. ``color`` keeps rich's styles (for a terminal).
    """
    try:
        return render_table(
            table.title,
            table.columns,
            table.rows,
            width=PIPE_WIDTH if width is None else width,
            color=color,
            rich=True,
        )
    except ImportError:  # rich is not installed: plain text, never folded in a pipe
        width = sys.maxsize if width is None else width
        return render_table(table.title, table.columns, table.rows, width=width, rich=False)
