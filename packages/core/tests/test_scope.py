"""Default scope: MMEngine semantics, fallback to the asked registry, DefaultScope API."""

from __future__ import annotations

import pytest

from scopereg import (
    DefaultScope,
    NotRegisteredError,
    Registry,
    UnknownScopeError,
    init_default_scope,
)


def _register_named(registry, name):
    class Named:
        scope = registry.scope

        def __init__(self, child=None):
            self.child = child

    registry.register_module(name=name, module=Named)
    return Named


def test_build_resolves_in_the_default_scope_registry_of_the_same_tree(tree):
    in_alpha = _register_named(tree.alpha, "Net")
    _register_named(tree.root, "Net")
    init_default_scope(tree.a)
    assert type(tree.root.build({"type": "Net"})) is in_alpha
    assert type(tree.beta.build({"type": "Net"})) is in_alpha


def test_without_default_scope_the_asked_registry_is_used(tree):
    _register_named(tree.alpha, "OnlyAlpha")
    with pytest.raises(NotRegisteredError):
        tree.root.build({"type": "OnlyAlpha"})


def test_name_missing_in_default_scope_falls_back_to_the_asked_registry(tree):
    in_beta = _register_named(tree.beta, "OnlyBeta")
    init_default_scope(tree.a)
    assert type(tree.beta.build({"type": "OnlyBeta"})) is in_beta


def test_fallback_error_names_both_registries(tree):
    init_default_scope(tree.a)
    with pytest.raises(NotRegisteredError) as info:
        tree.beta.build({"type": "Nowhere"})
    message = str(info.value)
    assert message.startswith(f"Nowhere is not in the {tree.a}::model registry.")
    assert (
        f"Nor is it in {tree.b}::model, the registry asked ({tree.a}::model is the default scope's)"
        in message
    )
    assert info.value.searched == (f"{tree.a}::model", f"{tree.root_scope}::model", f"{tree.b}::model")


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # undeclared scopes on purpose
def test_default_scope_absent_from_the_tree_uses_the_asked_registry(tree):
    in_root = _register_named(tree.root, "Net")
    init_default_scope("somewhere_else")
    assert type(tree.beta.build({"type": "Net"})) is in_root


def test_scope_key_switches_scope_for_one_build_and_its_nested_builds(tree):
    in_beta = _register_named(tree.beta, "Leaf")
    _register_named(tree.root, "Leaf")
    seen = []

    def outer():
        seen.append(DefaultScope.get_current_instance().scope_name)
        return tree.root.build({"type": "Leaf"})  # a nested build without _scope_

    tree.beta.register_module(name="outer", module=outer)
    leaf = tree.root.build({"type": "outer", "_scope_": tree.b})
    assert seen == [tree.b]
    assert type(leaf) is in_beta  # the nested build resolved in beta, not in root
    assert DefaultScope.get_current_instance() is None  # restored afterwards
    assert type(tree.root.build({"type": "Leaf"})).scope == tree.root_scope


def test_nested_scope_switches_restore_on_the_way_out(tree):
    in_alpha = _register_named(tree.alpha, "Leaf")
    _register_named(tree.beta, "Leaf")
    trail = []

    def middle(child):
        trail.append(DefaultScope.get_current_instance().scope_name)
        return tree.root.build(child)

    tree.beta.register_module(name="middle", module=middle)
    leaf = tree.root.build(
        {"type": "middle", "_scope_": tree.b, "child": {"type": "Leaf", "_scope_": tree.a}}
    )
    assert type(leaf) is in_alpha
    assert trail == [tree.b]
    assert DefaultScope.get_current_instance() is None


def test_scope_key_restores_the_scope_when_the_build_fails(tree):
    init_default_scope(tree.b)
    with pytest.raises(NotRegisteredError):
        tree.root.build({"type": "Nowhere", "_scope_": tree.a})
    assert DefaultScope.get_current_instance().scope_name == tree.b


def test_scope_key_naming_an_unknown_scope_is_an_error(tree):
    with pytest.raises(UnknownScopeError, match=f"Did you mean '{tree.a}'") as info:
        tree.root.build({"type": "Net", "_scope_": f"{tree.a}x"})
    assert isinstance(info.value, KeyError)


def test_scope_key_naming_a_scope_of_another_tree_uses_the_asked_registry(tree):
    other = Registry("dataset", scope=f"elsewhere_{tree.a}")
    assert other.scope
    in_root = _register_named(tree.root, "Net")
    assert type(tree.beta.build({"type": "Net", "_scope_": f"elsewhere_{tree.a}"})) is in_root


def test_switch_scope_and_registry_yields_the_scope_registry(tree):
    with tree.root.switch_scope_and_registry(tree.c) as registry:
        assert registry is tree.gamma
        assert DefaultScope.get_current_instance().scope_name == tree.c
    assert DefaultScope.get_current_instance() is None
    with tree.root.switch_scope_and_registry("not_in_this_tree") as registry:
        assert registry is tree.root
    init_default_scope(tree.b)
    with tree.root.switch_scope_and_registry(None) as registry:
        assert registry is tree.beta


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # undeclared scopes on purpose
def test_default_scope_classmethod_api():
    assert DefaultScope.get_current_instance() is None
    scope = DefaultScope.get_instance("task", scope_name="mmdet")
    assert scope.instance_name == "task"
    assert DefaultScope.get_current_instance() is scope
    assert DefaultScope.check_instance_created("task")
    assert DefaultScope.get_instance("task") is scope
    with DefaultScope.overwrite_default_scope("mmcls"):
        assert DefaultScope.get_current_instance().scope_name == "mmcls"
        with DefaultScope.overwrite_default_scope(None):
            assert DefaultScope.get_current_instance().scope_name == "mmcls"
    assert DefaultScope.get_current_instance() is scope


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # undeclared scopes on purpose
def test_default_scope_rejects_bad_input():
    with pytest.raises(TypeError):
        DefaultScope.get_instance("new-without-scope")
    DefaultScope.get_instance("fixed", scope_name="a")
    with pytest.raises(ValueError, match="already exists"):
        DefaultScope.get_instance("fixed", scope_name="b")
    with pytest.raises(TypeError):
        DefaultScope("name", scope_name=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"without '\.'"):
        DefaultScope.overwrite_default_scope("a.b")
    with pytest.raises(TypeError):
        init_default_scope(3)  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # undeclared scopes on purpose
def test_init_default_scope_sets_and_clears_the_default():
    init_default_scope("mmalpha_test")
    assert DefaultScope.get_current_instance().scope_name == "mmalpha_test"
    init_default_scope("mmbeta_test")
    assert DefaultScope.get_current_instance().scope_name == "mmbeta_test"
    init_default_scope(None)
    assert DefaultScope.get_current_instance() is None


@pytest.mark.filterwarnings("ignore::scopereg.DefaultScopeChangeWarning")  # a change, on purpose
def test_init_default_scope_inside_an_overwrite_takes_effect_here(tree):
    with DefaultScope.overwrite_default_scope(tree.a):
        init_default_scope(tree.b)
        assert DefaultScope.get_current_instance().scope_name == tree.b
    assert DefaultScope.get_current_instance().scope_name == tree.b
