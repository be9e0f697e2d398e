"""The ``scopereg`` command line, against small fake installations (no torch, no mmalpha).

The fixture replaces the root registries with three fakes in scope ``scopereg`` and
installs fake distributions (a package plus a ``*.dist-info`` with ``entry_points.txt``
on ``sys.path``) declaring child scopes, as ``importlib.metadata`` would find wheels.
Only those scopes (and scopereg's own) are seen as declared, whatever else is installed.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scopereg import Registry, _discovery, _roots
from scopereg.cli import main
from scopereg.cli._output import Table, plain_table

# -- the fake installation ---------------------------------------------------------------


class RootLogSoftmax:
    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def __repr__(self) -> str:
        return f"RootLogSoftmax(dim={self.dim})"


class ReLU:
    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def __repr__(self) -> str:
        return f"ReLU(inplace={self.inplace})"


class Exploding:
    def __init__(self, size: int) -> None:
        raise ValueError(f"cannot make a thing of size {size}")


ALPHA = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE")
    DATASETS = Registry("dataset", parent=holder.DATASETS, scope="SCOPE")


    @MODELS.register_module(name=["LogSoftmax", "LogSoftMax"])
    class LogSoftmax:
        def __init__(self, dim=None):
            self.dim = dim

        def __repr__(self):
            return f"AlphaLogSoftmax(dim={self.dim})"


    @MODELS.register_module()
    class MLP:
        def __init__(self, in_features, hidden_features=32, act_cfg=None):
            self.args = (in_features, hidden_features, act_cfg)

        def __repr__(self):
            return "MLP(%r, %r, act=%r)" % self.args


    @DATASETS.register_module()
    class Blobs:
        def __init__(self, size):
            self.size = size

        def __repr__(self):
            return f"Blobs(size={self.size})"
"""

BETA = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE")


    @MODELS.register_module()
    class LogSoftmax:
        def __init__(self, temperature=1.0):
            self.temperature = temperature

        def __repr__(self):
            return f"BetaLogSoftmax(temperature={self.temperature})"


    @MODELS.register_module()
    class BetaNet:
        def __init__(self, backbone, out=None):
            self.backbone, self.out = backbone, out

        def __repr__(self):
            return f"BetaNet({self.backbone!r}, out={self.out!r})"
"""

BROKEN = """
    raise RuntimeError("broken on purpose")
"""

MISSING_LOCATION = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE", locations=["SCOPE.nowhere"])
"""


class Installed:
    """Fake root registries and fake distributions declaring child scopes."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.path = path
        self.tag = uuid.uuid4().hex[:8]
        self.MODELS = Registry("model", scope="scopereg")
        self.DATASETS = Registry("dataset", scope="scopereg")
        self.OPTIMIZERS = Registry("optimizer", scope="scopereg")
        self.MODELS.register_module(name="LogSoftmax", module=RootLogSoftmax)
        self.MODELS.register_module(module=ReLU)
        self.MODELS.register_module(module=Exploding)
        roots = {"MODELS": self.MODELS, "DATASETS": self.DATASETS, "OPTIMIZERS": self.OPTIMIZERS}
        monkeypatch.setattr(_roots, "ROOT_REGISTRIES", roots)
        self.holder_name = f"cli_holder_{self.tag}"
        holder = types.ModuleType(self.holder_name)
        holder.__dict__.update(roots)
        monkeypatch.setitem(sys.modules, self.holder_name, holder)
        monkeypatch.syspath_prepend(str(path))
        self.scopes: list[str] = []
        real = _discovery.declared_scopes

        def declared() -> dict[str, Any]:
            return {s: eps for s, eps in real().items() if s == "scopereg" or s in self.scopes}

        monkeypatch.setattr(_discovery, "declared_scopes", declared)

    def distribution(self, stem: str, source: str) -> str:
        """Install distribution ``<stem>-<tag>`` declaring scope ``<stem>_<tag>``; return the scope."""
        scope = f"{stem}_{self.tag}"
        package = self.path / scope
        package.mkdir()
        (package / "__init__.py").write_text("")
        code = textwrap.dedent(source).replace("HOLDER", self.holder_name).replace("SCOPE", scope)
        (package / "registry.py").write_text(code)
        dist_info = self.path / f"{scope}-1.0.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {self.dist(scope)}\nVersion: 1.0\n"
        )
        (dist_info / "entry_points.txt").write_text(f"[scopereg.scopes]\n{scope} = {scope}.registry\n")
        importlib.invalidate_caches()
        self.scopes.append(scope)
        return scope

    def declare_again(self, scope: str, dist: str) -> None:
        """Another distribution, ``dist``, declaring the same ``scope`` with the same module."""
        dist_info = self.path / f"{dist}-1.0.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        (dist_info / "entry_points.txt").write_text(f"[scopereg.scopes]\n{scope} = {scope}.registry\n")
        importlib.invalidate_caches()

    @staticmethod
    def dist(scope: str) -> str:
        return scope.replace("_", "-")

    def registry_file(self, scope: str) -> str:
        return str(self.path / scope / "registry.py")

    def forget(self) -> None:
        for module in list(sys.modules):
            if module.partition(".")[0] in self.scopes:
                del sys.modules[module]


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Installed]:
    fake = Installed(tmp_path, monkeypatch)
    _discovery._reset()
    yield fake
    fake.forget()
    _discovery._reset()


@pytest.fixture
def two(installed: Installed) -> tuple[str, str]:
    """Scopes alpha and beta, both children of the fake roots."""
    return installed.distribution("alpha", ALPHA), installed.distribution("beta", BETA)


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich is not installed: ``import rich`` fails."""
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rich", None)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def write(tmp_path: Path, name: str, cfg: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(cfg) if name.endswith(".json") else str(cfg))
    return str(path)


