"""Plain-text tables fit the terminal: long cells fold onto continuation lines."""

from __future__ import annotations

import io

import pytest

from scopereg.cli._output import MIN_COLUMN_WIDTH, Table, plain_table, terminal_width

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


@pytest.mark.parametrize("width", [40, 80, 120])
def test_every_line_of_a_long_table_fits_the_width(width):
    text = plain_table(FINDINGS, width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert len(text.splitlines()) > 4  # the long message was folded, not cut


def test_folded_cells_keep_every_word_in_order():
    lines = plain_table(FINDINGS, 80).splitlines()
    message_start = lines[1].index("message")
    folded = " ".join(line[message_start:].strip() for line in lines[3:-1])
    assert folded == LONG_MESSAGE


def test_continuation_lines_leave_the_other_columns_blank():
    lines = plain_table(FINDINGS, 80).splitlines()
    first_row, continuation = lines[3], lines[4]
    assert first_row.split()[:4] == ["warning", "same-name", "MODELS:", "LogSoftmax"]
    assert continuation[: continuation.index(continuation.strip())].isspace()


def test_a_table_that_fits_is_left_as_it_is():
    table = Table("Title", ("a", "long column"), [("xyz", "1")])
    expected = "Title\na    long column\n---  -----------\nxyz  1"
    assert plain_table(table, 80) == plain_table(table, 500) == plain_table(table) == expected


def test_without_a_width_every_row_stays_on_one_line():
    lines = plain_table(FINDINGS).splitlines()
    assert len(lines) == 5
    assert lines[3].endswith(LONG_MESSAGE)


def test_columns_never_fold_below_the_minimum_width():
    text = plain_table(FINDINGS, 10)
    rule = text.splitlines()[2]
    assert all(len(dashes) >= MIN_COLUMN_WIDTH for dashes in rule.split())


def test_a_pipe_has_no_width_to_fit(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(io.StringIO()) is None


def test_columns_sets_the_width_even_for_a_pipe(monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width(io.StringIO()) == 72


def test_the_plain_cli_output_fits_columns(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_rich(name, *args, **kwargs):
        if name.startswith("rich"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    from scopereg.cli import main

    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setattr(builtins, "__import__", no_rich)
    assert main(["tree"]) in (0, 1)
    lines = capsys.readouterr().out.splitlines()
    assert lines
    assert max(map(len, lines)) <= 40
