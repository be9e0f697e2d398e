"""``scopereg which``: what a name resolves to, and why, as the root's ``Registry.explain`` says."""

from __future__ import annotations

import pytest

from scopereg import DefaultScope, NotRegisteredError

from . import fakes
from .fakes import ReLU, run

#: The module that defines the fake roots' classes, as the CLI reports it.
FAKES = fakes.__name__


def test_which_from_a_scope_says_what_it_shadows_and_where_else_the_name_is(installed, two, capsys):
    alpha, beta = two

    result = run(capsys, "which", "MODELS", "LogSoftmax", "--scope", beta, "--json")

    assert result.code == 0
    data = result.json
    assert (data["key"], data["scope"], data["registry_label"]) == (
        f"{beta}.LogSoftmax",
        beta,
        f"{beta}::model",
    )
    assert data["object"] == f"{beta}.registry.LogSoftmax"
    assert data["file"] == installed.registry_file(beta)
    assert data["location"] == f"{data['file']}:{data['line']}"
    assert data["distribution"] == installed.dist(beta)
    assert [e["key"] for e in data["shadows"]] == ["scopereg.LogSoftmax"]
    assert data["shadowed_by"] == []
    assert [e["key"] for e in data["also_in"]] == [f"{alpha}.LogSoftmax"]
    assert data["aliases"] == []
    assert data["searched"] == [f"{beta}::model"]
    assert data["reason"] == (
        f"'LogSoftmax' is registered in {beta}::model itself, the first registry searched "
        f"({beta}::model -> scopereg::model)"
    )


def test_which_from_the_root_is_shadowed_by_the_children(installed, two, capsys):
    alpha, beta = two

    data = run(capsys, "which", "model", "LogSoftmax", "--json").json

    assert data["key"] == "scopereg.LogSoftmax"
    assert data["object"] == f"{FAKES}.RootLogSoftmax"
    assert [e["key"] for e in data["shadowed_by"]] == [f"{alpha}.LogSoftmax", f"{beta}.LogSoftmax"]
    assert data["shadows"] == []


def test_which_lists_aliases_and_explains_scoped_keys(installed, two, capsys):
    alpha, _ = two

    data = run(capsys, "which", "MODELS", f"{alpha}.LogSoftMax", "--json").json

    assert data["name"] == "LogSoftMax"
    assert data["aliases"] == ["LogSoftmax"]
    assert data["reason"] == (
        f"the key names scope {alpha!r}, so it resolves in that scope's registry, {alpha}::model"
    )


def test_which_with_a_scope_missing_from_the_tree_resolves_from_the_root_as_a_build_would(
    installed, two, capsys
):
    alpha, _ = two
    installed.OPTIMIZERS.register_module(name="SGD", module=ReLU)

    data = run(capsys, "which", "OPTIMIZERS", "SGD", "--scope", alpha, "--json").json

    assert data["key"] == "scopereg.SGD"
    assert data["notes"] == [
        f"the OPTIMIZERS tree has no registry of scope {alpha!r}, so a build in that scope resolves from "
        "scopereg::optimizer."
    ]


def test_which_reports_a_deprecated_name(installed, capsys):
    installed.MODELS.deprecate("Relu", "ReLU")

    data = run(capsys, "which", "MODELS", "Relu", "--json").json

    assert data["key"] == "scopereg.ReLU"
    assert data["notes"] == ["scopereg::model: 'Relu' is deprecated; use 'ReLU' instead."]


def test_which_not_found_exits_1_with_the_registrys_did_you_mean(installed, two, capsys):
    alpha, beta = two

    result = run(capsys, "which", "MODELS", "LogSoftmx")
    as_json = run(capsys, "which", "MODELS", "LogSoftmx", "--json")

    message = (
        "LogSoftmx is not in the scopereg::model registry. Please check whether the value of `LogSoftmx` "
        "is correct or it was registered as expected. Searched scopereg::model. "
        f"Did you mean 'LogSoftmax', '{alpha}.LogSoftmax' or '{beta}.LogSoftmax'?"
    )
    assert (result.code, result.out, result.err) == (1, "", f"scopereg: {message}\n")
    assert as_json.code == 1
    assert as_json.json == {
        "error": message,
        "searched": ["scopereg::model"],
        "suggestions": ["LogSoftmax", f"{alpha}.LogSoftmax", f"{beta}.LogSoftmax"],
        "source": "import",  # a name the index does not hold: answered by importing, as a build would
    }


def test_which_as_plain_text_is_a_two_column_table(installed, two, capsys, plain):
    _, beta = two

    lines = run(capsys, "which", "MODELS", "LogSoftmax", "--scope", beta).out.splitlines()

    assert lines[0] == f"'LogSoftmax' from {beta}::model"
    assert lines[1].split() == ["key", f"{beta}.LogSoftmax"]
    assert lines[3].split() == ["object", f"{beta}.registry.LogSoftmax"]
    assert any(line.startswith("shadows ") and "scopereg.LogSoftmax" in line for line in lines)


@pytest.mark.parametrize(
    ("key", "in_scope"),
    [("LogSoftmx", None), ("LogSoftmx", "beta"), ("{alpha}.MPL", None), ("nowhere.ReLU", None)],
)
def test_which_not_found_says_word_for_word_what_a_build_of_the_key_raises(
    installed, two, capsys, key, in_scope
):
    alpha, beta = two
    key = key.format(alpha=alpha)
    scope = {"beta": beta, None: None}[in_scope]
    argv = ["which", "MODELS", key, "--json", *(["--scope", scope] if scope else [])]

    result = run(capsys, *argv)
    with DefaultScope.overwrite_default_scope(scope), pytest.raises(NotRegisteredError) as raised:
        installed.MODELS.build({"type": key})

    assert result.code == 1
    assert str(raised.value).startswith(f"{key} is not in the ")
    assert result.json == {
        "error": str(raised.value),
        "searched": list(raised.value.searched),
        "suggestions": list(raised.value.suggestions),
        "source": "import",
    }
