"""pytest plugin (``-p markdown_examples``): every code block of the Markdown docs runs.

``nox -s docs`` passes README.md, packages/*/README.md and docs/ to pytest with this plugin.

- ```` ```python ```` blocks run with sybil, in order, one namespace per file. A block that
  starts with ``>>>`` is a doctest: its outputs are compared.
- ```` ```console ```` blocks are terminal transcripts. Each ``$ scopereg ...`` line (also
  ``$ python -m scopereg ...`` and ``$ python -c ...``, for what needs a fresh process) runs
  from the repository root, with stdout and stderr together, and must print the lines that
  follow it; ``$ echo $?`` checks the exit status of the command before it. Nothing else
  may appear after a ``$``: write instructions in ```` ```bash ```` blocks, which are not run.
  ``python tests/docs/update_transcripts.py FILE...`` rewrites the transcripts of FILE from
  the real output.
- Outputs are compared after this normalisation, applied to both sides: runs of spaces and
  runs of one table-rule character (``━``, ``─``, ``═``) become one, and lines are stripped,
  so table alignment and centring do not matter; in the real output, the repository root
  followed by ``/`` is removed (paths read relative to the repository) and every path up to
  ``site-packages/`` becomes ``.../site-packages/``. Commands run with ``COLUMNS`` set to
  :data:`COLUMNS`, so tables never fold and no tree line wraps wherever the checkout lives.
- ``<!-- skip: next -->`` before a block skips it (sybil's marker): keep those few.
  ``<!-- excerpt: PATH -->`` before a python block says the block is a copy of lines of
  PATH: it is checked to be one, not run.

The terminal summary ends with how many blocks ran, of which kind.
"""

from __future__ import annotations

import difflib
import doctest
import os
import re
import shlex
import subprocess
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sybil import Document, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser, SkipParser

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pytest
    from sybil import Example

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = 2000
COMMANDS = (["scopereg"], ["python", "-m", "scopereg"], ["python", "-m", "scopereg.cli"], ["python", "-c"])
EXCERPT = re.compile(r"<!--\s*excerpt:\s*(\S+)\s*-->\s*$")
SITE_PACKAGES = re.compile(r"(?<![\w.])/[^\s\"'()]*/site-packages/")
RULE_RUNS = re.compile(r"([━─═])\1+")
SPACE_RUNS = re.compile(r" {2,}")

#: block id -> kind ("python", "console", "excerpt"), for every block collected
BLOCKS: dict[tuple[str, int], str] = {}
#: every Markdown file parsed, relative to the repository
DOCUMENTS: set[str] = set()
#: block id -> outcome of its examples ("passed", "failed", "skipped")
OUTCOMES: dict[tuple[str, int], set[str]] = {}


def block_id(document: Document, region: Region) -> tuple[str, int]:
    return (str(Path(document.path).relative_to(ROOT)), region.start)


class PythonBlocks:
    """sybil's Markdown python parser (code or doctest), knowing which block each example is in."""

    def __init__(self) -> None:
        self.codeblocks = CodeBlockParser("python", run_python)
        self.doctests = DocTestStringParser(DocTestEvaluator(doctest.ELLIPSIS))

    def __call__(self, document: Document) -> Iterable[Region]:
        DOCUMENTS.add(Path(document.path).relative_to(ROOT).as_posix())
        for block in self.codeblocks(document):
            source = block.parsed
            excerpt = EXCERPT.search(document.text[: block.start])
            if excerpt is not None and not document.text[excerpt.end() : block.start].strip():
                BLOCKS[block_id(document, block)] = "excerpt"
                block.evaluator = excerpt_checker(ROOT / excerpt.group(1))
                block.block_id = block_id(document, block)  # type: ignore[attr-defined]
                yield block
                continue
            BLOCKS[block_id(document, block)] = "python"
            regions = [block]
            if source.startswith(">>>"):
                regions = list(self.doctests(source, document.path))
                for region in regions:
                    region.adjust(block, source)
            for region in regions:
                region.block_id = block_id(document, block)  # type: ignore[attr-defined]
                yield region


class ConsoleBlocks(CodeBlockParser):
    """```console transcripts of scopereg commands, run and compared."""

    def __init__(self) -> None:
        super().__init__("console")

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            BLOCKS[block_id(document, region)] = "console"
            region.block_id = block_id(document, region)  # type: ignore[attr-defined]
            yield region

    def evaluate(self, example: Example) -> str | None:
        try:
            return check_transcript(str(example.parsed))
        except ValueError as exc:  # a malformed transcript: a failure of this block, not of pytest
            return str(exc)


