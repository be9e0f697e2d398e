"""``scopereg list``: registered names matching a pattern, with their scope and definition."""

from __future__ import annotations

import pytest

from . import fakes
from .fakes import ReLU, run

#: The module that defines the fake roots' classes, as the CLI reports it.
FAKES = fakes.__name__


@pytest.mark.parametrize("registry", ["MODELS", "models", "model", " Models "])
def test_list_accepts_the_public_name_in_any_case_or_the_registry_name(installed, two, capsys, registry):
    alpha, beta = two

    result = run(capsys, "list", registry, "Log*", "--json")

    assert result.code == 0
    assert result.json["registry"] == "MODELS"
    found = [(e["name"], e["scope"]) for e in result.json["entries"]]
    assert found == [
        ("LogSoftMax", alpha),
        ("LogSoftmax", "scopereg"),
        ("LogSoftmax", alpha),
        ("LogSoftmax", beta),
    ]


def test_list_gives_each_names_scope_module_and_definition(installed, two, capsys):
    alpha, _ = two

    [entry] = run(capsys, "list", "MODELS", "MLP", "--json").json["entries"]

    assert entry["key"] == f"{alpha}.MLP"
    assert entry["object"] == f"{alpha}.registry.MLP"
    assert entry["module"] == f"{alpha}.registry"
    assert entry["location"].startswith(installed.registry_file(alpha))
    assert entry["distribution"] == installed.dist(alpha)


def test_list_scope_restricts_to_that_scopes_registry(installed, two, capsys):
    _, beta = two

    result = run(capsys, "list", "MODELS", "--scope", beta, "--json")

    assert [e["name"] for e in result.json["entries"]] == ["BetaNet", "LogSoftmax"]
    assert {e["scope"] for e in result.json["entries"]} == {beta}


def test_list_unknown_registry_is_a_usage_error_listing_the_registries(installed, capsys):
    result = run(capsys, "list", "MODLES")

    assert result.code == 2
    assert result.out == ""
    assert result.err.strip() == (
        "scopereg: unknown registry 'MODLES'. Did you mean 'MODELS'? Registries: MODELS, DATASETS, OPTIMIZERS"
    )


def test_list_without_a_match_exits_1_with_suggestions(installed, two, capsys):
    result = run(capsys, "list", "MODELS", "LogSoftmx")

    assert result.code == 1
    assert result.out == ""
    assert "no name in the MODELS tree matches 'LogSoftmx'. Did you mean 'LogSoftmax' or 'LogSoftMax'?" in (
        result.err
    )


def test_list_scope_errors_unknown_scope_2_scope_missing_from_the_tree_1(installed, two, capsys):
    alpha, beta = two

    unknown = run(capsys, "list", "MODELS", "--scope", "gamma")
    elsewhere = run(capsys, "list", "DATASETS", "--scope", beta)

    assert unknown.code == 2
    assert "unknown scope 'gamma': no installed distribution declares it." in unknown.err
    assert elsewhere.code == 1
    assert (
        f"the DATASETS tree has no registry of scope {beta!r} (its scopes: scopereg, {alpha})"
        in elsewhere.err
    )


def test_list_as_rich_table_shows_names_literally(installed, capsys):
    pytest.importorskip("rich")
    installed.MODELS.register_module(name="[red]Odd", module=ReLU)

    result = run(capsys, "list", "MODELS", "*Odd")

    assert "[red]Odd" in result.out  # a cell is text, never rich markup
    assert "┃ name" in result.out
    assert "1 name in the MODELS tree matching '*Odd'" in result.out


def test_list_as_plain_text(installed, capsys, plain):
    result = run(capsys, "list", "MODELS", "ReLU")

    lines = result.out.splitlines()
    assert lines[0] == "1 name in the MODELS tree matching 'ReLU'"
    assert lines[1].split() == ["name", "scope", "module", "defined", "at"]
    assert set(lines[2]) == {"-", " "}
    assert lines[3].split()[:3] == ["ReLU", "scopereg", FAKES]
