"""Reserved keys and build functions on Registry.build's hot path.

The hot path calls a remembered constructor without looking for ``_partial_`` or
``_registry_`` when Python itself refuses those keywords to it. Each test builds a name
twice first, so that the build under test takes the hot path, and expects what the first
(full) build of the same config gives.
"""

from __future__ import annotations

import collections
import functools
import types
from typing import Any, ClassVar

import pytest

from scopereg import DATASETS, BuildArgumentsError, Registry, UnknownRegistryError, build_from_cfg
from scopereg._rejection import refuses_reserved_keys


class Strict:
    def __init__(self, x: int = 1) -> None:
        self.x = x


class Loose:
    def __init__(self, x: int = 1, **kwargs: Any) -> None:
        self.x, self.kwargs = x, kwargs


DELETED: list[str] = []


class Finalised:
    def __init__(self, x: int = 1) -> None:
        self.x = x

    def __del__(self) -> None:
        DELETED.append(type(self).__name__)


@pytest.fixture
def models(tree):
    for cls in (Strict, Loose, Finalised):
        tree.root.register_module(module=cls)
    tree.alpha.register_module(name="Strict", module=Loose)  # another class under the same name
    return tree


def warm(registry: Registry, name: str) -> None:
    registry.build({"type": name})
    registry.build({"type": name})


@pytest.mark.parametrize("name", ["Strict", "Loose", "Finalised"])
def test_partial_on_the_hot_path_gives_a_partial(models, name):
    warm(models.root, name)
    built = models.root.build({"type": name, "_partial_": True, "x": 3})
    assert isinstance(built, functools.partial)
    assert built().x == 3


def test_a_refused_reserved_key_runs_no_code_of_the_class(models):
    warm(models.root, "Finalised")
    DELETED.clear()
    models.root.build({"type": "Finalised", "_partial_": True})
    assert DELETED == []  # no half-made instance was finalised


@pytest.mark.parametrize("cls", [Strict, Loose])
def test_registry_key_on_the_hot_path_resolves_in_that_root(models, cls):
    name = f"{cls.__name__}_{models.a}"  # the same name in this tree and in the DATASETS root

    class Dataset:
        def __init__(self, x: int = 1) -> None:
            self.x = x

    models.root.register_module(name=name, module=cls)
    DATASETS.register_module(name=name, module=Dataset)
    warm(models.root, name)
    built = models.root.build({"type": name, "_registry_": "DATASETS", "x": 4})
    assert (type(built), built.x) == (Dataset, 4)


@pytest.mark.parametrize("name", ["Strict", "Loose"])
def test_a_none_scope_on_the_hot_path_builds_as_without_it(models, name):
    cold = models.root.build({"type": name, "_scope_": None, "x": 2})
    warm(models.root, name)
    hot = models.root.build({"type": name, "_scope_": None, "x": 2})
    assert (type(hot), hot.x) == (type(cold), cold.x) == (Strict if name == "Strict" else Loose, 2)


def test_scope_on_the_hot_path_switches_to_that_scope(models):
    warm(models.root, "Strict")
    assert type(models.root.build({"type": "Strict", "_scope_": models.a})) is Loose
    assert type(models.root.build({"type": "Strict"})) is Strict


def test_a_build_func_set_later_sees_every_build(models):
    calls: list[Any] = []

    def counting(cfg: Any, registry: Registry, default_args: Any = None) -> Any:
        calls.append(cfg["type"])
        return build_from_cfg(cfg, registry, default_args)  # fills the caches of the default path

    warm(models.root, "Strict")
    models.root.build_func = counting
    for _ in range(3):
        models.root.build({"type": "Strict"})
    assert calls == ["Strict"] * 3
    models.root.build_func = build_from_cfg
    warm(models.root, "Strict")
    assert calls == ["Strict"] * 3


class WithNew:
    def __new__(cls, x: int = 1) -> WithNew:
        return super().__new__(cls)

    def __init__(self, x: int = 1) -> None:
        self.x = x


