"""The recursive build's quick path builds exactly what the plan builds, or leaves the config to it.

``build(cfg, recursive=True)`` first tries :func:`scopereg._quick.quick_build`, which
checks a plain config whole and builds it without plan objects. These tests hold it to
the plan: the same objects, the same constructor calls in the same order, the same
errors, and nothing built for a config the plan would reject.
"""

from __future__ import annotations

import copy
import functools
import sys
import uuid
import warnings
from collections import OrderedDict
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import scopereg
from scopereg import ConfigError, DefaultScope, DeprecatedNameWarning, LocationImportError, Registry, _build
from scopereg._quick import NOT_QUICK, QUICK_DEPTH, quick_build

TAG = uuid.uuid4().hex[:8]
ROOT, CHILD = f"q_root_{TAG}", f"q_child_{TAG}"
LOG: list[tuple[str, tuple[str, ...]]] = []  # (class, keywords) of every construction, in order


class Logged:
    """Records its construction; its identity in a comparison is its class and keywords."""

    def __init__(self, **kwargs: Any) -> None:
        LOG.append((type(self).__name__, tuple(kwargs)))
        self.kwargs = kwargs


class Leaf(Logged):
    def __init__(self, a: object = 1, b: object = 2) -> None:
        super().__init__(a=a, b=b)


class ChildLeaf(Logged):
    def __init__(self, a: object = 1) -> None:
        super().__init__(a=a)


class Pair(Logged):
    def __init__(self, x: object, y: object = 0) -> None:
        super().__init__(x=x, y=y)


class Loose(Logged):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)


class Boom(Logged):
    def __init__(self, a: object = None) -> None:
        super().__init__(a=a)
        if a == 0:
            raise ValueError("Boom refuses 0")
        if a == 1:
            len(None)  # type: ignore[arg-type]  # a TypeError raised inside the constructor


def pair_function(x: object, y: object = 0) -> tuple[str, object, object]:
    LOG.append(("pair_function", ("x", "y")))
    return ("pair_function", x, y)


@pytest.fixture(scope="module")
def registries() -> tuple[Registry, Registry]:
    root = Registry("model", scope=ROOT)
    child = Registry("model", parent=root, scope=CHILD)
    for cls in (Leaf, Pair, Loose, Boom):
        root.register_module(module=cls)
    root.register_module(name="pair", module=pair_function)
    child.register_module(name="Leaf", module=ChildLeaf)
    return root, child


