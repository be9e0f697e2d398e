"""The static index (``scopereg.static_index``) on fake installations: read, never run; never stale."""

from __future__ import annotations

import importlib
import json
import os
import sys
import textwrap
import time
from importlib.machinery import EXTENSION_SUFFIXES

import pytest

from scopereg import _static_files, static_index
from scopereg._static_files import find_source
from scopereg.testing import FakeSite

from .fakes import Installed, run

#: A registry module whose MODELS imports SCOPE.models on first use.
WITH_LOCATION = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE", locations=["SCOPE.models"])
    DATASETS = Registry("dataset", parent=holder.DATASETS, scope="SCOPE", locations=["SCOPE.models"])
"""

MODELS_PY = """
    import sys

    from .registry import DATASETS, MODELS


    @MODELS.register_module(name=["Net", "Network"])
    class Net:
        def __init__(self, width=8):
            self.width = width


    def helper(registry, classes):
        for cls in classes:
            registry.register_module(module=cls)


    class A: ...
    class B: ...

    for cls in (A, B):
        MODELS.register_module(module=cls)
    helper(DATASETS, [A])
    sys.modules["SCOPE_ran"] = True  # importing this file leaves a mark
"""


RELATIVE = "from ..registry import MODELS"


def plugin(installed: Installed, stem: str, files: dict[str, str], registry: str = WITH_LOCATION) -> str:
    """A fake distribution with a registry module and more files of its package; its scope."""
    scope = installed.distribution(stem, registry)
    installed.site.add_files(
        {f"{scope}/{name}": textwrap.dedent(text).replace("SCOPE", scope) for name, text in files.items()}
    )
    importlib.invalidate_caches()
    return scope


def node(index, public: str, scope: str):
    [found] = [registry for registry in index.roots[public].walk() if registry.scope == scope]
    return found


def backdate(*paths: str, seconds: float = 60) -> None:
    """Make files look edited ``seconds`` ago: the cache keeps only files not edited just now."""
    when = time.time_ns() - int(seconds * 1e9)
    for path in paths:
        os.utime(path, ns=(when, when))


def test_the_index_reads_a_locations_names_without_running_it(installed):
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})

    index = static_index()

    models = node(index, "MODELS", scope)
    assert sorted(models.entries) == ["Net", "Network"]
    net = models.entries["Net"]
    assert (net.key, net.object, net.source) == (f"{scope}.Net", f"{scope}.models.Net", "static")
    assert net.file == str(installed.path / scope / "models.py")
    assert net.line == 7  # the decorator: where the definition starts, as co_firstlineno counts
    assert net.distribution == installed.dist(scope)
    assert f"{scope}.models" not in sys.modules
    assert f"{scope}_ran" not in sys.modules


def test_a_loop_and_a_registry_handed_to_a_function_are_dynamic_places(installed):
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})

    index = static_index()

    models, datasets = node(index, "MODELS", scope), node(index, "DATASETS", scope)
    assert [(place.line, place.reason) for place in models.dynamic] == [
        (22, "register_module() in a loop or comprehension")
    ]
    assert [(place.line, place.reason) for place in datasets.dynamic] == [
        (23, "DATASETS is passed to helper(): what it registers is known only when it runs")
    ]
    assert not models.complete
    assert "A" not in models.entries


def test_importing_a_registrys_locations_makes_the_index_answer_with_the_live_names(installed):
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})
    live = importlib.import_module(f"{scope}.registry").MODELS
    live.import_from_location()

    models = node(static_index(), "MODELS", scope)

    assert sorted(models.entries) == ["A", "B", "Net", "Network"]
    assert models.imported
    assert models.complete
    assert models.dynamic == []
    assert {entry.source for entry in models.entries.values()} == {"registered"}


def test_a_package_location_brings_the_modules_it_imports_but_not_the_others(installed):
    registry = WITH_LOCATION.replace(
        'locations=["SCOPE.models"])\n    DATASETS', 'locations=["SCOPE.models"])\n    # '
    )
    scope = plugin(
        installed,
        "alpha",
        {
            "models/__init__.py": "from .backbones import *\nfrom . import heads\n",
            "models/backbones.py": f"{RELATIVE}\n@MODELS.register_module()\nclass ResNet: ...\n",
            "models/heads.py": "from SCOPE.registry import MODELS\nMODELS.register_module('Head', module=f)",
            "models/unused.py": f"{RELATIVE}\n@MODELS.register_module()\nclass Unused: ...\n",
        },
        registry,
    )

    models = node(static_index(), "MODELS", scope)

    assert sorted(models.entries) == ["Head", "ResNet"]
    assert models.entries["Head"].object == f"{scope}.models.heads.f"


def test_a_registry_reached_through_an_alias_in_a_module_not_imported(installed):
    scope = plugin(
        installed,
        "alpha",
        {
            "builder.py": "from .registry import MODELS\nBACKBONES = MODELS\nraise RuntimeError('not run')\n",
            "models.py": "from .builder import BACKBONES\n@BACKBONES.register_module()\nclass VGG: ...\n",
        },
    )

    assert sorted(node(static_index(), "MODELS", scope).entries) == ["VGG"]


def test_names_registered_by_a_registry_module_itself_are_live_entries(installed, two):
    alpha, _ = two

    models = node(static_index(), "MODELS", alpha)

    assert sorted(models.entries) == ["LogSoftMax", "LogSoftmax", "MLP"]
    assert models.entries["MLP"].source == "registered"


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"models.py": "def broken(:\n"}, "SyntaxError"),
        ({"models.py": "x = 1\x00\n"}, "null bytes"),
        ({}, "no module named"),
        ({f"models{EXTENSION_SUFFIXES[0]}": "not really compiled"}, "is compiled"),
    ],
    ids=["syntax-error", "null-byte", "missing", "compiled"],
)
def test_a_location_the_index_cannot_read_is_a_problem_of_its_registry(installed, capsys, files, problem):
    scope = plugin(installed, "alpha", files)

    models = node(static_index(), "MODELS", scope)
    result = run(capsys, "tree", "--json")

    [found] = models.problems
    assert problem in found
    assert result.code == 1
    assert result.json["scopes"][scope]["registries"]["MODELS"] is None
    assert [error["kind"] for error in result.json["errors"]] == ["failing-location", "failing-location"]


def test_a_location_larger_than_the_limit_is_a_problem_not_a_read(installed, monkeypatch):
    monkeypatch.setattr(_static_files, "MAX_SOURCE_BYTES", 100)
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})

    [problem] = node(static_index(), "MODELS", scope).problems

    assert "more than the index reads (100)" in problem


def test_editing_a_location_file_changes_the_listing_at_once(installed, capsys):
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})
    models_py = installed.path / scope / "models.py"
    before = run(capsys, "list", "MODELS", "--scope", scope, "--json").json
    stamp = models_py.stat()

    models_py.write_text(models_py.read_text().replace("class Net:", "class Nat:").replace('"Net"', '"Nat"'))
    os.utime(models_py, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same size, same time: a same-tick edit
    after = run(capsys, "list", "MODELS", "--scope", scope, "--json").json

    assert [entry["name"] for entry in before["entries"]] == ["Net", "Network"]
    assert [entry["name"] for entry in after["entries"]] == ["Nat", "Network"]


def test_an_old_file_is_read_once_then_comes_from_the_cache_until_it_changes(installed):
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})
    models_py = installed.path / scope / "models.py"
    backdate(str(models_py))

    first, second = static_index(), static_index()
    models_py.write_text(models_py.read_text() + "\n@MODELS.register_module()\nclass Late: ...\n")
    backdate(str(models_py), seconds=30)
    third = static_index()

    assert first.parsed >= 1
    assert second.parsed == 0
    assert third.parsed == 1
    assert "Late" in node(third, "MODELS", scope).entries
    assert "Late" not in node(second, "MODELS", scope).entries


@pytest.mark.parametrize("cache", ["a-file", "damaged"])
def test_an_unwritable_or_damaged_cache_is_no_cache(installed, tmp_path, monkeypatch, cache):
    target = tmp_path / "cache"
    if cache == "a-file":
        target.write_text("not a directory")
    else:
        target.mkdir()
        (target / f"facts-{_static_files.FORMAT}.json").write_text("{not json")
    monkeypatch.setenv("SCOPEREG_CACHE_DIR", str(target))
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})
    backdate(str(installed.path / scope / "models.py"))

    assert sorted(node(static_index(), "MODELS", scope).entries) == ["Net", "Network"]
    assert sorted(node(static_index(), "MODELS", scope).entries) == ["Net", "Network"]


def test_a_cached_entry_of_the_wrong_shape_is_read_again(installed, tmp_path, monkeypatch):
    monkeypatch.setenv("SCOPEREG_CACHE_DIR", str(tmp_path / "cache"))
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})
    models_py = str(installed.path / scope / "models.py")
    backdate(models_py)
    static_index()  # writes the cache
    cache_file = tmp_path / "cache" / f"facts-{_static_files.FORMAT}.json"
    cached = json.loads(cache_file.read_text())
    [key] = [key for key in cached["files"] if key.endswith(models_py)]
    cached["files"][key]["facts"] = {"bindings": [], "registrations": "Net"}
    cache_file.write_text(json.dumps(cached))

    index = static_index()

    assert sorted(node(index, "MODELS", scope).entries) == ["Net", "Network"]
    assert index.parsed >= 1


def test_no_cache_at_all_when_the_cache_directory_is_empty(installed, tmp_path, monkeypatch):
    monkeypatch.setenv("SCOPEREG_CACHE_DIR", "")
    scope = plugin(installed, "alpha", {"models.py": MODELS_PY})
    backdate(str(installed.path / scope / "models.py"))

    assert static_index().parsed >= 1
    assert static_index().parsed >= 1  # read again: nothing was kept


def test_finding_a_source_imports_no_package(tmp_path):
    with FakeSite(tmp_path) as site:
        site.add_files(
            {
                "loud/__init__.py": "raise RuntimeError('package imported')",
                "loud/inner/__init__.py": "raise RuntimeError('subpackage imported')",
                "loud/inner/models.py": "X = 1",
            }
        )
        importlib.invalidate_caches()

        found = find_source("loud.inner.models")
        package = find_source("loud.inner")

        assert (found.path, found.is_package) == (str(tmp_path / "loud" / "inner" / "models.py"), False)
        assert (package.path, package.is_package) == (str(tmp_path / "loud" / "inner" / "__init__.py"), True)
        assert "loud" not in sys.modules
        assert "loud.inner" not in sys.modules


@pytest.mark.parametrize("module", ["", "a..b", "1up", "a.b-c", "x" * 300 + ".y"])
def test_a_name_that_is_no_module_has_no_source(module):
    assert find_source(module).path is None
