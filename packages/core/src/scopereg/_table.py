"""Text tables: rich when it is installed, plain aligned text otherwise.

The one renderer of the package: ``repr(registry)`` and every table of the command line.
Cells are text, never markup.
"""

from __future__ import annotations

import textwrap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: The width of a table when the caller does not say (not a terminal: files, pipes, docs).
DEFAULT_WIDTH = 120


def render_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None = None,
    color: bool = False,
    rich: bool | None = None,
    caption: str | None = None,
) -> str:
    """Render ``rows`` under ``columns`` as text at most ``width`` columns wide.

    rich draws the table when it is installed (``rich=False`` asks for plain text, and
    ``rich=True`` requires rich); long cells are folded to fit. Headings that are all
    empty give a table without a header. ``color`` keeps rich's styles as ANSI codes.
    ``caption`` is a line under the table.

    Example:
        >>> from scopereg import render_table
        >>> print(render_table("Sizes", ("scope", "names"), [("mmalpha", "6")], rich=False))
        Sizes
        scope    names
        -------  -----
        mmalpha  6
    """
    width = DEFAULT_WIDTH if width is None else max(width, 20)
    if rich is not False:
        try:
            table = _rich(title, columns, rows, width, color=color, caption=caption)
        except ImportError:
            if rich:
                raise
        else:
            return table
    plain = _plain(title, columns, rows, width)
    return plain if caption is None else f"{plain}\n{caption}"


def _rich(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    color: bool,
    caption: str | None,
) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_header=any(columns), caption=caption)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console = Console(width=width, color_system="standard" if color else None, force_terminal=color)
    with console.capture() as capture:
        console.print(table, end="")
    return capture.get().rstrip("\n")


def _plain(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    widths = _fit([max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)], width)
    lines = [title]
    if any(columns):  # all-empty headings: a table without a header
        lines += _wrapped(columns, widths)
        lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines += _wrapped(row, widths)
    return "\n".join(lines)


def _fit(widths: list[int], width: int) -> list[int]:
    """Shrink the widest columns until the table, with its two-space gaps, fits ``width``."""
    widths = list(widths)
    budget = width - 2 * (len(widths) - 1)
    while sum(widths) > budget and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] = max(8, widths[widest] - (sum(widths) - budget))
    return widths


def _wrapped(cells: Sequence[str], widths: list[int]) -> list[str]:
    """One row as lines: each cell folded to its column's width, at spaces where it can."""
    pieces = [
        [cell] if len(cell) <= width else textwrap.wrap(cell, width) or [""]
        for cell, width in zip(cells, widths, strict=True)
    ]
    lines = []
    for index in range(max(len(piece) for piece in pieces)):
        parts = [
            (piece[index] if index < len(piece) else "").ljust(width)
            for piece, width in zip(pieces, widths, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return lines
