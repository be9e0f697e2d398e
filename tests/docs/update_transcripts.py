"""Rewrite the ```console transcripts of Markdown files from the real output of their commands.

    python tests/docs/update_transcripts.py docs/cli.md [...]

It also rewrites the blocks a command writes (``<!-- generated: COMMAND -->`` before the
fence, see generated_blocks.py), such as the scope graph of docs/concepts.md.

Run it where the docs session runs them (the three packages and torch installed, from the
repository root); review the diff before committing. Paths are written relative to the
repository, as the comparison in markdown_examples.py reads them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from generated_blocks import regenerated
from markdown_examples import commands_of, relative_paths, run_command

CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def updated(transcript: str) -> str:
    lines: list[str] = []
    status = 0
    for command, _ in commands_of(transcript):
        if command == "echo $?":
            output = str(status)
        else:
            status, output = run_command(command)
        lines += [f"$ {command}", *realigned(relative_paths(output).rstrip("\n").splitlines())]
    return "\n".join(line.rstrip() for line in lines) + "\n"


TOP, BOTTOM, RULES = "┏┌", "└", "┏┡└┌├"


def realigned(lines: list[str]) -> list[str]:
    """Re-pad box tables whose cells were shortened (relative paths), and re-centre titles."""
    out = list(lines)
    start = 0
    while start < len(out):
        if not out[start][:1] or out[start][0] not in TOP:
            start += 1
            continue
        end = start
        while end + 1 < len(out) and out[end][:1] and out[end][0] not in BOTTOM:
            end += 1
        out[start : end + 1], width = _table(out[start : end + 1])
        title = start - 1
        if title >= 0 and out[title].startswith(" "):
            out[title] = out[title].strip().center(width)
        start = end + 1
    return out


def _table(lines: list[str]) -> tuple[list[str], int]:
    rows = [re.split("[┃│]", line[1:-1]) for line in lines if line[0] not in RULES]
    widths = [max(len(row[i].strip()) for row in rows) + 2 for i in range(len(rows[0]))]
    table = []
    for line in lines:
        if line[0] in RULES:
            fill = line[1]
            joint = next((ch for ch in line[1:-1] if ch != fill), fill)
            table.append(line[0] + joint.join(fill * w for w in widths) + line[-1])
        else:
            bar = line[0]
            cells = re.split("[┃│]", line[1:-1])
            padded = (
                " " + cell.strip().ljust(width - 2) + " " for cell, width in zip(cells, widths, strict=True)
            )
            table.append(bar + bar.join(padded) + bar)
    return table, len(table[0])


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        new = regenerated(CONSOLE_BLOCK.sub(lambda m: f"```console\n{updated(m.group(1))}```", text))
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
