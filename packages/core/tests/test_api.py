"""The public surface: names, root registries, import hygiene, reports and repr."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

import scopereg
from scopereg import Registry, count_registered_modules, traverse_registry_tree

ROOT_NAMES = [
    "RUNNERS", "RUNNER_CONSTRUCTORS", "LOOPS", "HOOKS", "STRATEGIES", "DATASETS",
    "DATA_SAMPLERS", "TRANSFORMS", "MODELS", "MODEL_WRAPPERS", "WEIGHT_INITIALIZERS",
    "OPTIMIZERS", "OPTIM_WRAPPERS", "OPTIM_WRAPPER_CONSTRUCTORS", "PARAM_SCHEDULERS",
    "METRICS", "EVALUATOR", "TASK_UTILS", "VISUALIZERS", "VISBACKENDS", "LOG_PROCESSORS",
    "INFERENCERS", "FUNCTIONS",
]  # fmt: skip


@pytest.mark.parametrize("name", ROOT_NAMES)
def test_the_23_root_registries(name):
    registry = getattr(scopereg, name)
    assert isinstance(registry, Registry)
    assert registry.scope == "scopereg"
    assert registry.parent is None
    assert name in scopereg.__all__


def test_root_registries_are_distinct_trees():
    roots = [getattr(scopereg, name) for name in ROOT_NAMES]
    assert len({id(r) for r in roots}) == 23
    assert scopereg.MODELS.build_func is scopereg.build_model_from_cfg
    assert scopereg.DATASETS.build_func is scopereg.build_from_cfg


@pytest.mark.parametrize("name", scopereg.__all__)
def test_public_names_have_docstrings_with_an_example(name):
    obj = getattr(scopereg, name)
    if isinstance(obj, (Registry, str)):
        return  # registry instances and __version__ carry no docstring of their own
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    if not (isinstance(obj, type) and issubclass(obj, (BaseException, Warning))):
        assert ">>>" in doc, f"{name}'s docstring has no example"


def test_import_scopereg_imports_no_optional_dependency():
    code = "import sys, scopereg; print('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    modules = run.stdout.split()
    top_level = {name.partition(".")[0] for name in modules}
    assert not top_level & {"torch", "numpy", "rich", "yaml", "importlib_metadata"}
    assert "importlib.metadata" not in modules  # entry points are not read at import time


def test_registries_public_methods_have_examples():
    for name in ("get", "build", "register_module", "switch_scope_and_registry", "import_from_location",
                 "split_scope_key", "infer_scope", "which"):  # fmt: skip
        assert ">>>" in (inspect.getdoc(getattr(Registry, name)) or ""), name


def test_repr_is_a_table_of_names_and_objects(tree):
    class Net:
        pass

    tree.alpha.register_module(module=Net)
    text = repr(tree.alpha)
    assert "Names" in text
    assert "Net" in text
    assert tree.a in text


def test_repr_survives_a_failing_location():
    registry = Registry("model", scope="repr_broken", locations=["no_such_module_for_repr"])
    assert "locations failed" in repr(registry)


def test_traverse_registry_tree_describes_every_registry(tree):
    class Net:
        pass

    tree.gamma.register_module(module=Net)
    infos = traverse_registry_tree(tree.gamma, verbose=False)
    assert [info["scope"] for info in infos] == [tree.root_scope, tree.a, tree.c, tree.b]
    gamma = infos[2]
    assert gamma["num_modules"] == 1
    assert gamma["/".join(Net.__module__.split(".")[:-1])] == ["Net"]


def test_traverse_prints_when_verbose(tree, capsys):
    traverse_registry_tree(tree.root)
    assert f"in {tree.root_scope}'s 'model' registry" in capsys.readouterr().out


def test_count_registered_modules_returns_and_saves(tmp_path):
    result = count_registered_modules(save_path=str(tmp_path / "out"), verbose=False)
    assert set(result["registries"]) == set(ROOT_NAMES)
    saved = json.loads((tmp_path / "out" / "modules_statistic_results.json").read_text())
    assert saved["registries"].keys() == result["registries"].keys()
    assert count_registered_modules(verbose=False)["registries"]["MODELS"][0]["scope"] == "scopereg"


def test_version():
    assert scopereg.__version__.count(".") == 2


def test_without_torch_a_torch_backed_lookup_says_to_install_the_extra():
    code = (
        "import sys\n"
        "sys.modules['torch'] = None  # as if torch were not installed\n"
        "import scopereg\n"
        "try:\n"
        "    scopereg.OPTIMIZERS.get('SGD')\n"
        "except scopereg.LocationImportError as exc:\n"
        "    print(exc)\n"
        "assert scopereg.DATASETS.get('Anything') is None  # registries without torch work\n"
    )
    run = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert (
        "scopereg::optimizer registry could not import its location 'scopereg.torch.optimizers'" in run.stdout
    )
    assert "pip install 'scopereg[torch]'" in run.stdout
