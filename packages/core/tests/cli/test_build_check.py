"""``scopereg check`` and ``scopereg build``: config files validated, or built, node by node."""

from __future__ import annotations

from typing import Any

import pytest

from .fakes import run, write

# -- check ----------------------------------------------------------------------------------


def broken_config(alpha: str, beta: str) -> dict[str, Any]:
    return {
        "model": {
            "type": f"{beta}.BetaNet",
            "backbone": {
                "_scope_": alpha,
                "type": "MLP",
                "in_features": 8,
                "hiden_features": 4,
                "act_cfg": {"type": "ReLu"},
            },
        },
        "epochs": 3,
    }


def test_check_lists_every_problem_with_its_config_path_and_exits_1(installed, two, capsys, tmp_path):
    alpha, beta = two
    path = write(tmp_path, "broken.json", broken_config(alpha, beta))

    result = run(capsys, "check", path, "--json")

    assert result.code == 1
    assert result.json["checked"] == ["model"]
    assert result.json["skipped"] == ["epochs"]
    problems = result.json["problems"]
    assert [(p["path"], p["kind"]) for p in problems] == [
        ("model.backbone.hiden_features", "unexpected-keyword"),
        ("model.backbone.act_cfg.type", "unknown-type"),
    ]
    assert "did you mean 'hidden_features'" in problems[0]["message"]
    assert f"'MLP' ({alpha}.registry.MLP" in problems[0]["message"]
    assert "Did you mean 'ReLU'?" in problems[1]["message"]


def test_check_as_text_is_a_table_of_paths(installed, two, capsys, tmp_path, plain):
    alpha, beta = two
    path = write(tmp_path, "broken.json", broken_config(alpha, beta))

    lines = run(capsys, "check", path).out.splitlines()

    assert lines[0] == f"2 problems in {path}"
    assert lines[1].split() == ["path", "kind", "message"]
    assert lines[3].split()[:2] == ["model.backbone.hiden_features", "unexpected-keyword"]
    assert lines[4].split()[:2] == ["model.backbone.act_cfg.type", "unknown-type"]


def test_check_a_good_config_says_no_problems(installed, two, capsys, tmp_path):
    alpha, beta = two
    cfg = {"model": {"type": f"{beta}.BetaNet", "backbone": {"type": f"{alpha}.MLP", "in_features": 8}}}
    path = write(tmp_path, "good.json", cfg)

    result = run(capsys, "check", path)

    assert (result.code, result.err) == (0, "")
    assert result.out == f"{path}: no problems (checked model (scopereg::model))\n"


def test_check_a_single_node_config_with_the_registry_and_scope_given(installed, two, capsys, tmp_path):
    alpha, _ = two
    path = write(tmp_path, "node.json", {"type": "MLP", "in_features": 2, "act_cfg": {"type": "Blobz"}})

    plain_run = run(capsys, "check", path, "--json")
    scoped = run(capsys, "check", path, "--scope", alpha, "--json")
    datasets = run(capsys, "check", path, "--scope", alpha, "--registry", "DATASETS", "--json")

    assert [p["path"] for p in plain_run.json["problems"]] == ["type", "act_cfg.type"]  # MLP is alpha's
    assert [p["path"] for p in scoped.json["problems"]] == ["act_cfg.type"]
    assert "Did you mean 'Blobs'?" not in scoped.json["problems"][0]["message"]  # Blobs is a dataset
    assert [p["path"] for p in datasets.json["problems"]] == ["type", "act_cfg.type"]
    assert "Did you mean 'Blobs'?" in datasets.json["problems"][1]["message"]


# -- build ----------------------------------------------------------------------------------


def test_build_builds_each_key_with_its_conventional_registry(installed, two, capsys, tmp_path):
    alpha, beta = two
    cfg = {
        "model": {
            "type": f"{beta}.BetaNet",
            "backbone": {"_scope_": alpha, "type": "MLP", "in_features": 8, "act_cfg": {"type": "ReLU"}},
            "out": {"type": "LogSoftmax", "temperature": 2.0},
        },
        "data": {"type": f"{alpha}.Blobs", "size": 3},
        "activations": [{"type": "ReLU"}, {"type": "ReLU", "inplace": True}],
        "epochs": 3,
    }
    path = write(tmp_path, "cfg.json", cfg)

    result = run(capsys, "build", path, "--json")

    assert result.code == 0
    assert result.json == {
        "config": path,
        "built": {
            "model": "BetaNet(MLP(8, 32, act=ReLU(inplace=False)), out=BetaLogSoftmax(temperature=2.0))",
            "data": "Blobs(size=3)",  # 'data' builds with DATASETS
            "activations[0]": "ReLU(inplace=False)",
            "activations[1]": "ReLU(inplace=True)",
        },
        "errors": {},
        "problems": [],
        "skipped": ["epochs"],
    }


