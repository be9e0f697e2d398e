"""``scopereg doctor``: what in the installed set would surprise a user."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from . import fakes
from .fakes import BETA, BROKEN, MISSING_LOCATION, RootLogSoftmax, Run, run

#: A registry in the MODELS tree named NAME.
MISNAMED = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("NAME", parent=holder.MODELS, scope="SCOPE")
"""

#: The module that defines the fake roots' classes, as the CLI reports it.
FAKES = fakes.__name__


def test_doctor_warns_of_names_in_several_scopes_and_forced_entries_and_exits_0(installed, two, capsys):
    alpha, beta = two
    installed.MODELS.register_module(name="ReLU", force=True, module=RootLogSoftmax)

    result = run(capsys, "doctor", "--json")

    assert result.code == 0
    findings = {(f["kind"], f["where"]): f for f in result.json["findings"]}
    same = findings["same-name", "MODELS: LogSoftmax"]
    assert same["severity"] == "warning"
    assert same["keys"] == ["scopereg.LogSoftmax", f"{alpha}.LogSoftmax", f"{beta}.LogSoftmax"]
    forced = findings["forced", "MODELS: scopereg.ReLU"]
    assert f"replaced {FAKES}.ReLU" in forced["message"]
    assert forced["message"].endswith("with force=True")
    assert result.json["summary"] == {
        "scopes": 3, "registries": 6, "names": 9, "errors": 0, "warnings": 2,
    }  # fmt: skip


def test_doctor_exits_1_for_broken_entry_points_and_failing_locations_listed_first(installed, two, capsys):
    lost = installed.distribution("lost", MISSING_LOCATION)
    broken = installed.distribution("broken", BROKEN)

    result = run(capsys, "doctor", "--json")

    assert result.code == 1
    kinds = [(f["severity"], f["kind"]) for f in result.json["findings"]]
    assert kinds[:2] == [("error", "broken-entry-point"), ("error", "failing-location")]
    assert ("warning", "same-name") in kinds
    assert ("warning", "scope-without-registry") not in kinds  # the broken scope is already an error
    where = {f["kind"]: f["where"] for f in result.json["findings"]}
    assert where["failing-location"] == f"MODELS[{lost}]"
    assert broken in where["broken-entry-point"]


def test_doctor_warns_of_a_scope_that_no_registry_uses(installed, capsys):
    empty = installed.distribution("empty", "")

    findings = run(capsys, "doctor", "--json").json["findings"]

    assert [(f["kind"], f["where"]) for f in findings] == [("scope-without-registry", empty)]


def test_doctor_warns_of_a_scope_declared_by_two_distributions(installed, capsys):
    beta = installed.distribution("beta", BETA)
    installed.declare_again(beta, f"impostor-{installed.tag}")

    result = run(capsys, "doctor", "--json")

    assert result.code == 0
    [twice] = [f for f in result.json["findings"] if f["kind"] == "scope-declared-twice"]
    assert twice["where"] == beta
    assert installed.dist(beta) in twice["message"]
    assert f"impostor-{installed.tag}: {beta} = {beta}.registry" in twice["message"]


def test_doctor_with_nothing_to_report(installed, capsys, plain):
    result = run(capsys, "doctor")

    assert result.code == 0
    assert result.out == "1 scope, 3 registries, 3 names: 0 errors, 0 warnings: nothing to report\n"


def test_doctor_reports_a_distribution_whose_entry_point_metadata_cannot_be_read(installed, capsys):
    installed.distribution("beta", BETA)
    unreadable = f"badmeta-{installed.tag}"
    info = installed.path / f"{unreadable}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {unreadable}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[scopereg.scopes]\nno equals sign here\n")
    importlib.invalidate_caches()

    result = run(capsys, "doctor", "--json")

    assert result.code == 1
    [broken] = [f for f in result.json["findings"] if f["kind"] == "broken-entry-point"]
    assert broken["where"] == f"{unreadable}: entry_points.txt"


def errors(result: Run) -> list[dict[str, Any]]:
    return [f for f in result.json["findings"] if f["severity"] == "error"]


def test_doctor_fails_on_an_entry_point_named_differently_from_its_registries_scope(installed, capsys):
    scope = installed.distribution("gamma", BETA, declared_as="gama")
    declared = f"gama_{installed.tag}"

    result = run(capsys, "doctor", "--json")

    assert result.code == 1
    [finding] = errors(result)
    assert (finding["kind"], finding["where"]) == (
        "entry-point-name",
        f"{installed.dist(scope)}: {declared} = {scope}.registry",
    )
    assert (finding["scope"], finding["registry_scopes"]) == (declared, [scope])
    assert finding["message"].endswith(f"Name the entry point after the scope: '{scope} = {scope}.registry'")
    assert "scope-without-registry" not in {f["kind"] for f in result.json["findings"]}


@pytest.mark.parametrize(
    ("name", "hint"),
    [("models", ""), ("dataset", " ('dataset' is the name of DATASETS: is it in the wrong tree?)")],
)
def test_doctor_fails_on_a_child_registry_named_unlike_its_root(installed, capsys, name, hint):
    scope = installed.distribution("gamma", MISNAMED.replace('"NAME"', repr(name)))

    result = run(capsys, "doctor", "--json")

    assert result.code == 1
    [finding] = errors(result)
    assert (finding["kind"], finding["where"]) == ("registry-name", f"MODELS[{scope}]")
    assert finding["message"] == (
        f"{scope}::{name} is in the MODELS tree, whose registries are named 'model': name it 'model'{hint}"
    )


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("model", "make it a child of scopereg.MODELS (parent=...)"),
        ("modle", "'modle' is the name of no root registry (did you mean 'model'?)"),
    ],
)
def test_doctor_fails_on_a_registry_outside_every_root_tree(installed, capsys, name, fix):
    source = f'from scopereg import Registry\nMODELS = Registry("{name}", scope="SCOPE")\n'
    scope = installed.distribution("gamma", source)

    result = run(capsys, "doctor", "--json")

    assert result.code == 1
    assert [(f["kind"], f["where"], f["message"]) for f in result.json["findings"]] == [
        (
            "registry-outside-tree",
            f"{scope}::{name}",
            f"{scope}::{name} is in no root registry's tree, so no key or _scope_ reaches it: {fix}",
        )
    ]
