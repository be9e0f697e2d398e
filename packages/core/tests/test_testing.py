"""scopereg.testing: the scope contract check, fake sites and the pytest fixtures."""

from __future__ import annotations

import importlib.metadata
import sys
import uuid

import pytest

import scopereg
from scopereg.testing import FakeSite, ScopeContractError, check_scope

GOOD_REGISTRY = """
    from scopereg import DATASETS as ROOT_DATASETS
    from scopereg import MODELS as ROOT_MODELS
    from scopereg import Registry

    MODELS = Registry("model", parent=ROOT_MODELS, scope="SCOPE", locations=["PACKAGE.models"])
    DATASETS = Registry("dataset", parent=ROOT_DATASETS, scope="SCOPE")
"""

GOOD_MODELS = """
    from .registry import MODELS


    @MODELS.register_module()
    class Head:
        def __init__(self, width=4):
            self.width = width


    @MODELS.register_module()
    class Backbone:
        def __init__(self, depth):
            self.depth = depth
"""


def package_files(
    package: str, scope: str, registry: str = GOOD_REGISTRY, models: str = GOOD_MODELS
) -> dict[str, str]:
    def fill(source: str) -> str:
        return source.replace("SCOPE", scope).replace("PACKAGE", package)

    return {
        f"{package}/__init__.py": "",
        f"{package}/registry.py": fill(registry),
        f"{package}/models.py": fill(models),
    }


@pytest.fixture
def unique() -> str:
    return f"tc_{uuid.uuid4().hex[:8]}"


def test_a_package_keeping_the_contract_passes_and_says_what_it_built(fake_distribution, unique):
    fake_distribution(unique, package_files(unique, unique), scopes={unique: f"{unique}.registry"})

    check = check_scope(unique)

    assert check.scope == unique
    assert sorted(registry.label for registry in check.registries) == [
        f"{unique}::dataset",
        f"{unique}::model",
    ]
    assert check.built == [f"{unique}.Head"]
    assert check.skipped == [f"{unique}.Backbone"]


def test_an_entry_point_named_differently_from_the_scope_fails(fake_distribution, unique):
    files = package_files(unique, unique)
    fake_distribution(unique, files, scopes={f"{unique}_other": f"{unique}.registry"})

    with pytest.raises(ScopeContractError) as raised:
        check_scope(unique, build=False)

    assert raised.value.problems == [
        f"{unique}::model is in scope {unique!r}, but the entry point declares {unique + '_other'!r}: "
        "name the entry point after the scope",
        f"{unique}::dataset is in scope {unique!r}, but the entry point declares {unique + '_other'!r}: "
        "name the entry point after the scope",
    ]


def test_a_registry_named_like_no_root_fails(fake_distribution, unique):
    registry = GOOD_REGISTRY.replace('Registry("dataset"', 'Registry("datasets"')
    fake_distribution(unique, package_files(unique, unique, registry), scopes={unique: f"{unique}.registry"})

    with pytest.raises(ScopeContractError) as raised:
        check_scope(unique, build=False)

    [problem] = raised.value.problems
    assert problem.startswith(
        f"{unique}::datasets: 'datasets' is the name of no root registry (did you mean 'dataset'"
    )


def test_a_registry_under_another_scopes_registry_of_the_same_root_passes(fake_distribution, unique):
    parent = f"{unique}_parent"
    fake_distribution(parent, package_files(parent, parent), scopes={parent: f"{parent}.registry"})
    registry = f"""
        from {parent}.registry import MODELS as PARENT_MODELS
        from scopereg import Registry

        MODELS = Registry("model", parent=PARENT_MODELS, scope="SCOPE", locations=["PACKAGE.models"])
    """
    fake_distribution(unique, package_files(unique, unique, registry), scopes={unique: f"{unique}.registry"})

    check = check_scope(unique)

    assert [registry.parent.scope for registry in check.registries] == [parent]
    assert check.built == [f"{unique}.Head"]


def test_a_registry_under_a_misnamed_registry_of_the_tree_fails(fake_distribution, unique):
    registry = """
        from scopereg import MODELS as ROOT_MODELS
        from scopereg import Registry

        MIDDLE = Registry("models", parent=ROOT_MODELS, scope="SCOPE_middle")
        MODELS = Registry("model", parent=MIDDLE, scope="SCOPE")
    """
    fake_distribution(unique, package_files(unique, unique, registry), scopes={unique: f"{unique}.registry"})

    with pytest.raises(ScopeContractError) as raised:
        check_scope(unique, build=False)

    assert (
        f"{unique}::model is under {unique}_middle::models: every registry above it should be named 'model'"
        in (raised.value.problems)
    )


def test_a_registry_under_a_root_of_its_own_fails(fake_distribution, unique):
    registry = GOOD_REGISTRY.replace("parent=ROOT_DATASETS", 'parent=Registry("dataset", scope="SCOPE_own")')
    fake_distribution(unique, package_files(unique, unique, registry), scopes={unique: f"{unique}.registry"})

    with pytest.raises(ScopeContractError, match=r"::dataset should be a child of scopereg.DATASETS"):
        check_scope(unique, build=False)


def test_failing_locations_and_failing_defaults_are_both_listed(fake_distribution, unique):
    models = GOOD_MODELS.replace("self.width = width", "raise ValueError('no default width')")
    files = package_files(unique, unique, models=models)
    files[f"{unique}/registry.py"] = files[f"{unique}/registry.py"].replace(
        'scope="' + unique + '")', 'scope="' + unique + f'", locations=["{unique}.missing"])'
    )
    fake_distribution(unique, files, scopes={unique: f"{unique}.registry"})

    with pytest.raises(ScopeContractError) as raised:
        check_scope(unique)

    problems = raised.value.problems
    assert any(f"'{unique}.missing'" in problem and "ModuleNotFoundError" in problem for problem in problems)
    assert f"{unique}.Head does not build with its defaults: ValueError: no default width" in problems


def test_a_package_without_an_entry_point_fails(fake_distribution, unique):
    fake_distribution(unique, package_files(unique, unique))

    with pytest.raises(ScopeContractError, match=r"expected one .scopereg\.scopes. entry point, found none"):
        check_scope(unique)


def test_an_entry_point_whose_module_exits_is_a_finding_not_an_exit(fake_distribution, unique):
    files = {f"{unique}/__init__.py": "", f"{unique}/registry.py": "import sys\nsys.exit(2)\n"}
    fake_distribution(unique, files, scopes={unique: f"{unique}.registry"})

    with pytest.raises(ScopeContractError, match=r"does not import: SystemExit: 2"):
        check_scope(unique)


def test_scopereg_itself_keeps_the_contract():
    pytest.importorskip("torch.nn", reason="its root registries' locations are torch registrations")
    assert len(check_scope("scopereg", build=False).registries) == 23


def test_a_fake_site_is_seen_by_importlib_metadata_and_gone_after_close(unique):
    with FakeSite() as site:
        site.install(unique, {f"{unique}.py": "VALUE = 3"}, scopes={unique: unique})
        assert importlib.metadata.version(unique) == "1.0"
        assert unique in {declared.scope for declared in scopereg.discover_scopes()}
        path = str(site.path)
        assert path in sys.path

    assert path not in sys.path
    assert unique not in {declared.scope for declared in scopereg.discover_scopes()}
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version(unique)


def test_fresh_scopes_starts_without_a_default_scope(fresh_scopes):
    assert scopereg.DefaultScope.get_current_instance() is None
