"""Property-based tests: random configs, keys and names never crash scopereg.

``build`` may only raise KeyError, TypeError or ValueError (scopereg's own errors
subclass them) and never modifies its inputs; ``get`` answers every str key with None
or the registered object; ``register_module`` accepts exactly the documented names.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections import OrderedDict, UserDict
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scopereg import DefaultScope, DuplicateNameError, Registry, _discovery, _index, init_default_scope

TAG = uuid.uuid4().hex[:8]
ROOT = f"fz_root_{TAG}"
S0, S1, S2 = (f"fz_s{i}_{TAG}" for i in range(3))
DEEP = f"fz_deep_{TAG}"  # a child of S0
ELSEWHERE = f"fz_elsewhere_{TAG}"  # a scope declared by a registry of another tree
TREE_SCOPES = (ROOT, S0, S1, S2, DEEP)

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# -- the registered callables -----------------------------------------------------------


class Required:
    def __init__(self, a: object, b: object) -> None:
        self.a, self.b = a, b


class Defaults:
    def __init__(self, a: object = 1, b: object = "b") -> None:
        self.a, self.b = a, b


class Kwargs:
    def __init__(self, /, **kwargs: object) -> None:
        self.kwargs = kwargs


class KwOnly:
    def __init__(self, *, k: object) -> None:
        self.k = k


class RaisesValueError:
    def __init__(self, value: object = None) -> None:
        raise ValueError(f"rejected inside the constructor: {value!r}")


def make_pair(x: object, y: object = 0) -> tuple[object, object]:
    return (x, y)


def _scope_class(scope: str) -> type:
    return type("Name", (Kwargs,), {"scope": scope})


class FuzzTree:
    """root -> s0 -> deep, root -> s1, root -> s2; every scope registers its own ``Name``."""

    def __init__(self) -> None:
        self.root = Registry("model", scope=ROOT)
        s0 = Registry("model", parent=self.root, scope=S0)
        s1 = Registry("model", parent=self.root, scope=S1)
        s2 = Registry("model", parent=self.root, scope=S2)
        deep = Registry("model", parent=s0, scope=DEEP)
        self.by_scope = {ROOT: self.root, S0: s0, S1: s1, S2: s2, DEEP: deep}
        self.registries = list(self.by_scope.values())
        for scope, registry in self.by_scope.items():
            registry.register_module(name="Name", module=_scope_class(scope))
        for obj in (Required, Defaults, Kwargs, make_pair):
            self.root.register_module(module=obj)
        s1.register_module(module=KwOnly)
        s1.register_module(module=RaisesValueError)
        deep.register_module(name="Deep", module=Required)
        Registry("model", scope=ELSEWHERE)  # known to the process, absent from this tree

    # An independent model of the documented key resolution, for the oracle.

    @staticmethod
    def _local(registry: Registry | None, name: str) -> Any:
        while registry is not None:
            if name in registry.module_dict:
                return registry.module_dict[name]
            registry = registry.parent
        return None

    def expected(self, asker: Registry, key: str) -> Any:
        if "." not in key:
            return self._local(asker, key)
        scope, _, rest = key.partition(".")
        matches = [r for r in self.registries if r.scope == scope]
        target: Registry | None = (
            asker if scope == asker.scope else (matches[0] if len(matches) == 1 else None)
        )
        *path, name = rest.split(".")
        for head in path:
            target = None if target is None else target.children.get(head)
        return None if target is None else self._local(target, name)


@pytest.fixture(scope="module")
def fuzz_tree() -> FuzzTree:
    return FuzzTree()


@pytest.fixture(autouse=True, scope="module")
def _forget_discovery_reads() -> Iterator[None]:
    """Random ``_scope_`` values make discovery read the entry points: forget them after."""
    yield
    _discovery._reset()


@pytest.fixture(autouse=True)
def _isolated_global_state() -> Iterator[None]:
    init_default_scope(None)
    DefaultScope._instances.clear()
    yield
    init_default_scope(None)
    DefaultScope._instances.clear()


class FrozenMapping(Mapping[Any, Any]):
    """A read-only mapping that is not a dict."""

    def __init__(self, data: Mapping[Any, Any]) -> None:
        self._data = dict(data)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"


# -- strategies --------------------------------------------------------------------------

REGISTERED_NAMES = [
    "Required",
    "Defaults",
    "Kwargs",
    "KwOnly",
    "RaisesValueError",
    "make_pair",
    "Name",
    "Deep",
]
names = st.sampled_from([*REGISTERED_NAMES, "Missing", "name", "Requird"])
tree_scopes = st.sampled_from(TREE_SCOPES)
scope_texts = st.one_of(
    tree_scopes,
    st.sampled_from([ELSEWHERE, "scopereg", "", ".", "a.b", f"{S0}.{DEEP}"]),
    st.text(max_size=6),
)
scoped_names = st.one_of(
    st.builds("{}.{}".format, scope_texts, names),
    st.builds("{}.{}.{}".format, tree_scopes, tree_scopes, names),
)
callables = st.sampled_from([Required, Defaults, Kwargs, KwOnly, RaisesValueError, make_pair, dict])
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.tuples(st.text(max_size=2)),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
type_values = st.one_of(names, scoped_names, st.text(max_size=10), callables, junk)
scope_values = st.one_of(scope_texts, junk)
keys = st.one_of(
    st.sampled_from(["a", "b", "k", "x", "y", "value", "kwargs", "self"]),
    st.text(max_size=5),
    st.integers(-2, 2),
    st.none(),
    st.tuples(st.integers(0, 2)),
    st.floats(allow_nan=False),
)
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)
mapping_types = st.sampled_from([dict, OrderedDict, UserDict, FrozenMapping])


@st.composite
def mappings(draw: st.DrawFn) -> Mapping[Any, Any]:
    content: dict[Any, Any] = draw(st.dictionaries(keys, values, max_size=4))
    if draw(st.integers(0, 4)):
        content["type"] = draw(type_values)
    if draw(st.integers(0, 3)) == 0:
        content["_scope_"] = draw(scope_values)
    wrapper = draw(mapping_types)
    return wrapper(content)  # type: ignore[no-any-return]


NOT_GIVEN = object()
cfgs = st.one_of(mappings(), junk, st.lists(mappings(), max_size=2))
default_args_values = st.one_of(st.just(NOT_GIVEN), st.none(), mappings(), junk)
default_scopes = st.one_of(st.none(), tree_scopes, st.just(ELSEWHERE), st.just(f"fz_unknown_{TAG}"))


def _only_documented_errors(exc: BaseException) -> None:
    assert isinstance(exc, (KeyError, TypeError, ValueError)), f"{type(exc).__name__}: {exc}"


# -- build ---------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # fz_unknown_* is unknown on purpose
@FUZZ
@given(
    cfg=cfgs,
    default_args=default_args_values,
    default_scope=default_scopes,
    asker=st.sampled_from(TREE_SCOPES),
)
@example(cfg={"type": "RaisesValueError"}, default_args=NOT_GIVEN, default_scope=None, asker=S1)
@example(cfg={"_scope_": 0}, default_args=None, default_scope=None, asker=ROOT)
@example(cfg={"type": f"{S0}.."}, default_args={"type": 1}, default_scope=S2, asker=DEEP)
@example(cfg={1: 2, "type": dict}, default_args=NOT_GIVEN, default_scope=None, asker=ROOT)
@example(cfg={}, default_args={"type": "Required", "_scope_": S0}, default_scope=None, asker=S2)
def test_build_raises_only_key_type_or_value_errors_and_never_mutates_its_inputs(
    fuzz_tree, cfg, default_args, default_scope, asker
):
    registry = fuzz_tree.by_scope[asker]
    cfg_before = copy.deepcopy(cfg)
    default_args_before = copy.deepcopy(default_args)
    extra = {} if default_args is NOT_GIVEN else {"default_args": default_args}
    try:
        with DefaultScope.overwrite_default_scope(default_scope):
            registry.build(cfg, **extra)
    except Exception as exc:
        _only_documented_errors(exc)
    assert type(cfg) is type(cfg_before)
    assert cfg == cfg_before
    if default_args is not NOT_GIVEN:
        assert type(default_args) is type(default_args_before)
        assert default_args == default_args_before
    assert DefaultScope.get_current_instance() is None  # no scope leaks out of a build


str_keys = st.text(max_size=6).filter(lambda key: key not in ("type", "_scope_"))


@FUZZ
@given(
    kwargs=st.dictionaries(str_keys, values, max_size=4),
    defaults=st.dictionaries(st.one_of(str_keys, st.just("type")), values, max_size=4),
    switch=st.tuples(st.sampled_from(["cfg", "overwrite", "switch"]), st.one_of(st.none(), tree_scopes)),
    asker=st.sampled_from(TREE_SCOPES),
)
def test_cfg_keys_override_default_args_and_reach_the_constructor(fuzz_tree, kwargs, defaults, switch, asker):
    how, scope = switch
    registry = fuzz_tree.by_scope[asker]
    cfg = {"type": "Name", **kwargs}
    if scope is not None and how == "cfg":
        cfg["_scope_"] = scope
    switcher = registry.switch_scope_and_registry if how == "switch" else DefaultScope.overwrite_default_scope
    with switcher(None if how == "cfg" else scope):
        built = registry.build(cfg, default_args=defaults)
    expected_scope = asker if scope is None else scope
    assert type(built).scope == expected_scope
    expected = {key: value for key, value in defaults.items() if key != "type"}
    expected.update(kwargs)
    assert built.kwargs == expected


# -- get -----------------------------------------------------------------------------------

key_tokens = st.sampled_from([*TREE_SCOPES, *REGISTERED_NAMES, "Missing", "", ELSEWHERE])
random_keys = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(key_tokens, st.text(max_size=4)), min_size=1, max_size=4).map(".".join),
    st.sampled_from(
        [".", "..", "a..b", "Name.", ".Name", f"{S0}.", f"{S0}..Name", f"{ROOT}.{S0}.{DEEP}.Deep"]
    ),
)


@FUZZ
@given(key=random_keys, asker=st.sampled_from(TREE_SCOPES))
@example(key=f"{S0}.{DEEP}.Name", asker=S2)
@example(key=f"{DEEP}.Required", asker=S1)
@example(key=f"{ROOT}.{S1}.KwOnly", asker=DEEP)
@example(key="json.dumps", asker=ROOT)
def test_get_answers_every_str_key_with_none_or_the_registered_object(fuzz_tree, key, asker):
    registry = fuzz_tree.by_scope[asker]
    expected = fuzz_tree.expected(registry, key)
    assert registry.get(key) is expected
    assert registry.get(key) is expected  # the same answer from the cache
    assert (key in registry) is (expected is not None)


allowed_key_tokens = st.sampled_from(["json", "dumps", "loads", "decoder", "JSONDecoder", "", "Name", S0])


@FUZZ
@given(key=st.lists(allowed_key_tokens, min_size=1, max_size=4).map(".".join))
@example(key="json.dumps")
@example(key="json..dumps")
@example(key=".dumps")
@example(key="..dumps")
def test_get_with_an_import_allowlist_answers_malformed_paths_with_none(key):
    registry = Registry("function", scope=f"fz_allow_{TAG}", allow_imports=["json.*", "*.dumps"])
    found = registry.get(key)
    assert found is None or callable(found)
    if key == "json.dumps":
        assert found is json.dumps


# -- register_module ---------------------------------------------------------------------

name_texts = st.one_of(
    st.sampled_from(["Thing", "Taken", "a.b", ".", "", " Thing", "Thing ", "\tx", "x\n", "é", "a b"]),
    st.text(max_size=6),
)
name_arguments = st.one_of(
    st.none(),
    name_texts,
    st.lists(name_texts, max_size=3),
    st.lists(name_texts, max_size=3).map(tuple),
    st.lists(st.one_of(name_texts, st.integers(), st.none()), max_size=3),
    st.sets(name_texts, max_size=2),
    st.dictionaries(name_texts, st.integers(), max_size=2),
    st.integers(),
    st.binary(max_size=3),
    st.just(Kwargs),
)


def _valid_name(name: object) -> bool:
    return isinstance(name, str) and bool(name) and name == name.strip() and "." not in name


@FUZZ
@given(name=name_arguments, force=st.one_of(st.booleans(), st.sampled_from([0, 1, None, "yes"])))
@example(name=["Thing", "Thing"], force=False)
@example(name=["Fresh", "Taken"], force=False)
@example(name=["Fresh", "Taken"], force=True)
@example(name=[], force=False)
def test_register_module_accepts_exactly_the_documented_names_all_or_nothing(name, force):
    registry = Registry("model", scope=f"fz_register_{TAG}")

    class Taken:
        pass

    class Thing:
        pass

    registry.register_module(module=Taken)
    if name is None:
        names = ["Thing"]
    elif isinstance(name, str):
        names = [name]
    elif isinstance(name, (list, tuple)):
        names = list(name)
    else:
        names = None  # not a sequence of names
    valid = (
        isinstance(force, bool)
        and names is not None
        and len(names) > 0
        and all(_valid_name(n) for n in names)
        and len(set(names)) == len(names)
    )
    error: Exception | None = None
    try:
        result = registry.register_module(name=name, force=force, module=Thing)
    except Exception as exc:
        error = exc
    if error is not None:
        _only_documented_errors(error)
        assert not valid or (isinstance(error, DuplicateNameError) and "Taken" in names and not force)
        assert dict(registry.module_dict) == {"Taken": Taken}  # nothing registered on failure
        return
    assert valid
    assert result is Thing
    assert "Taken" not in names or force
    for registered in names:
        assert registry.get(registered) is Thing
    assert set(registry.module_dict) == {"Taken", *names}


# -- caches keyed by config data stay bounded ----------------------------------------------


def test_many_distinct_missing_names_keep_the_name_cache_bounded(monkeypatch):
    monkeypatch.setattr(_index, "MAX_CACHED_ENTRIES", 16)
    root = Registry("model", scope=f"fz_bounded_names_{TAG}")
    for i in range(200):
        assert root.get(f"Missing{i}") is None
    assert len(root._cache) <= 16


def test_many_distinct_unknown_scopes_keep_the_scope_cache_bounded(monkeypatch):
    monkeypatch.setattr(_index, "MAX_CACHED_ENTRIES", 16)
    root = Registry("model", scope=f"fz_bounded_scopes_{TAG}")
    for i in range(200):
        with root.switch_scope_and_registry(f"fz_nowhere{i}_{TAG}") as registry:
            assert registry is root
    assert len(root._index.scope_targets) <= 16
