"""What every command shares: one JSON document, exit statuses, tables, and no rich unless needed."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

import scopereg.cli
from scopereg.cli import main
from scopereg.cli._output import Report, Table, emit, render, terminal_width

from .fakes import MISSING_LOCATION, run, write


@pytest.mark.parametrize(
    "argv",
    [
        ["tree"],
        ["list", "MODELS"],
        ["list", "MODELS", "Nothing*"],
        ["list", "nope"],
        ["which", "MODELS", "ReLU"],
        ["which", "MODELS", "Nope"],
        ["doctor"],
        ["check", "{cfg}"],
        ["build", "{cfg}"],
        ["build", "missing.json"],
    ],
)
def test_every_command_prints_parseable_json(installed, two, capsys, tmp_path, argv):
    cfg = write(tmp_path, "cfg.json", {"model": {"type": "ReLU", "inplace": True}})

    result = run(capsys, *(arg.replace("{cfg}", cfg) for arg in argv), "--json")

    assert isinstance(result.json, dict)
    assert result.err == ""


@pytest.mark.parametrize(
    ("argv", "code"),
    [([], 2), (["which", "MODELS"], 2), (["frobnicate"], 2), (["--version"], 0), (["tree", "--help"], 0)],
)
def test_usage(installed, capsys, argv, code):
    assert run(capsys, *argv).code == code


def test_import_scopereg_imports_neither_the_cli_nor_rich_and_json_needs_no_rich():
    code = (
        "import sys, io, contextlib, scopereg\n"
        "assert 'scopereg.cli' not in sys.modules and 'rich' not in sys.modules\n"
        "from scopereg.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['doctor', '--json'])\n"
        "print('rich' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout == "False\n"


def test_python_m_scopereg_cli_runs_main():
    result = subprocess.run(
        [sys.executable, "-m", "scopereg.cli", "list", "NOPE"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown registry 'NOPE'" in result.stderr


def test_a_reader_that_leaves_early_gets_no_traceback():
    process = subprocess.Popen(
        [sys.executable, "-m", "scopereg.cli", "tree", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # as `| head -0` would
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 1
    assert stderr == ""


# -- tables: scopereg.render_table, fitted to the terminal or COLUMNS, whole rows in a pipe ------

LONG_MESSAGE = (
    "'LogSoftmax' is registered in 3 scopes of the MODELS tree (scopereg.LogSoftmax, "
    "mmalpha.LogSoftmax, mmbeta.LogSoftmax): an unscoped name means a different object "
    "depending on the default scope"
)
FINDINGS = Table(
    "Problems",
    ("severity", "kind", "where", "message"),
    [("warning", "same-name", "MODELS: LogSoftmax", LONG_MESSAGE), ("error", "forced", "MODELS: X", "short")],
)


class Terminal(io.StringIO):
    """An output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def shown(table: Table, stdout: io.StringIO | None = None) -> str:
    out = io.StringIO() if stdout is None else stdout
    emit(Report({}, [table]), as_json=False, stdout=out)
    return out.getvalue()


@pytest.fixture
def no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """``COLUMNS`` is not set: a pipe has no width of its own."""
    monkeypatch.delenv("COLUMNS", raising=False)


def test_a_plain_table_aligns_columns_under_a_rule(plain, no_columns):
    table = Table("Title", ("a", "long column"), [("xyz", "1"), ("w", "")])

    assert shown(table) == "Title\na    long column\n---  -----------\nxyz  1\nw" + "\n"


def test_a_plain_table_without_headings_has_no_header(plain, no_columns):
    table = Table("Title", ("", ""), [("key", "value"), ("longer key", "v")])

    assert shown(table) == "Title\nkey         value\nlonger key  v" + "\n"


@pytest.mark.parametrize("width", [40, 80, 120])
def test_every_line_of_a_long_plain_table_fits_the_width(plain, width):
    text = render(FINDINGS, width)

    assert max(len(line) for line in text.splitlines()) <= width
    assert len(text.splitlines()) > 4  # the long message was folded, not cut


def test_folded_plain_cells_keep_every_word_in_order(plain):
    lines = render(FINDINGS, 80).splitlines()
    message_start = lines[1].index("message")

    folded = " ".join(line[message_start:].strip() for line in lines[3:-1])

    assert folded == LONG_MESSAGE


def test_plain_continuation_lines_leave_the_other_columns_blank(plain):
    lines = render(FINDINGS, 80).splitlines()

    first_row, continuation = lines[3], lines[4]

    assert first_row.split()[:4] == ["warning", "same-name", "MODELS:", "LogSoftmax"]
    assert continuation[: continuation.index(continuation.strip())].isspace()