def canonical(value: Any) -> Any:
    """What a comparison of two builds looks at: classes, keywords, containers, scalars."""
    if isinstance(value, Logged):
        return (type(value).__name__, canonical(value.kwargs))
    if isinstance(value, functools.partial):
        return ("partial", value.func, canonical(value.keywords))
    if isinstance(value, dict):
        return ("dict", [(key, canonical(item)) for key, item in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [canonical(item) for item in value])
    return value


def outcome(build: Any) -> tuple[str, Any, list[tuple[str, tuple[str, ...]]]]:
    """``("built", canonical result, log)`` or ``("raised", (type, message), log)``."""
    LOG.clear()
    try:
        result = ("built", canonical(build()))
    except Exception as exc:
        result = ("raised", (type(exc), str(exc)))
    return (*result, LOG[:])


def planned_build(cfg: Any, registry: Registry) -> Any:
    """A recursive build through the plan alone: the quick path switched off."""
    with mock.patch.object(_build, "quick_build", return_value=NOT_QUICK):
        return registry.build(cfg, recursive=True)


def default_scope(name: str | None) -> Any:
    return DefaultScope.overwrite_default_scope(name)


# -- configs ----------------------------------------------------------------------------

NAMES = ["Leaf", "Leaf", "Pair", "Pair", "pair", "Boom", f"{CHILD}.Leaf", "Loose", "Missing"]
PARAMETERS = {"Leaf": ("a", "b"), "Pair": ("x", "y"), "pair": ("x", "y"), "Boom": ("a",), "Loose": ("a",)}
ODD_KEYS = ("z", "_scope_", "_partial_")  # a keyword nothing takes, and two reserved keys
SCALARS = st.one_of(st.integers(-1, 3), st.sampled_from(["s", "type", ""]), st.none(), st.booleans())


def _special(key: str, value: Any) -> Any:
    """A plausible value for a reserved key, else ``value``."""
    if key == "_scope_":
        return CHILD if value == 1 else ROOT
    if key == "_partial_":
        return value is True
    return value


def _node(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly nodes that fit their callable; now and then one with an odd or missing key."""

    @st.composite
    def node(draw: st.DrawFn) -> dict[str, Any]:
        name = draw(st.sampled_from(NAMES))
        parameters = PARAMETERS.get(name, ("a",))
        keys = draw(st.lists(st.sampled_from(parameters), unique=True, max_size=2))
        if name in ("Pair", "pair") and "x" not in keys and draw(st.integers(0, 4)):
            keys.append("x")  # usually given: it is required
        if not draw(st.integers(0, 5)):
            keys.append(draw(st.sampled_from(ODD_KEYS)))
        return {"type": name, **{key: _special(key, draw(values)) for key in keys}}

    return node()


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        _node(children),
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.sampled_from(["p", "q"]), children, max_size=2),
    )


CONFIGS = _node(st.recursive(SCALARS, _containers, max_leaves=12))
QUICK = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def forget_lookups(registry: Registry) -> None:
    """Empty every cache of the registry's tree, as a registration would."""
    registry._index.dirty = True
    registry._index.bump()


@QUICK
@given(cfg=CONFIGS, ambient=st.sampled_from([None, ROOT, CHILD]), cold=st.booleans())
def test_the_quick_path_builds_what_the_plan_builds(registries, cfg, ambient, cold):
    root, _ = registries
    before = copy.deepcopy(cfg)
    with default_scope(ambient):
        if cold:  # nothing looked up yet: the quick path looks names up as the plan would
            forget_lookups(root)
        quick = outcome(lambda: quick_build(cfg, root, None))
        planned = outcome(lambda: planned_build(cfg, root))
        built = outcome(lambda: root.build(cfg, recursive=True))
    assert cfg == before  # neither path touches the config
    event("quick path: gave up" if quick[1] is NOT_QUICK else f"quick path: {quick[0]}")
    if quick[1] is NOT_QUICK:
        assert quick[2] == []  # gave up having built nothing
    else:
        assert quick == planned
    assert built == planned


@QUICK
@given(cfg=CONFIGS)
def test_the_quick_path_builds_nothing_when_the_plan_finds_a_problem(registries, cfg):
    root, _ = registries
    if not scopereg.plan(cfg, root).problems:
        return
    LOG.clear()
    assert quick_build(cfg, root, None) is NOT_QUICK
    assert LOG == []


def test_a_plain_config_takes_the_quick_path_even_on_its_first_build(registries):
    root, _ = registries
    cfg = {"type": "Pair", "x": [{"type": "Leaf", "a": (1, {"type": "Leaf"})}, {"p": {"type": "Leaf"}}]}
    assert quick_build(copy.deepcopy(cfg), Registry("model", scope=f"fresh_{TAG}"), None) is NOT_QUICK
    forget_lookups(root)
    LOG.clear()
    built = quick_build(cfg, root, None)
    assert built is not NOT_QUICK
    assert [name for name, _ in LOG] == ["Leaf", "Leaf", "Leaf", "Pair"]  # children first, in order
    first, second = built.kwargs["x"]
    assert isinstance(first.kwargs["a"], tuple)
    assert isinstance(first.kwargs["a"][1], Leaf)
    assert isinstance(second, dict)
    assert isinstance(second["p"], Leaf)


@pytest.mark.parametrize(
    "cfg",
    [
        pytest.param({"type": "Leaf", "_scope_": CHILD}, id="_scope_"),
        pytest.param({"type": "Leaf", "_partial_": True}, id="_partial_"),
        pytest.param({"type": "Leaf", "_registry_": "dataset"}, id="_registry_"),
        pytest.param({"type": "Leaf", "z": 1}, id="a keyword it does not take"),
        pytest.param({"type": "Pair"}, id="a missing argument"),
        pytest.param({"type": "Loose", "z": 1}, id="a callable taking **kwargs"),
        pytest.param({"type": "Missing"}, id="an unknown name"),
        pytest.param({"type": Leaf}, id="a class as type"),
        pytest.param({"type": "Leaf", "a": OrderedDict(type="Leaf")}, id="a Mapping that is not a dict"),
        pytest.param({"type": "Leaf", 1: 2}, id="a key that is not a str"),
    ],
)
def test_the_quick_path_leaves_anything_not_plain_to_the_plan(registries, cfg):
    root, _ = registries
    scopereg.plan(cfg, root)
    LOG.clear()
    assert quick_build(cfg, root, None) is NOT_QUICK
    assert LOG == []


def test_configs_deeper_than_the_quick_path_takes_build_through_the_plan(registries):
    root, _ = registries
    cfg: dict[str, Any] = {"type": "Leaf", "a": None}
    for _ in range(QUICK_DEPTH):
        cfg = {"type": "Leaf", "a": cfg}
    root.build(cfg, recursive=True)
    assert quick_build(cfg, root, None) is NOT_QUICK
    built = root.build(cfg, recursive=True)
    depth = 0
    while isinstance(built, Leaf):
        built, depth = built.kwargs["a"], depth + 1
    assert depth == QUICK_DEPTH + 1


def test_a_cycle_and_shared_subtrees_are_left_to_the_plan_and_reported(registries):
    root, _ = registries
    cycle: dict[str, Any] = {"type": "Leaf"}
    cycle["a"] = [cycle]
    with pytest.raises(ConfigError, match="refers back to itself"):
        root.build(cycle, recursive=True)
    bomb: Any = {"type": "Leaf"}
    for _ in range(30):  # 2**30 nodes through shared lists
        bomb = {"type": "Leaf", "a": [bomb, bomb]}
    assert quick_build(bomb, root, None) is NOT_QUICK
    with pytest.raises(ConfigError, match="MAX_NODES"):
        root.build(bomb, recursive=True)


def test_under_a_default_scope_names_resolve_in_its_registry(registries):
    root, _ = registries
    cfg = {"type": "Pair", "x": {"type": "Leaf"}}
    with default_scope(CHILD):
        forget_lookups(root)
        assert quick_build(cfg, root, None) is not NOT_QUICK
        assert type(root.build(cfg, recursive=True).kwargs["x"]) is ChildLeaf
    assert type(root.build(cfg, recursive=True).kwargs["x"]) is Leaf


def test_default_args_fill_the_top_node_only(registries):
    root, _ = registries
    root.build({"type": "Pair", "x": 0}, recursive=True)
    built = root.build({"x": {"type": "Leaf"}}, recursive=True, default_args={"type": "Pair", "y": 5})
    assert type(built) is Pair
    assert built.kwargs["y"] == 5
    assert type(built.kwargs["x"]) is Leaf


def test_errors_on_the_quick_path_read_as_on_the_plan(registries):
    root, _ = registries
    inside = {"type": "Boom", "a": 0}
    for cfg in ({"type": "Boom", "a": 0}, {"type": "Boom", "a": 1}, {"type": "Pair", "x": inside}):
        root.build({"type": "Boom"}, recursive=True)
        planned = outcome(functools.partial(planned_build, cfg, root))
        assert outcome(functools.partial(root.build, cfg, recursive=True)) == planned
        assert planned[0] == "raised"
        assert planned[1][0] in (ValueError, TypeError)


def test_a_deprecation_turned_into_an_error_is_raised_as_by_the_plan(tree):
    tree.root.register_module(name="Net", module=Leaf)
    tree.root.deprecate("OldNet", "Net")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecatedNameWarning, match="'OldNet' is deprecated"):
            tree.root.build({"type": "Net", "a": {"type": "OldNet"}}, recursive=True)


def test_a_location_that_fails_to_import_is_imported_once_per_build(tmp_path, monkeypatch):
    module = f"q_broken_{TAG}"
    (tmp_path / f"{module}.py").write_text(
        "import sys\nsys.q_imports = getattr(sys, 'q_imports', 0) + 1\nraise RuntimeError('broken')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "q_imports", 0, raising=False)
    registry = Registry("model", scope=f"q_broken_{TAG}", locations=[module])
    with pytest.raises(LocationImportError):
        registry.build({"type": "Net"}, recursive=True)
    assert sys.q_imports == 1  # type: ignore[attr-defined]
