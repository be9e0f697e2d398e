"""``scopereg new``: the package it writes keeps the scope contract, and bad arguments write nothing.

These run without torch: the packages checked by import choose the registries whose
examples need none (TRANSFORMS, METRICS, HOOKS, FUNCTIONS).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import scopereg
from scopereg import load_config
from scopereg.cli import _new
from scopereg.testing import FakeSite, ScopeContractError, check_scope

from .fakes import run

CORE = Path(__file__).resolve().parents[2]
TORCH_FREE = "TRANSFORMS,METRICS,HOOKS,FUNCTIONS"


@pytest.fixture
def name() -> str:
    return f"tn_{uuid.uuid4().hex[:8]}"


def prefix(name: str) -> str:
    """The prefix of the example names: ``tn_a1b2`` -> ``TnA1b2``."""
    rest = name.removeprefix("tn_")
    return "Tn" + rest[:1].upper() + rest[1:]


def generate(capsys, tmp_path: Path, name: str, *args: str) -> dict:
    result = run(capsys, "new", name, "--dir", str(tmp_path), "--json", *args)
    assert result.code == 0, result.out + result.err
    return result.json


def install(site: FakeSite, package: Path, name: str, *, scope: str | None = None) -> None:
    """Install the generated package's sources into ``site``, with its entry point named ``scope``."""
    src = package / "src"
    files = {path.relative_to(src).as_posix(): path.read_text() for path in src.rglob("*") if path.is_file()}
    site.install(name, files, scopes={scope or name: f"{name}.registry"})


def test_new_writes_a_package_shaped_like_mmalpha(capsys, tmp_path, name):
    data = generate(capsys, tmp_path, name)

    package = tmp_path / name
    written = sorted(path.relative_to(package).as_posix() for path in package.rglob("*") if path.is_file())
    src = f"src/{name}"
    modules = {"models": "net", "datasets": "dataset", "transforms": "scale", "metrics": "accuracy"}
    locations = [f"{src}/{where}/{module}.py" for where, module in modules.items()]
    locations += [f"{src}/{where}/__init__.py" for where in modules]
    assert written == sorted([
        "LICENSE", "README.md", "pyproject.toml", f"tests/test_{name}.py",
        f"{src}/__init__.py", f"{src}/py.typed", f"{src}/registry.py", *locations,
    ])  # fmt: skip
    project = load_config(package / "pyproject.toml")["project"]
    assert project["name"] == name
    assert project["entry-points"]["scopereg.scopes"] == {name: f"{name}.registry"}
    assert project["dependencies"] == ["scopereg[torch]>=0.1,<0.2"]
    assert project["license-files"] == ["LICENSE"]
    assert (package / "LICENSE").read_text() == (CORE / "LICENSE").read_text()
    for path in package.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    assert [(item["registry"], item["parent"], item["example"]) for item in data["registries"]] == [
        ("MODELS", "scopereg.MODELS", f"{name}.{prefix(name)}Net"),
        ("DATASETS", "scopereg.DATASETS", f"{name}.{prefix(name)}Dataset"),
        ("TRANSFORMS", "scopereg.TRANSFORMS", f"{name}.{prefix(name)}Scale"),
        ("METRICS", "scopereg.METRICS", f"{name}.{prefix(name)}Accuracy"),
    ]
    assert data["next"][1:] == [f"python -m pytest {package / 'tests'}", "scopereg doctor"]


def test_the_generated_package_keeps_the_scope_contract_and_passes_its_own_tests(
    capsys, tmp_path, fake_site, name
):
    generate(capsys, tmp_path, name, "--registries", TORCH_FREE)
    install(fake_site, tmp_path / name, name)

    check = check_scope(name)

    assert {registry.name for registry in check.registries} == {"transform", "metric", "hook", "function"}
    assert sorted(check.built) == sorted(
        f"{name}.{prefix(name)}{what}" for what in ("Scale", "Accuracy", "Hook")
    )
    env = {**os.environ, "PYTHONPATH": str(fake_site.path)}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / name / "tests"),
         "--doctest-modules", "--pyargs", name],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "9 passed" in tests.stdout  # 5 tests, 4 doctests


def test_a_generated_package_whose_entry_point_is_renamed_fails_check_scope(
    capsys, tmp_path, fake_site, name
):
    generate(capsys, tmp_path, name, "--registries", "TRANSFORMS")
    install(fake_site, tmp_path / name, name, scope=f"{name}_renamed")

    with pytest.raises(ScopeContractError) as raised:
        check_scope(name)

    assert raised.value.problems == [
        f"{name}::transform is in scope {name!r}, but the entry point declares {name + '_renamed'!r}: "
        "name the entry point after the scope"
    ]


def test_a_generated_package_whose_registry_is_renamed_fails_check_scope(capsys, tmp_path, fake_site, name):
    generate(capsys, tmp_path, name, "--registries", "TRANSFORMS,HOOKS")
    registry = tmp_path / name / "src" / name / "registry.py"
    registry.write_text(registry.read_text().replace('Registry("transform"', 'Registry("transforms"'))
    install(fake_site, tmp_path / name, name)

    with pytest.raises(ScopeContractError) as raised:
        check_scope(name)

    [problem] = raised.value.problems
    assert problem.startswith(
        f"{name}::transforms: 'transforms' is the name of no root registry (did you mean"
    )


PARENT_REGISTRY = """
    from scopereg import Registry, TRANSFORMS

    TRANSFORMS = Registry("transform", parent=TRANSFORMS, scope="PARENT")
"""