def test_a_plain_table_that_fits_is_left_as_it_is(plain):
    table = Table("Title", ("a", "long column"), [("xyz", "1")])
    expected = "Title\na    long column\n---  -----------\nxyz  1"

    assert render(table, 80) == render(table, 500) == render(table) == expected


def test_a_plain_table_without_a_width_keeps_every_row_on_one_line(plain):
    lines = render(FINDINGS).splitlines()

    assert len(lines) == 5
    assert lines[3].endswith(LONG_MESSAGE)


def test_plain_columns_never_fold_below_eight_characters(plain):
    rule = render(FINDINGS, 10).splitlines()[2]

    assert all(len(dashes) >= 8 for dashes in rule.split())


def test_a_pipe_has_no_width_to_fit(no_columns):
    assert terminal_width(io.StringIO()) is None


def test_columns_sets_the_width_even_for_a_pipe(monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")

    assert terminal_width(io.StringIO()) == 72


def test_a_plain_table_on_a_terminal_folds_to_its_width(plain, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")

    lines = shown(FINDINGS, Terminal()).splitlines()

    assert max(len(line) for line in lines) <= 40
    assert len(lines) > 5


def test_the_plain_cli_output_fits_columns(installed, monkeypatch, capsys):
    installed.distribution("lost", MISSING_LOCATION)  # a long message in a second table
    import builtins

    real_import = builtins.__import__

    def no_rich(name, *args, **kwargs):
        if name.startswith("rich"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setattr(builtins, "__import__", no_rich)
    assert main(["tree"]) in (0, 1)
    lines = capsys.readouterr().out.splitlines()
    assert lines
    assert max(map(len, lines)) <= 40


def test_a_rich_table_is_120_columns_wide_in_a_pipe_without_colours(no_columns):
    pytest.importorskip("rich")

    lines = shown(FINDINGS).splitlines()

    assert max(len(line) for line in lines) == 120
    assert "\x1b[" not in "".join(lines)


def test_a_rich_table_fits_columns_and_is_coloured_only_on_a_terminal(monkeypatch):
    pytest.importorskip("rich")
    monkeypatch.setenv("COLUMNS", "50")

    piped = shown(FINDINGS).splitlines()
    on_terminal = shown(FINDINGS, Terminal())

    assert max(len(line) for line in piped) == 50
    assert "\x1b[" not in "".join(piped)
    assert "\x1b[" in on_terminal
    assert max(len(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in on_terminal.splitlines()) <= 50


def test_a_rich_table_ends_with_its_bottom_edge_and_one_newline():
    pytest.importorskip("rich")

    assert shown(Table("Title", ("a", "b"), [("x", "y")])).endswith("└───┴───┘\n")


# -- the command line uses scopereg's public API only ---------------------------------------


def test_the_cli_imports_no_private_scopereg_name():
    package = Path(scopereg.cli.__file__).parent
    imported = [
        (source.name, name) for source in sorted(package.glob("*.py")) for name in _imported_names(source)
    ]

    private = [(file, name) for file, name in imported if _is_private(name)]

    assert ("_output.py", "scopereg.render_table") in imported  # the scan sees the imports
    assert private == []


def _imported_names(source: Path) -> list[str]:
    """Every name ``source`` (a module of scopereg.cli) imports, fully qualified, TYPE_CHECKING too."""
    names = []
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ["scopereg", "cli"][: max(0, 3 - node.level)] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def _is_private(name: str) -> bool:
    """A scopereg name outside scopereg.cli with a private part (``scopereg._roots``)."""
    parts = name.split(".")
    if parts[0] != "scopereg" or parts[:2] == ["scopereg", "cli"]:
        return False
    return any(part.startswith("_") and not part.endswith("__") for part in parts)


@pytest.mark.parametrize(
    "argv",
    [
        ["which", "MODELS", "ReLU", "--scope", "a.b"],
        ["list", "MODELS", "--scope", "a.b"],
        ["build", "{cfg}", "--scope", "a.b"],
        ["check", "{cfg}", "--scope", ""],
    ],
)
def test_a_scope_no_registry_can_have_is_an_unknown_scope(installed, capsys, tmp_path, argv):
    cfg = write(tmp_path, "cfg.json", {"model": {"type": "ReLU"}})

    result = run(capsys, *(arg.replace("{cfg}", cfg) for arg in argv), "--json")

    assert result.code == 2
    assert result.json["error"].startswith(f"unknown scope {argv[-1]!r}: no ")
