"""No Markdown code block escapes the docs tests: every runnable block was collected."""

from __future__ import annotations

import re

import pytest
from markdown_examples import BLOCKS, DOCUMENTS, ROOT

FENCE = re.compile(r"^```(\S*)", re.MULTILINE)
#: Languages that are not run: instructions, data, pictures. Anything else must be collected.
NOT_RUN = {"bash", "toml", "text", "diff", "mermaid", "json", "yaml"}
MARKDOWN = ["README.md", *(p.relative_to(ROOT).as_posix() for p in sorted(ROOT.glob("packages/*/README.md")))]
MARKDOWN += [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "docs").glob("*.md"))]
MAX_SKIP_MARKERS = 3


def fences(path: str) -> list[str]:
    """The language of every opening fence of ``path`` (closing fences are bare)."""
    languages, inside = [], False
    for match in FENCE.finditer((ROOT / path).read_text(encoding="utf-8")):
        if not inside:
            languages.append(match.group(1))
        inside = not inside
    return languages


@pytest.mark.parametrize("path", MARKDOWN)
def test_every_fence_names_a_known_language(path):
    unknown = [language for language in fences(path) if language not in NOT_RUN | {"python", "console"}]
    assert unknown == [], f"{path}: {unknown} blocks would not run; use python/console or a NOT_RUN language"


@pytest.mark.parametrize("path", MARKDOWN)
def test_every_python_and_console_block_was_collected(path):
    if path not in DOCUMENTS:
        pytest.fail(f"{path} was not given to pytest with -p markdown_examples")
    runnable = [language for language in fences(path) if language in ("python", "console")]
    collected = [start for block_path, start in BLOCKS if block_path == path]
    assert len(collected) == len(runnable)


def test_skip_markers_are_few():
    markers = sum((ROOT / path).read_text(encoding="utf-8").count("<!-- skip:") for path in MARKDOWN)
    assert markers <= MAX_SKIP_MARKERS