class Meta(type):
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return super().__call__(*args, **kwargs)


class WithMeta(metaclass=Meta):
    def __init__(self, x: int = 1) -> None:
        self.x = x


class NamesAReservedKey:
    def __init__(self, _scope_: str = "") -> None:
        self.scope = _scope_


def keyword_only(*, x: int = 1) -> int:
    return x


def takes_any(**kwargs: Any) -> dict[str, Any]:
    return kwargs


@pytest.mark.parametrize(
    ("obj", "refuses"),
    [
        (Strict, True),
        (keyword_only, True),
        (Loose, False),
        (takes_any, False),
        (WithNew, False),
        (WithMeta, False),
        (Finalised, False),
        (NamesAReservedKey, False),
        (dict, False),
        (functools.partial(Strict), False),
    ],
)
def test_refuses_reserved_keys_only_when_python_refuses_them_before_any_code_runs(obj, refuses):
    assert refuses_reserved_keys(obj) is refuses


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: collections.OrderedDict(type="Strict", x=2), id="OrderedDict"),
        pytest.param(lambda: collections.defaultdict(int, type="Strict", x=2), id="defaultdict"),
        pytest.param(lambda: types.MappingProxyType({"type": "Strict", "x": 2}), id="a Mapping, not a dict"),
    ],
)
def test_configs_of_other_mapping_types_build_alike_and_stay_untouched(models, make):
    warm(models.root, "Strict")
    cfg = make()
    before = dict(cfg)
    built = models.root.build(cfg)
    assert (type(built), built.x) == (Strict, 2)
    assert dict(cfg) == before  # nothing added (a defaultdict's __missing__), nothing removed


def test_an_error_after_a_refused_reserved_key_carries_no_stray_context(models):
    warm(models.root, "Strict")
    with pytest.raises(UnknownRegistryError) as raised:
        models.root.build({"type": "Strict", "_registry_": "NO_SUCH_ROOT"})
    assert raised.value.__context__ is None  # not "during handling of the refused call"


class Managed:
    """MMEngine's ManagerMixin protocol: built through get_instance(name, **kwargs)."""

    _instances: ClassVar[dict[str, Managed]] = {}

    def __init__(self, name: str, width: int = 1) -> None:
        self.name, self.width = name, width

    @classmethod
    def get_instance(cls, name: str, **kwargs: Any) -> Managed:
        if name not in cls._instances:
            cls._instances[name] = cls(name, **kwargs)
        return cls._instances[name]

    @classmethod
    def get_current_instance(cls) -> Managed:
        return list(cls._instances.values())[-1]


def test_a_class_keeping_its_instances_is_rejected_alike_cold_and_warm(models):
    models.root.register_module(module=Managed)
    messages = []
    for _ in range(3):  # the first build takes the full path, the third the hot one
        with pytest.raises(BuildArgumentsError, match="missing required argument 'name'") as raised:
            models.root.build({"type": "Managed", "width": 3})
        messages.append(str(raised.value))
    assert len(set(messages)) == 1
    first = models.root.build({"type": "Managed", "name": "one"})
    assert models.root.build({"type": "Managed", "name": "one"}) is first


class Lazy:
    """A value MMEngine's lazy configs leave unbuilt until the config is read (LazyObject)."""

    def build(self) -> int:
        return 7


class LazyConfigDict(dict):  # type: ignore[type-arg]
    """MMEngine's ConfigDict, as far as building reads it: its own __iter__ and __getitem__."""

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        return value.build() if isinstance(value, Lazy) else value

    def __iter__(self) -> Any:  # so that dict(cfg) and **cfg go through __getitem__
        return iter(self.keys())


def test_a_dict_subclass_iterating_its_own_way_is_read_through_it_cold_and_warm(models):
    built = [models.root.build(LazyConfigDict(type="Strict", x=Lazy())) for _ in range(3)]
    assert [b.x for b in built] == [7, 7, 7]  # the third build would take the hot path