# -- tree -----------------------------------------------------------------------------------


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
    }
    errors = {error["kind"]: error for error in result.json["errors"]}
    assert errors["failing-location"]["where"] == f"MODELS[{lost}]"
    assert f"could not import its location '{lost}.nowhere'" in errors["failing-location"]["message"]
    assert errors["broken-entry-point"]["where"] == f"{installed.dist(broken)}: {broken} = {broken}.registry"
    assert "RuntimeError: broken on purpose" in errors["broken-entry-point"]["message"]


def test_tree_as_text_has_one_row_per_registry(installed, two, capsys, plain):
    alpha, beta = two

    result = run(capsys, "tree")

    lines = result.out.splitlines()
    assert lines[0] == "3 scopes, 9 names"
    assert lines[1].split() == ["scope", "distribution", "registry", "names"]
    assert [alpha, installed.dist(alpha), "MODELS", "3"] in [line.split() for line in lines]
    assert ["DATASETS", "1"] in [line.split() for line in lines]
    assert [beta, installed.dist(beta), "MODELS", "2"] in [line.split() for line in lines]


# -- list -----------------------------------------------------------------------------------


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
    assert lines[3].split()[:3] == ["ReLU", "scopereg", __name__]


# -- which ----------------------------------------------------------------------------------


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
    assert data["object"] == f"{__name__}.RootLogSoftmax"
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
        "'LogSoftmx' is not registered in scopereg::model. Searched scopereg::model. "
        f"Did you mean 'LogSoftmax', '{alpha}.LogSoftmax' or '{beta}.LogSoftmax'?"
    )
    assert (result.code, result.out, result.err) == (1, "", f"scopereg: {message}\n")
    assert as_json.code == 1
    assert as_json.json == {
        "error": message,
        "searched": ["scopereg::model"],
        "suggestions": ["LogSoftmax", f"{alpha}.LogSoftmax", f"{beta}.LogSoftmax"],
    }


def test_which_as_plain_text_is_a_two_column_table(installed, two, capsys, plain):
    _, beta = two

    lines = run(capsys, "which", "MODELS", "LogSoftmax", "--scope", beta).out.splitlines()

    assert lines[0] == f"'LogSoftmax' from {beta}::model"
    assert lines[1].split() == ["key", f"{beta}.LogSoftmax"]
    assert lines[3].split() == ["object", f"{beta}.registry.LogSoftmax"]
    assert any(line.startswith("shadows ") and "scopereg.LogSoftmax" in line for line in lines)


# -- doctor ---------------------------------------------------------------------------------


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
    assert f"replaced {__name__}.ReLU" in forced["message"]
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
    assert lines[2].startswith("  - model.backbone.act_cfg.type: 'ReLu' is not registered")
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


# -- every command: usage, JSON, no rich unless needed -------------------------------------


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


def test_plain_table_aligns_columns_under_a_rule():
    table = Table("Title", ("a", "long column"), [("xyz", "1"), ("w", "")])

    assert plain_table(table) == "Title\na    long column\n---  -----------\nxyz  1\nw"


def test_plain_table_without_headings_has_no_header():
    table = Table("Title", ("", ""), [("key", "value"), ("longer key", "v")])

    assert plain_table(table) == "Title\nkey         value\nlonger key  v"
