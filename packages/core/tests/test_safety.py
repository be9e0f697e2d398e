"""Safe by default: keys never import modules unless the program allows a pattern."""

from __future__ import annotations

import json
import sys

import pytest

from scopereg import Registry, allow_imports


def test_dotted_paths_do_not_import_by_default(tree):
    assert tree.alpha.get("os.system") is None
    assert "os.system" not in tree.alpha
    assert tree.alpha.get("json.dumps") is None


def test_a_config_cannot_make_scopereg_import_a_module(tree, monkeypatch):
    monkeypatch.delitem(sys.modules, "csv", raising=False)
    tree.alpha.get("csv.reader")
    assert "csv" not in sys.modules
    with pytest.raises(KeyError):
        tree.alpha.build({"type": "csv.reader", "csvfile": []})
    assert "csv" not in sys.modules


def test_allow_imports_context_manager_permits_matching_paths_only(tree):
    with allow_imports("json.*"):
        assert tree.alpha.get("json.dumps") is json.dumps
        assert tree.alpha.build({"type": "json.dumps", "obj": [1]}) == "[1]"
        assert tree.alpha.get("os.system") is None
    assert tree.alpha.get("json.dumps") is None  # the permission ended with the block


def test_registry_allowlist_applies_to_its_lookups_and_its_descendants():
    root = Registry("optimizer", scope="safe_root", allow_imports=["json.dump*"])
    child = Registry("optimizer", parent=root, scope="safe_child")
    other = Registry("optimizer", scope="safe_other")
    assert root.get("json.dumps") is json.dumps
    assert child.get("json.dump") is json.dump
    assert child.get("json.loads") is None
    assert other.get("json.dumps") is None


def test_allowlisted_paths_never_shadow_registered_names(tree):
    class Dumps:
        pass

    Registry("model", parent=tree.root, scope="json").register_module(name="dumps", module=Dumps)
    with allow_imports("json.*"):
        assert tree.alpha.get("json.dumps") is Dumps


def test_allowed_paths_to_missing_or_non_callable_objects_are_absent(tree):
    with allow_imports("json.*", "no_such_module_xyz.*"):
        assert tree.alpha.get("json.nothing_here") is None
        assert tree.alpha.get("json.decoder") is None  # a module, not a callable
        assert tree.alpha.get("no_such_module_xyz.thing") is None


def test_allowlist_context_is_local_to_the_thread(tree):
    import threading

    seen = []
    with allow_imports("json.*"):
        thread = threading.Thread(target=lambda: seen.append(tree.alpha.get("json.dumps")))
        thread.start()
        thread.join()
    assert seen == [None]


@pytest.mark.parametrize(("patterns", "error"), [((3,), TypeError), (("json",), ValueError)])
def test_allow_imports_validates_patterns(patterns, error):
    with pytest.raises(error):
        allow_imports(*patterns)