def run_python(example: Example) -> str | None:
    """Run a python block; an exception becomes this block's failure, with its traceback."""
    try:
        return PythonEvaluator()(example)
    except Exception:
        return traceback.format_exc()


def excerpt_checker(path: Path) -> Any:
    def check(example: Example) -> str | None:
        lines = [line for line in str(example.parsed).splitlines() if line.strip()]
        text = path.read_text(encoding="utf-8")
        missing = [line for line in lines if line not in text.splitlines()]
        if missing:
            return f"not lines of {path.relative_to(ROOT)}: {missing}"
        return None

    return check


def check_transcript(transcript: str) -> str | None:
    """Run each ``$`` command of ``transcript``; a diff of what differs, or None."""
    status: int | None = None
    for command, expected in commands_of(transcript):
        if command == "echo $?":
            if status is None:
                return "'$ echo $?' before any command"
            actual = str(status)
        else:
            status, actual = run_command(command)
        if normalise(actual) != normalise(expected):
            diff = difflib.unified_diff(
                expected.splitlines(),
                relative_paths(actual).splitlines(),
                "documented",
                "actual",
                lineterm="",
            )
            return f"$ {command}\n" + "\n".join(diff)
    return None


def commands_of(transcript: str) -> list[tuple[str, str]]:
    """``[(command, expected output)]`` of a transcript."""
    pairs: list[tuple[str, list[str]]] = []
    for line in transcript.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:].strip(), []))
        elif pairs:
            pairs[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"console block does not start with a '$ ' command: {line!r}")
    return [(command, "\n".join(output)) for command, output in pairs]


def run_command(command: str) -> tuple[int, str]:
    argv = shlex.split(command)
    if command != "echo $?" and not any(argv[: len(prefix)] == prefix for prefix in COMMANDS):
        raise ValueError(
            f"console blocks run scopereg and python commands only, not {command!r}: use ```bash"
        )
    if argv[0] == "python":
        argv[0] = sys.executable
    else:
        argv = [sys.executable, "-m", "scopereg", *argv[1:]]  # the same as the console script
    env = {**os.environ, "COLUMNS": str(COLUMNS)}
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(
        argv,
        check=False,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout


def relative_paths(text: str) -> str:
    return SITE_PACKAGES.sub(".../site-packages/", text).replace(f"{ROOT}{os.sep}", "")


def normalise(text: str) -> str:
    lines = (
        SPACE_RUNS.sub(" ", RULE_RUNS.sub(r"\1", relative_paths(line))).strip() for line in text.splitlines()
    )
    return "\n".join(lines).strip()


def reset_process_state(namespace: dict[str, Any]) -> None:
    """After each file: no default scope left for the next one."""
    from scopereg import init_default_scope

    init_default_scope(None)


MARKDOWN = Sybil(
    parsers=[PythonBlocks(), ConsoleBlocks(), SkipParser()],
    patterns=["*.md"],
    path=str(ROOT),
    teardown=reset_process_state,
)
pytest_collect_file = MARKDOWN.pytest()


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    example = getattr(item, "example", None)
    if example is not None and call.when == "call":
        block = getattr(example.region, "block_id", None)
        if block is not None:
            outcome = "failed" if call.excinfo is not None else "passed"
            if call.excinfo is not None and call.excinfo.typename in ("Skipped", "SkipTest"):
                outcome = "skipped"
            OUTCOMES.setdefault(block, set()).add(outcome)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not BLOCKS:
        return
    ran = Counter(kind for block, kind in BLOCKS.items() if OUTCOMES.get(block, set()) == {"passed"})
    skipped = sum("skipped" in OUTCOMES.get(block, ()) for block in BLOCKS)
    failed = sum("failed" in OUTCOMES.get(block, ()) for block in BLOCKS)
    files = len({path for path, _ in BLOCKS})
    terminalreporter.write_sep("=", "Markdown code blocks", bold=True)
    terminalreporter.write_line(
        f"{sum(ran.values())} of {len(BLOCKS)} Markdown code blocks in {files} files ran and passed: "
        f"{ran['python']} python, {ran['console']} console, {ran['excerpt']} excerpts checked; "
        f"{skipped} skipped by a marker, {failed} failed"
    )
