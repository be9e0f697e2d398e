"""Build power: recursive builds, _partial_, _registry_, validation, deprecation."""

from __future__ import annotations

import copy
import functools
import warnings

import pytest

from scopereg import (
    DATASETS,
    BuildArgumentsError,
    ConfigError,
    DeprecatedNameWarning,
    DuplicateNameError,
    NotRegisteredError,
    Registry,
    UnknownRegistryError,
)


class Act:
    def __init__(self, inplace=False):
        self.inplace = inplace


class Backbone:
    def __init__(self, depth, act_cfg=None, stages=()):
        self.depth, self.act_cfg, self.stages = depth, act_cfg, stages


class Model:
    def __init__(self, backbone, head=None, **extra):
        self.backbone, self.head, self.extra = backbone, head, extra


@pytest.fixture
def models(tree):
    tree.root.register_module(name="ReLU", module=Act)
    tree.alpha.register_module(module=Backbone)
    tree.beta.register_module(module=Model)
    return tree


def test_recursive_builds_nested_nodes_children_first(models):
    order = []

    def track(name):
        def make(**kwargs):
            order.append(name)
            return (name, kwargs)

        return make

    models.root.register_module(name="leaf", module=track("leaf"))
    models.root.register_module(name="mid", module=track("mid"))
    models.root.register_module(name="top", module=track("top"))
    cfg = {"type": "top", "child": {"type": "mid", "items": [{"type": "leaf"}, {"type": "leaf"}]}}
    top = models.root.build(cfg, recursive=True)
    assert order == ["leaf", "leaf", "mid", "top"]
    assert top[1]["child"][1]["items"] == [("leaf", {}), ("leaf", {})]


def test_nodes_without_type_stay_plain_data_and_nothing_is_mutated(models):
    cfg = {
        "type": f"{models.b}.Model",
        "backbone": {
            "type": f"{models.a}.Backbone",
            "depth": 2,
            "act_cfg": {"type": "ReLU", "inplace": True},
        },
        "head": {"widths": [1, 2], "nested": {"act": {"type": "ReLU"}}},
    }
    before = copy.deepcopy(cfg)
    model = models.root.build(cfg, recursive=True)
    assert cfg == before
    assert isinstance(model.backbone.act_cfg, Act)
    assert model.backbone.act_cfg.inplace is True
    assert model.head["widths"] == [1, 2]
    assert isinstance(model.head["nested"]["act"], Act)


def test_without_recursive_nested_configs_pass_through_untouched(models):
    act = {"type": "ReLU"}
    backbone = models.alpha.build({"type": "Backbone", "depth": 1, "act_cfg": act})
    assert backbone.act_cfg is act


def test_scope_applies_to_the_node_and_its_subtree(models):
    class BetaAct:
        def __init__(self, inplace=False):
            self.inplace = inplace

    models.beta.register_module(name="ReLU", module=BetaAct)
    cfg = {
        "type": "Model",
        "_scope_": models.b,
        "backbone": {"type": "Backbone", "_scope_": models.a, "depth": 1, "act_cfg": {"type": "ReLU"}},
        "head": {"type": "ReLU"},
    }
    model = models.root.build(cfg, recursive=True)
    assert type(model.backbone.act_cfg) is Act  # alpha's subtree: ReLU from alpha's ancestors
    assert type(model.head) is BetaAct  # beta's subtree: beta's own ReLU


def test_partial_returns_a_partial_with_checked_keywords(models):
    make = models.root.build({"type": "ReLU", "_partial_": True})
    assert isinstance(make, functools.partial)
    assert make(inplace=True).inplace is True
    made = models.alpha.build({"type": "Backbone", "_partial_": True, "stages": (1,)})
    assert made(depth=3).stages == (1,)
    with pytest.raises(
        BuildArgumentsError, match=r"unexpected keyword 'inplce' \(did you mean 'inplace'\?\)"
    ):
        models.root.build({"type": "ReLU", "_partial_": True, "inplce": True})
    with pytest.raises(TypeError, match=r"_partial_'\] must be True or False"):
        models.root.build({"type": "ReLU", "_partial_": "yes"})


def test_partial_nodes_inside_a_recursive_build(models):
    model = models.beta.build(
        {"type": "Model", "backbone": {"type": f"{models.a}.Backbone", "_partial_": True}}, recursive=True
    )
    assert model.backbone(depth=5).depth == 5


def test_registry_key_resolves_in_another_root_registry(models):
    class Blobs:
        def __init__(self, size=1):
            self.size = size

    DATASETS.register_module(name=f"Blobs_{models.a}", module=Blobs)
    model = models.beta.build(
        {"type": "Model", "backbone": {"type": f"Blobs_{models.a}", "_registry_": "DATASETS", "size": 3}},
        recursive=True,
    )
    assert model.backbone.size == 3
    made = models.root.build({"type": f"Blobs_{models.a}", "_registry_": "dataset"})
    assert isinstance(made, Blobs)
    with pytest.raises(UnknownRegistryError, match=r"Did you mean 'DATASETS'"):
        models.root.build({"type": "X", "_registry_": "DATASET"})