def test_new_with_a_parent_makes_children_of_the_parents_registries(capsys, tmp_path, fake_site, name):
    parent = f"{name}_parent"
    files = {f"{parent}/__init__.py": "", f"{parent}/registry.py": PARENT_REGISTRY.replace("PARENT", parent)}
    fake_site.install(parent, files, scopes={parent: f"{parent}.registry"}, version="1.2")

    data = generate(capsys, tmp_path, name, "--parent", parent, "--registries", "TRANSFORMS,HOOKS")

    assert [item["parent"] for item in data["registries"]] == [
        f"{parent}.registry.TRANSFORMS",
        "scopereg.HOOKS",
    ]
    assert data["dependencies"] == ["scopereg[torch]>=0.1,<0.2", f"{parent}>=1.2,<2"]
    install(fake_site, tmp_path / name, name)
    check = check_scope(name)
    assert [registry.parent.scope for registry in check.registries] == [parent, "scopereg"]


def test_new_beside_scopereg_s_folder_installs_and_tests_from_the_sibling_folders(
    capsys, tmp_path, monkeypatch, name
):
    for folder, project, dependencies in [("core", "scopereg", []), ("alpha", "tn-alpha", ["scopereg>=0.1"])]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pyproject.toml").write_text(
            f'[project]\nname = "{project}"\ndependencies = {dependencies!r}\n'.replace("'", '"')
        )
    monkeypatch.setattr(_new, "_torch_version", lambda: "2.13.0")

    data = generate(capsys, tmp_path, name, "--registries", "HOOKS")

    pyproject = load_config(tmp_path / name / "pyproject.toml")
    [command] = pyproject["tool"]["hatch"]["envs"]["hatch-test"]["pre-install-commands"]
    assert command == "python -m pip install -q torch==2.13.0 numpy>=1.26 -e {root:parent}/core[torch]"
    source = pyproject["project"]["urls"]["Source"]
    assert source.startswith("https://")
    assert source.endswith(f"/{name}")
    assert data["next"][0] == (
        f"python -m pip install torch==2.13.0 -e '{tmp_path / 'core'}[torch]' -e {tmp_path / name}"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad-Name"], "NAME 'Bad-Name' must be a lowercase Python identifier"),
        (["class"], "NAME 'class' is reserved"),
        (["scopereg"], "NAME 'scopereg' is reserved"),
        (["a" * 21], f"NAME '{'a' * 21}' has 21 characters: keep it to 20"),
        (["json"], "NAME 'json' is a module that can be imported already (from "),
        (["tn_ok", "--registries", "MODELS,MODLES"], "unknown registry 'MODLES'. Did you mean 'MODELS'?"),
        (["tn_ok", "--registries", " , "], "--registries names no registry"),
        (["tn_ok", "--parent", "nowhere"], "unknown --parent scope 'nowhere': no installed distribution"),
    ],
)
def test_bad_arguments_are_usage_errors_that_write_nothing(capsys, tmp_path, args, message):
    result = run(capsys, "new", *args, "--dir", str(tmp_path / "out"))

    assert result.code == 2
    assert message in result.err
    assert not (tmp_path / "out").exists()


def test_a_scope_already_declared_is_refused(capsys, tmp_path, fake_distribution, name):
    fake_distribution("someone-else", {"other/__init__.py": ""}, scopes={name: "other"})

    result = run(capsys, "new", name, "--dir", str(tmp_path))

    assert result.code == 2
    assert f"NAME {name!r} is a scope already" in result.err


def test_an_existing_folder_is_never_overwritten(capsys, tmp_path, name):
    (tmp_path / name).mkdir()
    (tmp_path / name / "keep.txt").write_text("mine")

    result = run(capsys, "new", name, "--dir", str(tmp_path))

    assert result.code == 2
    assert "already exists: scopereg new writes a new folder only" in result.err
    assert [path.name for path in (tmp_path / name).iterdir()] == ["keep.txt"]


def test_a_parent_whose_module_exits_is_an_error_not_an_exit(capsys, tmp_path, fake_distribution, name):
    parent = f"{name}_parent"
    files = {f"{parent}/__init__.py": "", f"{parent}/registry.py": "raise SystemExit(3)\n"}
    fake_distribution(parent, files, scopes={parent: f"{parent}.registry"})

    result = run(capsys, "new", name, "--parent", parent, "--dir", str(tmp_path))

    assert result.code == 1
    assert f"its module '{parent}.registry' failed to import: SystemExit: 3" in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_parent_without_a_registry_of_the_chosen_roots_is_refused(capsys, tmp_path, fake_site, name):
    parent = f"{name}_parent"
    files = {f"{parent}/__init__.py": "", f"{parent}/registry.py": PARENT_REGISTRY.replace("PARENT", parent)}
    fake_site.install(parent, files, scopes={parent: f"{parent}.registry"})

    result = run(capsys, "new", name, "--parent", parent, "--registries", "HOOKS", "--dir", str(tmp_path))

    assert result.code == 2
    assert f"scope {parent!r} has no registry under HOOKS: nothing to be a child of" in result.err


def test_every_generated_line_fits_the_line_length_for_the_longest_name_and_every_registry(capsys, tmp_path):
    longest = "n" * _new.MAX_NAME
    generate(capsys, tmp_path, longest, "--registries", ",".join(scopereg.root_registries()))

    too_long = [
        f"{path.name}:{number}"
        for path in (tmp_path / longest).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if len(line) > 110
    ]
    assert too_long == []
    assert len(list((tmp_path / longest / "src" / longest).glob("*/__init__.py"))) == 23


@pytest.mark.parametrize(
    ("version", "bounds"),
    [("0.1.3", ">=0.1,<0.2"), ("2.1.0", ">=2.1,<3"), ("1.0", ">=1.0,<2"), ("3", ">=3.0,<4")],
)
def test_sibling_bounds_stop_before_the_next_breaking_release(version, bounds):
    assert _new.bounds(version) == bounds