def test_build_as_text_prints_each_repr(installed, two, capsys, tmp_path):
    alpha, _ = two
    path = write(tmp_path, "cfg.json", {"data": {"type": f"{alpha}.Blobs", "size": 3}, "seed": 1})

    result = run(capsys, "build", path)

    assert result.out == "data = Blobs(size=3)\nnot built (no 'type'): seed\n"


def test_build_in_a_scope_resolves_unscoped_names_there(installed, two, capsys, tmp_path):
    alpha, _ = two
    path = write(tmp_path, "cfg.py", "model = dict(type='LogSoftmax', dim=1)\n")

    root = run(capsys, "build", path, "--json").json["built"]
    scoped = run(capsys, "build", path, "--scope", alpha, "--json").json["built"]

    assert root == {"model": "RootLogSoftmax(dim=1)"}
    assert scoped == {"model": "AlphaLogSoftmax(dim=1)"}


def test_build_reports_every_problem_with_its_path_and_builds_the_rest(installed, two, capsys, tmp_path):
    alpha, beta = two
    cfg = {**broken_config(alpha, beta), "act": {"type": "ReLU"}}
    path = write(tmp_path, "broken.json", cfg)

    result = run(capsys, "build", path)

    assert result.code == 1
    assert result.out == "act = ReLU(inplace=False)\nnot built (no 'type'): epochs\n"
    lines = result.err.splitlines()
    assert lines[0] == "scopereg: model: 2 problems, nothing built:"
    assert lines[1].startswith("  - model.backbone.hiden_features: unexpected keyword 'hiden_features'")
    assert lines[2].startswith("  - model.backbone.act_cfg.type: ReLu is not in the ")
    assert "Traceback" not in result.err


def test_build_reports_an_exception_raised_by_a_constructor_without_a_traceback(installed, capsys, tmp_path):
    path = write(tmp_path, "cfg.json", {"model": {"type": "Exploding", "size": 3}})

    result = run(capsys, "build", path, "--json")

    assert result.code == 1
    assert result.json["errors"] == {"model": "ValueError: cannot make a thing of size 3"}


@pytest.mark.parametrize(
    "case",
    [
        (["check", "{tmp}/missing.json"], 2, "no such config file: '{tmp}/missing.json'"),
        (["check", "{tmp}/cfg.txt"], 1, "unsupported suffix '.txt'"),
        (["build", "{tmp}/bad.json"], 1, "config file '{tmp}/bad.json', line 1"),
        (["build", "{tmp}/raises.py"], 1, "failed to load: ZeroDivisionError: division by zero"),
        (["build", "{tmp}/data.json"], 1, "nothing to do: the config has no 'type' at the top"),
        (["check", "{tmp}/data.json", "--key", "model"], 2, "the config has no key 'model' (keys: epochs)"),
        (["check", "{tmp}/data.json", "--registry", "NOPE"], 2, "unknown registry 'NOPE'"),
        (["build", "{tmp}/data.json", "--scope", "nowhere"], 2, "unknown scope 'nowhere'"),
    ],
)
def test_config_failures_exit_with_a_clear_message(installed, capsys, tmp_path, case):
    argv, code, message = case
    (tmp_path / "cfg.txt").write_text("type = 1\n")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "raises.py").write_text("x = 1 / 0\n")
    (tmp_path / "data.json").write_text('{"epochs": 3}')
    if "--scope" in argv:
        (tmp_path / "data.json").write_text('{"model": {"type": "ReLU"}}')
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]

    result = run(capsys, *argv)
    as_json = run(capsys, *argv, "--json")

    assert result.code == code
    assert message.replace("{tmp}", str(tmp_path)) in result.err
    assert "Traceback" not in result.err
    assert as_json.code == code
    assert message.replace("{tmp}", str(tmp_path)) in as_json.json["error"]
