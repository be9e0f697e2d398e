"""Lookup: unscoped, scoped (sibling, cousin, ancestor, descendant), paths and misses."""

from __future__ import annotations

import pytest

from scopereg import Registry


class Thing:
    pass


class Other:
    pass


def test_unscoped_key_searches_self_then_ancestors(tree):
    tree.root.register_module(module=Thing)
    assert tree.gamma.get("Thing") is Thing
    assert tree.alpha.get("Thing") is Thing


def test_nearest_registration_shadows_ancestors(tree):
    tree.root.register_module(name="Thing", module=Thing)
    tree.alpha.register_module(name="Thing", module=Other)
    assert tree.gamma.get("Thing") is Other
    assert tree.beta.get("Thing") is Thing


def test_unscoped_key_does_not_search_siblings_or_children(tree):
    tree.alpha.register_module(module=Thing)
    assert tree.beta.get("Thing") is None
    assert tree.root.get("Thing") is None


@pytest.mark.parametrize("asker", ["root", "alpha", "beta", "gamma"])
def test_scoped_key_reaches_every_registry_of_the_tree(tree, asker):
    tree.gamma.register_module(module=Thing)
    tree.beta.register_module(module=Other)
    registry = getattr(tree, asker)
    assert registry.get(f"{tree.c}.Thing") is Thing  # descendant, cousin, self...
    assert registry.get(f"{tree.b}.Other") is Other  # sibling, self, uncle...


def test_scoped_key_falls_back_to_the_ancestors_of_its_scope(tree):
    tree.root.register_module(module=Thing)
    assert tree.beta.get(f"{tree.a}.Thing") is Thing
    assert tree.beta.get(f"{tree.root_scope}.Thing") is Thing


def test_path_walks_down_from_the_first_scope(tree):
    tree.gamma.register_module(module=Thing)
    assert tree.beta.get(f"{tree.a}.{tree.c}.Thing") is Thing
    assert tree.beta.get(f"{tree.root_scope}.{tree.a}.{tree.c}.Thing") is Thing
    assert tree.beta.get(f"{tree.b}.{tree.c}.Thing") is None  # gamma is not below beta


def test_nested_scope_reachable_by_its_own_name_only_when_unique(tree):
    twin = Registry("model", parent=tree.beta, scope=tree.c)  # a second gamma, under beta
    tree.gamma.register_module(module=Thing)
    twin.register_module(module=Other)
    assert tree.root.get(f"{tree.c}.Thing") is None  # ambiguous
    assert tree.root.get(f"{tree.a}.{tree.c}.Thing") is Thing
    assert tree.root.get(f"{tree.b}.{tree.c}.Other") is Other
    assert tree.gamma.get(f"{tree.c}.Thing") is Thing  # its own scope is never ambiguous to itself


@pytest.mark.parametrize(
    "key",
    ["Missing", "nosuchscope.Thing", ".Thing", "Thing.", "a..b", ".", "", "x.y.z.Thing"],
)
def test_unknown_names_and_scopes_return_none(tree, key):
    tree.alpha.register_module(module=Thing)
    assert tree.alpha.get(key) is None
    assert key not in tree.alpha


def test_a_registry_is_not_confused_by_other_trees():
    first = Registry("model", scope="treeone")
    second = Registry("model", scope="treetwo")
    Registry("model", parent=first, scope="shared_child").register_module(module=Thing)
    Registry("model", parent=second, scope="shared_child")
    assert first.get("shared_child.Thing") is Thing
    assert second.get("shared_child.Thing") is None


def test_deep_trees_resolve_without_recursion_limits():
    registry = Registry("model", scope="deep0")
    registry.register_module(module=Thing)
    for depth in range(1, 300):
        registry = Registry("model", parent=registry, scope=f"deep{depth}")
    assert registry.get("Thing") is Thing
    assert registry.get("deep0.Thing") is Thing


def test_contains_and_len(tree):
    tree.root.register_module(module=Thing)
    tree.alpha.register_module(module=Other)
    assert "Thing" in tree.alpha
    assert f"{tree.a}.Other" in tree.beta
    assert 3 not in tree.alpha  # a non-str key is simply absent
    assert len(tree.alpha) == 1
    assert len(tree.root) == 1


def test_get_rejects_non_str_keys(tree):
    with pytest.raises(TypeError, match="keys are str"):
        tree.alpha.get(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="keys are str"):
        tree.alpha.get(["Thing"])  # type: ignore[arg-type]


def test_split_scope_key():
    assert Registry.split_scope_key("mmdet.ResNet") == ("mmdet", "ResNet")
    assert Registry.split_scope_key("a.b.C") == ("a", "b.C")
    assert Registry.split_scope_key("ResNet") == (None, "ResNet")


def test_which_reports_the_registry_that_holds_the_entry(tree):
    tree.root.register_module(module=Thing)
    entry = tree.gamma.which("Thing")
    assert entry is not None
    assert entry.registry is tree.root
    assert entry.key == f"{tree.root_scope}.Thing"
    assert tree.gamma.which("Nothing") is None
