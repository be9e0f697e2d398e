"""``scopereg tree``: every declared scope, its distribution, its registries and their sizes."""

from __future__ import annotations

from scopereg import Registry, _roots

from .fakes import ALPHA, BROKEN, MISSING_LOCATION, ReLU, run


def test_tree_lists_every_declared_scope_its_distribution_and_registry_sizes(installed, two, capsys):
    alpha, beta = two

    result = run(capsys, "tree", "--json")

    assert result.code == 0
    scopes = result.json["scopes"]
    assert scopes["scopereg"]["registries"] == {"MODELS": 3, "DATASETS": 0, "OPTIMIZERS": 0}
    assert scopes[alpha] == {
        "distribution": installed.dist(alpha),
        "entry_points": [f"{alpha} = {alpha}.registry"],
        "registries": {"MODELS": 3, "DATASETS": 1},  # LogSoftmax, its alias LogSoftMax, MLP
        "dynamic": {},
    }
    assert scopes[beta]["registries"] == {"MODELS": 2}
    assert next(iter(scopes)) == "scopereg"  # the roots' scope first
    assert result.json["errors"] == []


def test_tree_reports_a_failing_location_and_a_broken_entry_point_and_keeps_going(installed, capsys):
    alpha = installed.distribution("alpha", ALPHA)
    lost = installed.distribution("lost", MISSING_LOCATION)
    broken = installed.distribution("broken", BROKEN)

    result = run(capsys, "tree", "--json")

    assert result.code == 1
    scopes = result.json["scopes"]
    assert scopes[lost]["registries"] == {"MODELS": None}
    assert scopes[alpha]["registries"] == {"MODELS": 3, "DATASETS": 1}
    assert scopes[broken] == {
        "distribution": installed.dist(broken),
        "entry_points": [f"{broken} = {broken}.registry"],
        "registries": {},
        "dynamic": {},
    }
    errors = {error["kind"]: error for error in result.json["errors"]}
    assert errors["failing-location"]["where"] == f"MODELS[{lost}]"
    missing = f"location '{lost}.nowhere': no module named '{lost}.nowhere'"
    assert missing in errors["failing-location"]["message"]
    assert errors["broken-entry-point"]["where"] == f"{installed.dist(broken)}: {broken} = {broken}.registry"
    assert "RuntimeError: broken on purpose" in errors["broken-entry-point"]["message"]


def test_tree_as_text_has_one_row_per_registry(installed, two, capsys, plain):
    alpha, beta = two

    result = run(capsys, "tree")

    lines = result.out.splitlines()
    assert lines[0] == "3 scopes, 9 names read from source"
    assert lines[1].split() == ["scope", "distribution", "registry", "names"]
    assert [alpha, installed.dist(alpha), "MODELS", "3"] in [line.split() for line in lines]
    assert ["DATASETS", "1"] in [line.split() for line in lines]
    assert [beta, installed.dist(beta), "MODELS", "2"] in [line.split() for line in lines]


def test_tree_counts_the_names_of_a_child_whose_root_fails_to_import(installed, capsys, monkeypatch):
    lost = Registry("lost", scope="scopereg", locations=[f"nowhere_{installed.tag}"])
    child = Registry("lost", parent=lost, scope=f"healthy_{installed.tag}")
    child.register_module(module=ReLU)
    monkeypatch.setitem(_roots.ROOT_REGISTRIES, "LOST", lost)

    result = run(capsys, "tree", "--json")

    assert result.code == 1
    assert result.json["scopes"]["scopereg"]["registries"]["LOST"] is None
    assert [error["where"] for error in result.json["errors"]] == ["LOST"]
    assert result.json["scopes"][f"healthy_{installed.tag}"]["registries"] == {"LOST": 1}
