"""tree, list and which from the static index: what they say about names only the code registers."""

from __future__ import annotations

import sys

import pytest

from scopereg import DefaultScope, NotRegisteredError

from .fakes import run
from .test_index import MODELS_PY, plugin


@pytest.fixture
def alpha(installed) -> str:
    """A scope whose MODELS location registers Net and Network, and A and B in a loop."""
    return plugin(installed, "alpha", {"models.py": MODELS_PY})


def test_list_gives_the_names_read_and_says_where_the_others_are_registered(installed, alpha, capsys):
    result = run(capsys, "list", "MODELS", "--scope", alpha, "--json")

    assert result.code == 0
    assert result.json["source"] == "index"
    assert [(e["name"], e["from_source"]) for e in result.json["entries"]] == [
        ("Net", True),
        ("Network", True),
    ]
    [place] = result.json["dynamic"]
    assert (place["registry"], place["line"]) == (f"MODELS[{alpha}]", 22)
    assert place["file"].endswith("models.py")
    assert f"{alpha}.models" not in sys.modules


def test_list_as_text_ends_with_where_unread_names_are_and_how_to_list_them(installed, alpha, capsys, plain):
    lines = run(capsys, "list", "MODELS", "--scope", alpha).out.splitlines()

    assert lines[0] == f"2 names in the MODELS registry of scope {alpha!r} matching '*'"
    assert lines[-1].startswith(f"Not listed: names registered when the code runs ({alpha}::model at ")
    assert lines[-1].endswith(f"`scopereg list MODELS --scope {alpha} --import` lists them too.")


def test_list_with_import_lists_the_names_the_code_registers(installed, alpha, capsys):
    result = run(capsys, "list", "MODELS", "--scope", alpha, "--import", "--json")

    assert result.json["source"] == "import"
    assert [e["name"] for e in result.json["entries"]] == ["A", "B", "Net", "Network"]
    assert f"{alpha}.models" in sys.modules


def test_tree_counts_names_read_and_marks_registries_with_dynamic_registrations(installed, alpha, capsys):
    result = run(capsys, "tree", "--json")
    imported = run(capsys, "tree", "--import", "--json")

    assert result.json["scopes"][alpha]["registries"] == {"MODELS": 2, "DATASETS": 0}
    assert [p["line"] for p in result.json["scopes"][alpha]["dynamic"]["MODELS"]] == [22]
    assert [p["line"] for p in result.json["scopes"][alpha]["dynamic"]["DATASETS"]] == [23]
    assert imported.json["scopes"][alpha]["registries"] == {"MODELS": 4, "DATASETS": 1}
    assert (result.json["source"], imported.json["source"]) == ("index", "import")


def test_tree_as_text_shows_dynamic_counts_and_a_table_of_where(installed, alpha, capsys, plain):
    lines = run(capsys, "tree").out.splitlines()

    assert [alpha, installed.dist(alpha), "MODELS", "2", "+", "dynamic"] in [line.split() for line in lines]
    title = "Names registered when the code runs: `scopereg tree --import` reads them"
    assert title in lines
    assert any(line.startswith(f"MODELS[{alpha}]") and "models.py:22" in line for line in lines)


def test_which_answers_from_the_index_when_it_is_sure(installed, alpha, capsys):
    data = run(capsys, "which", "MODELS", "Network", "--scope", alpha, "--json").json

    assert data["source"] == "index"
    assert (data["key"], data["object"], data["aliases"]) == (
        f"{alpha}.Network",
        f"{alpha}.models.Net",
        ["Net"],
    )
    assert data["reason"].startswith(f"'Network' is registered in {alpha}::model itself")
    assert f"{alpha}.models" not in sys.modules


def test_which_imports_when_a_registry_searched_first_registers_names_the_index_cannot_read(
    installed, alpha, capsys
):
    installed.MODELS.register_module(name="A", module=len)  # the root has an A too

    data = run(capsys, "which", "MODELS", "A", "--scope", alpha, "--json").json

    assert data["source"] == "import"
    assert data["key"] == f"{alpha}.A"  # the loop's A wins in alpha, as a build in alpha finds it


def test_which_of_a_name_the_index_does_not_hold_is_the_builds_own_error(installed, alpha, capsys):
    result = run(capsys, "which", "MODELS", "Nett", "--scope", alpha, "--json")
    with DefaultScope.overwrite_default_scope(alpha), pytest.raises(NotRegisteredError) as raised:
        installed.MODELS.build({"type": "Nett"})

    assert result.code == 1
    assert result.json["source"] == "import"
    assert result.json["error"] == str(raised.value)
    assert "Did you mean 'Net'" in result.json["error"]


@pytest.mark.parametrize("argv", [["tree"], ["list", "MODELS"], ["which", "MODELS", "ReLU"]])
def test_import_answers_from_the_live_registries(installed, two, capsys, argv):
    assert run(capsys, *argv, "--import", "--json").json["source"] == "import"
