"""Blocks of the Markdown docs that a command writes: ``<!-- generated: COMMAND -->`` before a fence.

The block holds COMMAND's output, as the docs session runs it (from the repository root,
the three packages installed). ``test_generated_blocks.py`` checks each is current;
``update_transcripts.py`` rewrites them. Pictures (a ``mermaid`` graph) are not run by
the Markdown tests: this is how they stay true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_examples import run_command

GENERATED = re.compile(
    r"^<!-- generated: (?P<command>.+?) -->\n```(?P<language>\w*)\n(?P<text>.*?)^```$", re.M | re.S
)


@dataclass
class Block:
    command: str
    language: str
    text: str
    start: int
    end: int


def blocks(markdown: str) -> list[Block]:
    return [
        Block(match["command"], match["language"], match["text"], match.start(), match.end())
        for match in GENERATED.finditer(markdown)
    ]


def output(command: str) -> str:
    """What the block of ``command`` must hold (its output, ending with a newline)."""
    status, text = run_command(command)
    if status != 0:
        raise RuntimeError(f"{command!r} exited {status}:\n{text}")
    return text.rstrip("\n") + "\n"


def regenerated(markdown: str) -> str:
    """``markdown`` with every generated block holding its command's output."""
    pieces, last = [], 0
    for block in blocks(markdown):
        pieces.append(markdown[last : block.start])
        pieces.append(f"<!-- generated: {block.command} -->\n```{block.language}\n{output(block.command)}```")
        last = block.end
    return "".join(pieces) + markdown[last:]
