"""``scopereg explain CONFIG``: each node's scope, registry, callable and file:line; problems in place."""

from __future__ import annotations

import pytest

from scopereg import LocationImportError, Registry, _roots
from scopereg.cli import _explain

from .fakes import run, write


@pytest.fixture
def config(tmp_path, two):
    """A config over the fake scopes: beta's BetaNet, alpha's MLP by _scope_, the root's ReLU."""
    alpha, beta = two
    cfg = {
        "model": {
            "type": f"{beta}.BetaNet",
            "backbone": {"_scope_": alpha, "type": "MLP", "in_features": 4, "act_cfg": {"type": "ReLU"}},
            "out": {"type": "LogSoftmax"},
        },
        "epochs": 3,
    }
    return write(tmp_path, "cfg.json", cfg)


def test_every_node_shows_its_path_scope_registry_callable_and_file_line(installed, two, config, capsys):
    alpha, beta = two

    result = run(capsys, "explain", config, "--json")

    assert result.code == 0
    assert (result.json["checked"], result.json["skipped"]) == (["model"], ["epochs"])
    nodes = {node["path"]: node for node in result.json["nodes"]}
    assert list(nodes) == ["model", "model.backbone", "model.backbone.act_cfg", "model.out"]
    backbone = nodes["model.backbone"]
    assert (backbone["parent"], backbone["type"], backbone["scope"]) == ("model", "MLP", alpha)
    assert (backbone["resolved_in"], backbone["key"]) == (f"{alpha}::model", f"{alpha}.MLP")
    assert backbone["object"] == f"{alpha}.registry.MLP"
    assert backbone["location"] == f"{backbone['file']}:{backbone['line']}"
    assert backbone["file"] == installed.registry_file(alpha)
    assert nodes["model.backbone.act_cfg"]["resolved_in"] == "scopereg::model"  # alpha has none: the root's
    assert nodes["model.out"]["resolved_in"] == f"{beta}::model"  # BetaNet's children resolve in beta


def test_a_typo_is_a_problem_at_its_node_and_the_rest_still_resolves(installed, two, tmp_path, capsys):
    alpha, beta = two
    cfg = {"model": {"type": f"{beta}.BetaNet", "backbone": {"type": f"{alpha}.MPL"}}}

    result = run(capsys, "explain", write(tmp_path, "typo.json", cfg), "--json")

    assert result.code == 1
    model, backbone = result.json["nodes"]
    assert (model["resolved_in"], model["problems"]) == (f"{beta}::model", [])
    assert (backbone["path"], backbone["parent"], backbone["object"]) == ("model.backbone", "model", None)
    [problem] = backbone["problems"]
    assert (problem["path"], problem["kind"]) == ("model.backbone.type", "unknown-type")
    assert f"Did you mean '{alpha}.MLP'?" in problem["message"]
    assert result.json["problems"] == [problem]


def test_the_problems_are_the_ones_check_finds(installed, two, tmp_path, capsys):
    alpha, beta = two
    cfg = {
        "model": {"type": f"{beta}.BetaNet", "backbone": {"type": "Nope"}, "bogus": 1},
        "data": [{"type": "Blobs"}, {"type": f"{alpha}.Blobs", "size": 3}],
    }
    path = write(tmp_path, "cfg.json", cfg)
    run(capsys, "tree")  # every scope imported: no message says "not imported yet" in one and not the other

    explained = run(capsys, "explain", path, "--json").json
    checked = run(capsys, "check", path, "--json").json

    assert explained["problems"] == checked["problems"]
    assert explained["checked"] == checked["checked"] == ["model", "data[0]", "data[1]"]


def test_as_plain_text_the_config_is_a_tree_with_problems_under_their_node(
    installed, two, tmp_path, capsys, plain
):
    alpha, beta = two
    cfg = {
        "model": {"type": f"{beta}.BetaNet", "backbone": {"type": f"{alpha}.MPL"}, "out": {"type": "ReLU"}}
    }
    path = write(tmp_path, "typo.json", cfg)

    lines = run(capsys, "explain", path).out.splitlines()

    assert lines[0] == f"{path}: 3 nodes, 1 problem"
    assert lines[1].startswith(
        f"└── model: type '{beta}.BetaNet' -> {beta}.registry.BetaNet in {beta}::model ("
    )
    assert lines[2] == f"    ├── model.backbone: type '{alpha}.MPL' -> not resolved (from {beta}::model)"
    assert lines[3].startswith("    │   └── ✗ model.backbone.type: unknown-type: ")
    assert f"Did you mean '{alpha}.MLP'?" in lines[3]
    assert lines[4].startswith("    └── model.out: type 'ReLU' -> ")


def test_with_rich_the_tree_is_drawn_by_rich_and_names_stay_literal(installed, tmp_path, capsys):
    pytest.importorskip("rich")
    installed.MODELS.register_module(name="[red]Odd", module=dict)

    out = run(capsys, "explain", write(tmp_path, "cfg.json", {"model": {"type": "[red]Odd"}})).out

    assert "└── model: type '[red]Odd' -> builtins.dict in scopereg::model" in out


def test_scope_key_and_registry_options_are_those_of_check(installed, two, tmp_path, capsys):
    alpha, _ = two
    cfg = {"model": {"type": "LogSoftmax"}, "data": {"type": "Blobs", "size": 2}}
    path = write(tmp_path, "cfg.json", cfg)

    in_alpha = run(capsys, "explain", path, "--scope", alpha, "--key", "model", "--json").json
    as_datasets = run(capsys, "explain", path, "--registry", "DATASETS", "--key", "data", "--json").json

    assert [node["resolved_in"] for node in in_alpha["nodes"]] == [f"{alpha}::model"]
    assert as_datasets["nodes"][0]["registry"] == "scopereg::dataset"
    assert as_datasets["nodes"][0]["problems"][0]["kind"] == "unknown-type"


def test_a_cycle_is_a_problem_of_the_node_where_the_config_refers_back(installed, capsys, monkeypatch):
    model = {"type": "ReLU", "child": {"type": "ReLU"}}
    model["child"]["again"] = model  # no config file holds a cycle (load_config refuses): a program's dict
    monkeypatch.setattr(_explain, "read", lambda path: {"model": model})

    result = run(capsys, "explain", "cycle.py", "--json")

    assert result.code == 1
    [problem] = result.json["problems"]
    assert (problem["path"], problem["kind"]) == ("model.child.again", "cycle")
    owners = [node["path"] for node in result.json["nodes"] if node["problems"]]
    assert owners == ["model.child"]


def test_a_registry_whose_locations_fail_is_an_import_error_at_the_node(
    installed, tmp_path, capsys, monkeypatch
):
    broken = Registry("broken", scope="scopereg", locations=[f"nowhere_{installed.tag}"])
    monkeypatch.setitem(_roots.ROOT_REGISTRIES, "BROKEN", broken)

    result = run(
        capsys, "explain", write(tmp_path, "cfg.json", {"x": {"type": "A"}}), "--registry", "BROKEN", "--json"
    )

    assert result.code == 1
    [node] = result.json["nodes"]
    assert [p["kind"] for p in node["problems"]] == ["import-error"]
    with pytest.raises(LocationImportError):
        broken.import_from_location()


def test_a_type_given_as_a_callable_shows_the_callable(installed, tmp_path, capsys):
    path = tmp_path / "cfg.py"
    path.write_text("import collections\nmodel = dict(type=collections.OrderedDict)\n")

    [node] = run(capsys, "explain", str(path), "--json").json["nodes"]

    assert (node["object"], node["resolved_in"], node["location"]) == ("collections.OrderedDict", None, None)
