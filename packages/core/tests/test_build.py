"""Building: config mappings, default_args, type forms, and every error path."""

from __future__ import annotations

import copy
import traceback
from collections import OrderedDict, UserDict
from types import MappingProxyType

import pytest

from scopereg import (
    BuildArgumentsError,
    MissingTypeError,
    NotRegisteredError,
    build_from_cfg,
    build_model_from_cfg,
)


class Net:
    def __init__(self, depth, width=8, act=None):
        self.depth, self.width, self.act = depth, width, act


class Exploding:
    def __init__(self, fuse=1):
        raise TypeError(f"inner failure {fuse}")


@pytest.fixture
def models(tree):
    tree.alpha.register_module(module=Net)
    tree.alpha.register_module(module=Exploding)
    return tree.alpha


@pytest.mark.parametrize(
    "make_cfg",
    [dict, OrderedDict, lambda d: MappingProxyType(dict(d)), UserDict],
    ids=["dict", "OrderedDict", "read-only", "UserDict"],
)
def test_any_mapping_builds(models, make_cfg):
    net = models.build(make_cfg({"type": "Net", "depth": 50}))
    assert (net.depth, net.width) == (50, 8)


def test_build_accepts_cfg_as_keyword_and_build_from_cfg_is_equivalent(models):
    assert models.build(cfg={"type": "Net", "depth": 1}).depth == 1
    assert build_from_cfg({"type": "Net", "depth": 2}, models).depth == 2


def test_type_may_be_a_class_or_any_callable(models):
    assert models.build({"type": Net, "depth": 3}).depth == 3
    assert models.build({"type": lambda depth: depth * 2, "depth": 3}) == 6


def test_default_args_fill_missing_keys_and_may_supply_type(models):
    net = models.build({"depth": 5}, default_args={"type": "Net", "depth": 1, "width": 2})
    assert (net.depth, net.width) == (5, 2)


def test_cfg_and_default_args_are_never_mutated(models):
    cfg = {"type": "Net", "depth": 5, "_scope_": models.scope, "act": {"type": "ReLU"}}
    default_args = {"width": 3, "type": "Other"}
    before = copy.deepcopy((cfg, default_args))
    models.build(cfg, default_args=default_args)
    assert (cfg, default_args) == before


def test_nested_dicts_are_passed_through_untouched(models):
    act = {"type": "ReLU", "inplace": True}
    net = models.build({"type": "Net", "depth": 1, "act": act})
    assert net.act == act


def test_unknown_type_names_registry_scopes_searched_and_close_matches(tree, models):
    @tree.beta.register_module()
    class LogSoftmax:
        pass

    with pytest.raises(NotRegisteredError) as info:
        tree.gamma.build({"type": "LogSoftmx"})
    error = info.value
    assert isinstance(error, KeyError)
    message = str(error)
    assert f"{tree.c}::model" in message
    assert error.searched == (f"{tree.c}::model", f"{tree.a}::model", f"{tree.root_scope}::model")
    assert " -> ".join(error.searched) in message
    assert error.suggestions == (f"{tree.b}.LogSoftmax",)
    assert f"Did you mean '{tree.b}.LogSoftmax'?" in message


def test_exact_name_in_another_scope_is_suggested_scoped(tree):
    @tree.beta.register_module()
    class LogSoftmax:
        pass

    with pytest.raises(NotRegisteredError, match=rf"Did you mean '{tree.b}\.LogSoftmax'\?"):
        tree.alpha.build({"type": "LogSoftmax"})


def test_visible_matches_are_suggested_unscoped_and_at_most_three(tree):
    for name in ("Conv1d", "Conv2d", "Conv3d", "ConvNd"):
        tree.root.register_module(name=name, module=Net)
    with pytest.raises(NotRegisteredError) as info:
        tree.alpha.build({"type": "Conv4d"})
    assert len(info.value.suggestions) == 3
    assert all("." not in s for s in info.value.suggestions)


def test_unknown_scope_in_key_is_explained_with_close_scopes(tree, models):
    with pytest.raises(NotRegisteredError) as info:
        tree.beta.build({"type": f"{tree.a}x.Net"})
    message = str(info.value)
    assert f"scope '{tree.a}x' is not in the 'model' tree" in message
    assert f"did you mean '{tree.a}'?" in message


def test_missing_type_is_a_keyerror(models):
    with pytest.raises(MissingTypeError, match="no 'type' key") as info:
        models.build({"depth": 1})
    assert isinstance(info.value, KeyError)
    assert f"{models.scope}::model" in str(info.value)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((["type", "Net"],), {}, "cfg must be a mapping"),
        (("Net",), {}, "cfg must be a mapping"),
        (({"type": 3},), {}, r"cfg\['type'\] must be"),
        (({"type": None},), {}, r"cfg\['type'\] must be"),
        (({"type": "Net", "_scope_": 3},), {}, r"cfg\['_scope_'\] must be"),
        (({"type": "Net"},), {"default_args": [("depth", 1)]}, "default_args must be a mapping"),
    ],
)
def test_bad_types_raise_typeerror(models, args, kwargs, match):
    with pytest.raises(TypeError, match=match):
        models.build(*args, **kwargs)


def test_registry_argument_must_be_a_registry():
    with pytest.raises(TypeError, match=r"registry must be a scopereg\.Registry"):
        build_from_cfg({"type": "Net"}, "MODELS")  # type: ignore[arg-type]


def test_rejected_arguments_name_the_entry_its_class_and_parameters(models):
    with pytest.raises(BuildArgumentsError) as info:
        models.build({"type": "Net", "depht": 50})
    error = info.value
    assert isinstance(error, TypeError)
    message = str(error)
    assert "'Net'" in message
    assert f"{Net.__module__}.Net" in message
    assert "unexpected keyword 'depht' (did you mean 'depth'?)" in message
    assert "missing required argument 'depth'" in message
    assert "(depth, width=8, act=None)" in message
    assert isinstance(error.__cause__, TypeError)


def test_exceptions_inside_the_constructor_pass_through_unchanged(models):
    with pytest.raises(TypeError, match="inner failure 2") as info:
        models.build({"type": "Exploding", "fuse": 2})
    assert not isinstance(info.value, BuildArgumentsError)
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert frames[-1] == "__init__"


def test_other_exceptions_inside_the_constructor_pass_through(tree):
    def broken():
        raise ZeroDivisionError("inside")

    tree.alpha.register_module(name="broken", module=broken)
    with pytest.raises(ZeroDivisionError, match="inside"):
        tree.alpha.build({"type": "broken"})


def test_build_model_from_cfg_builds_single_configs(models):
    assert build_model_from_cfg({"type": "Net", "depth": 4}, models).depth == 4


def test_build_model_from_cfg_lists_need_torch(models, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    with pytest.raises(ImportError, match=r"scopereg\[torch\]"):
        build_model_from_cfg([{"type": "Net", "depth": 4}], models)
