"""Every ``<!-- generated: COMMAND -->`` block of the docs holds what COMMAND prints today.

The concepts page embeds the scope graph of the monorepo's three packages as a mermaid
flowchart written by ``scopereg tree --format mermaid``: when a package registers a new
name, this test fails until ``python tests/docs/update_transcripts.py docs/concepts.md``
writes it again.
"""

from __future__ import annotations

import pytest
from generated_blocks import blocks, output
from markdown_examples import ROOT

DOCS = sorted((ROOT / "docs").glob("*.md"))
FOUND = [(path, block) for path in DOCS for block in blocks(path.read_text(encoding="utf-8"))]


def test_the_concepts_page_embeds_the_generated_scope_graph():
    assert ("concepts.md", "scopereg tree --format mermaid", "mermaid") in {
        (path.name, block.command, block.language) for path, block in FOUND
    }


@pytest.mark.parametrize(("path", "block"), FOUND, ids=[f"{p.name}: {b.command}" for p, b in FOUND])
def test_a_generated_block_is_current(path, block):
    assert block.text == output(block.command), (
        f"{path.name}: the block of {block.command!r} is out of date; "
        f"run python tests/docs/update_transcripts.py docs/{path.name}"
    )