def test_validate_returns_every_problem_with_its_path(models):
    cfg = {
        "type": f"{models.b}.Model",
        "backbone": {
            "type": f"{models.a}.Backbone",
            "deph": 2,
            "act_cfg": {"type": "ReLu", "inplace": True},
        },
        "head": [{"type": "ReLU", "inplce": True}],
    }
    problems = models.root.validate(cfg, path="model")
    assert [(p.path, p.kind) for p in problems] == [
        ("model.backbone.deph", "unexpected-keyword"),
        ("model.backbone.act_cfg.type", "unknown-type"),
        ("model.backbone", "missing-argument"),
        ("model.head[0].inplce", "unexpected-keyword"),
    ]
    messages = [p.message for p in problems]
    assert "did you mean 'depth'?" in messages[0]
    assert f"{Backbone.__module__}.Backbone" in messages[0]
    assert f"{__file__}:" in messages[0]  # the class's file:line
    assert "Did you mean 'ReLU'?" in messages[1]
    assert "missing required argument 'depth'" in messages[2]
    assert "did you mean 'inplace'?" in messages[3]


def test_validate_constructs_nothing(models):
    built = []
    models.root.register_module(name="Recorder", module=lambda **kw: built.append(kw))
    assert models.root.validate({"type": "Recorder", "child": {"type": "Recorder"}}) == []
    assert built == []


def test_callables_taking_kwargs_accept_any_keyword(models):
    assert models.beta.validate({"type": "Model", "backbone": 1, "anything": 2}) == []


def test_a_recursive_build_with_problems_builds_nothing_and_lists_all(models):
    built = []
    models.root.register_module(name="Recorder", module=lambda **kw: built.append(kw))
    cfg = {"type": "Recorder", "ok": {"type": "Recorder"}, "bad": {"type": "Nope"}, "worse": {"type": "Nada"}}
    with pytest.raises(ConfigError) as info:
        models.root.build(cfg, recursive=True)
    assert built == []
    assert [p.path for p in info.value.problems] == ["bad.type", "worse.type"]
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, TypeError)
    assert "bad.type: Nope is not in the " in str(info.value)


def test_validate_reports_bad_scopes_and_missing_types(models):
    problems = models.root.validate(
        {"type": "ReLU", "x": {"type": "ReLU", "_scope_": "nowhere_at_all"}, "y": 1}
    )
    kinds = {(p.path, p.kind) for p in problems}
    assert ("x._scope_", "bad-value") in kinds
    assert ("y", "unexpected-keyword") in kinds
    assert models.root.validate({"inplace": True}) == [
        models.root.validate({"inplace": True})[0]
    ]  # a stable, comparable problem
    assert models.root.validate({"inplace": True})[0].kind == "missing-type"


def test_deprecated_alias_builds_the_replacement_and_warns_once(models):
    models.alpha.deprecate("OldBackbone", "Backbone")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = models.alpha.build({"type": "OldBackbone", "depth": 1})
        second = models.alpha.build({"type": "OldBackbone", "depth": 2})
    assert isinstance(first, Backbone)
    assert isinstance(second, Backbone)
    deprecations = [w for w in caught if issubclass(w.category, DeprecatedNameWarning)]
    assert len(deprecations) == 1
    assert "'OldBackbone' is deprecated; use 'Backbone' instead" in str(deprecations[0].message)


def test_deprecated_aliases_are_hidden_from_listings(models):
    models.alpha.deprecate("OldBackbone", "Backbone")
    assert "OldBackbone" not in models.alpha.module_dict
    assert len(models.alpha) == 1


def test_deprecation_rejects_conflicts_and_cycles_do_not_recurse(models):
    with pytest.raises(DuplicateNameError):
        models.alpha.deprecate("Backbone", "Other")
    with pytest.raises(ValueError, match="of itself"):
        models.alpha.deprecate("Same", "Same")
    with pytest.raises(NotRegisteredError, match="cannot make 'A' a deprecated name of 'B'"):
        models.alpha.deprecate("A", "B")  # a cycle cannot even start: the replacement must resolve
    models.alpha.deprecate("Gone", "Backbone")
    with pytest.raises(DuplicateNameError, match="deprecated name"):
        models.alpha.register_module(name="Gone", module=Act)


def test_build_model_from_cfg_passes_recursive_through():
    root = Registry("model", scope="bmroot", build_func=__import__("scopereg").build_model_from_cfg)
    root.register_module(name="ReLU", module=Act)
    root.register_module(module=Backbone)
    built = root.build({"type": "Backbone", "depth": 1, "act_cfg": {"type": "ReLU"}}, recursive=True)
    assert isinstance(built.act_cfg, Act)
