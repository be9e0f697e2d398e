"""What code written against mmengine.registry expects: its messages, names and protocols.

Each message test pins MMEngine 0.10.7's own sentence (copied from its source, type
names and all): it must start scopereg's message, so that ``pytest.raises(match=...)`` and
log filters written for MMEngine keep working after the import change.
"""

from __future__ import annotations

import re
import uuid
import warnings
from typing import ClassVar

import pytest

import scopereg
from scopereg import (
    DefaultScopeChangeWarning,
    NotRegisteredError,
    Registry,
    build_runner_from_cfg,
    build_scheduler_from_cfg,
    init_default_scope,
)


def unique(stem: str) -> str:
    return f"{stem}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def cats() -> Registry:
    registry = Registry("cat", scope=unique("zoo"))

    @registry.register_module()
    class BritishShorthair:
        def __init__(self, size: int = 1) -> None:
            self.size = size

    return registry


# -- MMEngine's sentences first ---------------------------------------------------------


def starts_with(sentence: str) -> str:
    return "^" + re.escape(sentence)


@pytest.mark.parametrize(
    ("call", "error", "sentence"),
    [
        (
            lambda r: r.build("BritishShorthair"),
            TypeError,
            "cfg should be a dict, ConfigDict or Config, but got <class 'str'>",
        ),
        (
            lambda r: r.build({"type": 5}),
            TypeError,
            "type must be a str or valid type, but got <class 'int'>",
        ),
        (
            lambda r: r.build({"size": 2}),
            KeyError,
            "`cfg` or `default_args` must contain the key \"type\", but got {'size': 2}\nNone",
        ),
        (
            lambda r: r.build({"type": "BritishShorthair"}, default_args=5),
            TypeError,
            "default_args should be a dict, ConfigDict, Config or None, but got <class 'int'>",
        ),
        (
            lambda r: r.register_module(name=5),
            TypeError,
            "name must be None, an instance of str, or a sequence of str, but got <class 'int'>",
        ),
        (lambda r: r.register_module(force=1), TypeError, "force must be a boolean, but got <class 'int'>"),
        (
            lambda r: r.register_module(module="Cat"),
            TypeError,
            "module must be Callable, but got <class 'str'>",
        ),
    ],
    ids=["cfg", "type", "missing-type", "default_args", "name", "force", "module"],
)
def test_a_misuse_is_reported_in_mmengines_words_first(cats, call, error, sentence):
    with pytest.raises(error, match=starts_with(sentence)):
        call(cats)


def test_a_duplicate_name_is_reported_in_mmengines_words_first(cats):
    class BritishShorthair:  # a different class of the same name
        pass

    with pytest.raises(
        KeyError, match=starts_with(f"BritishShorthair is already registered in cat at {__name__}")
    ):
        cats.register_module(module=BritishShorthair)


def test_a_missing_name_is_reported_in_mmengines_words_then_ours(cats):
    with pytest.raises(NotRegisteredError) as raised:
        cats.build({"type": "Persian"})

    message = str(raised.value)
    assert message.startswith(
        f"Persian is not in the {cats.scope}::cat registry. Please check whether the value of `Persian` is "
        "correct or it was registered as expected."
    )
    assert f"Searched {cats.scope}::cat." in message


def test_a_missing_name_in_the_default_scope_names_that_scopes_registry_first(cats):
    child = Registry("cat", parent=cats, scope=unique("home"))
    init_default_scope(child.scope)
    try:
        with pytest.raises(
            NotRegisteredError, match=starts_with(f"Persian is not in the {child.scope}::cat registry.")
        ):
            cats.build({"type": "Persian"})
    finally:
        init_default_scope(None)


def test_repr_is_titled_like_mmengines_and_shows_the_scope_below(cats):
    text = repr(cats)

    assert text.splitlines()[0].strip() == "Registry of cat"
    assert f"scope: {cats.scope}" in text
    assert "BritishShorthair" in text


# -- names MMEngine code calls ----------------------------------------------------------


def test_get_root_registry_and_search_child_behave_as_mmengines(cats):
    home = Registry("cat", parent=cats, scope=unique("home"))
    room = Registry("cat", parent=home, scope=unique("room"))

    assert room._get_root_registry() is cats
    assert cats._search_child(room.scope) is room
    assert home._search_child(cats.scope) is None  # only this registry and below, as in MMEngine
    assert cats._search_child(cats.scope) is cats


def test_build_runner_from_cfg_calls_from_cfg_of_runner_type_in_the_configs_scope():
    runners = Registry("runner", scope=unique("runners"), build_func=build_runner_from_cfg)
    child = Registry("runner", parent=runners, scope=unique("project"))

    class Runner:
        def __init__(self, cfg: dict[str, object]) -> None:
            self.cfg = cfg
            self.scope = scopereg.DefaultScope.get_current_instance()

        @classmethod
        def from_cfg(cls, cfg: dict[str, object]) -> Runner:
            return cls(cfg)

    runners.register_module(module=Runner)
    child.register_module(name="CustomRunner", module=type("CustomRunner", (Runner,), {}))

    default = runners.build({"epochs": 2})
    custom = runners.build({"runner_type": "CustomRunner", "_scope_": child.scope})

    assert type(default) is Runner
    assert default.cfg == {"epochs": 2}
    assert type(custom).__name__ == "CustomRunner"
    assert custom.cfg == {"runner_type": "CustomRunner"}  # as MMEngine: runner_type stays, _scope_ goes
    assert custom.scope.scope_name == child.scope
    with pytest.raises(
        NotRegisteredError, match=starts_with(f"Missing is not in the {runners.scope}::runner")
    ):
        runners.build({"runner_type": "Missing"})


def test_build_scheduler_from_cfg_builds_plain_or_converts_to_iterations():
    schedulers = Registry("scheduler", scope=unique("sched"), build_func=build_scheduler_from_cfg)

    @schedulers.register_module()
    class StepLR:
        def __init__(self, optimizer: object, step: int, by_epoch: bool = True) -> None:
            self.optimizer, self.step, self.by_epoch = optimizer, step, by_epoch

        @classmethod
        def build_iter_from_epoch(
            cls, optimizer: object, step: int, epoch_length: int, by_epoch: bool = True
        ) -> StepLR:
            return cls(optimizer, step * epoch_length, by_epoch=False)

    defaults = {"optimizer": "sgd", "epoch_length": 10}
    plain = schedulers.build({"type": "StepLR", "step": 2}, default_args=defaults)
    converted = schedulers.build(
        {"type": "StepLR", "step": 2, "convert_to_iter_based": True}, default_args=defaults
    )

    assert (plain.step, plain.by_epoch) == (2, True)
    assert (converted.step, converted.by_epoch) == (20, False)
    with pytest.raises(
        scopereg.ConfigError, match=starts_with("Only epoch-based parameter scheduler can be converted")
    ):
        schedulers.build(
            {"type": "StepLR", "step": 2, "convert_to_iter_based": True}, default_args={"optimizer": 1}
        )


def test_the_new_names_are_public_like_mmengines():
    for name in (
        "build_runner_from_cfg",
        "build_scheduler_from_cfg",
        "declare_scope",
        "DefaultScopeChangeWarning",
    ):
        assert name in scopereg.__all__


# -- mapping-like configs -----------------------------------------------------------------


class KeysAndItems:
    """Not a collections.abc.Mapping: only keys() and __getitem__, as some config classes."""

    def __init__(self, data: dict[str, object]) -> None:
        self._data = data

    def keys(self) -> list[str]:
        return list(self._data)

    def __getitem__(self, key: str) -> object:
        return self._data[key]


class ToDict:
    """Not a Mapping either: a to_dict(), as MMEngine's Config."""

    def __init__(self, data: dict[str, object]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, object]:
        return dict(self._data)


@pytest.mark.parametrize("wrap", [KeysAndItems, ToDict])
def test_a_mapping_like_config_builds_and_is_not_changed(cats, wrap):
    data = {"type": "BritishShorthair", "size": 3}
    cfg = wrap(data)

    built = cats.build(cfg)
    built_again = scopereg.build_from_cfg(cfg, cats, default_args=wrap({"size": 9}))

    assert built.size == 3
    assert built_again.size == 3
    assert data == {"type": "BritishShorthair", "size": 3}
    assert cats.validate(cfg) == []
    assert cats.build(cfg, recursive=True).size == 3


def test_a_mapping_like_config_whose_reading_fails_is_a_config_error(cats):
    class Broken(KeysAndItems):
        def keys(self) -> list[str]:
            raise RuntimeError("no keys today")

    with pytest.raises(
        scopereg.ConfigError, match="looks like a mapping but reading it failed: RuntimeError"
    ):
        cats.build(Broken({}))
    [problem] = cats.validate(Broken({}))
    assert problem.kind == "bad-value"


# -- classes that manage their instances ---------------------------------------------------


class Hub:
    """MMEngine's ManagerMixin protocol: instances by name, and the current one."""

    _instances: ClassVar[dict[str, Hub]] = {}
    _current: ClassVar[Hub | None] = None

    def __init__(self, name: str, size: int = 1) -> None:
        self.name, self.size = name, size

    @classmethod
    def get_instance(cls, name: str, **kwargs: object) -> Hub:
        if name not in cls._instances:
            cls._instances[name] = cls(name, **kwargs)  # type: ignore[arg-type]
        cls._current = cls._instances[name]
        return cls._instances[name]

    @classmethod
    def get_current_instance(cls) -> Hub:
        assert cls._current is not None
        return cls._current


@pytest.mark.parametrize("recursive", [False, True])
def test_a_class_managing_its_instances_is_built_through_get_instance(recursive):
    hubs = Registry("hub", scope=unique("hubs"))
    hubs.register_module(module=Hub)
    name = unique("hub")

    first = hubs.build({"type": "Hub", "name": name, "size": 4}, recursive=recursive)
    again = hubs.build({"type": "Hub", "name": name}, recursive=recursive)

    assert Hub.get_current_instance() is first
    assert again is first
    assert first.size == 4


# -- default scope changes warn, as MMEngine logs ------------------------------------------


def test_replacing_a_different_default_scope_warns_once_per_change():
    first, second = Registry("model", scope=unique("first")), Registry("model", scope=unique("second"))
    try:
        init_default_scope(first.scope)
        with pytest.warns(DefaultScopeChangeWarning, match=f'"{first.scope}" is not "{second.scope}"'):
            init_default_scope(second.scope)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            init_default_scope(second.scope)  # no change: no warning
    finally:
        init_default_scope(None)


# -- a package without an entry point, reached through the program's declaration -------------

UNDECLARED_REGISTRY = """
    from scopereg import MODELS, Registry

    MODELS = Registry("model", parent=MODELS, scope="SCOPE")


    @MODELS.register_module()
    class Detector:
        def __init__(self, depth=50):
            self.depth = depth
"""


def test_a_package_without_an_entry_point_is_reached_once_the_program_declares_it(fake_site):
    package = unique("mmdetlike")
    fake_site.add_files(
        {
            f"{package}/__init__.py": "",
            f"{package}/registry.py": UNDECLARED_REGISTRY.replace("SCOPE", package),
        }
    )
    with pytest.raises(scopereg.UnknownScopeError):
        scopereg.MODELS.build({"type": "Detector", "_scope_": package})

    scopereg.declare_scope(package, f"{package}.registry")

    built = scopereg.MODELS.build({"type": "Detector", "_scope_": package, "depth": 101})
    assert built.depth == 101
    assert [d.distribution for d in scopereg.discover_scopes() if d.scope == package] == [
        "<declared by the program>"
    ]


@pytest.mark.parametrize(
    ("scope", "module"), [("a.b", "x.registry"), ("mmdet", "not a module"), ("mmdet", 5)]
)
def test_declare_scope_rejects_what_is_no_scope_or_module(scope, module):
    with pytest.raises((TypeError, ValueError)):
        scopereg.declare_scope(scope, module)


# MMEngine 0.10.7's mmengine/registry/__init__.py __all__, and the Registry members
# migrating code uses (public, and the private ones downstream code calls).
MMENGINE_ALL = [
    "Registry", "RUNNERS", "RUNNER_CONSTRUCTORS", "HOOKS", "DATASETS", "DATA_SAMPLERS", "TRANSFORMS",
    "MODELS", "WEIGHT_INITIALIZERS", "OPTIMIZERS", "OPTIM_WRAPPER_CONSTRUCTORS", "TASK_UTILS",
    "PARAM_SCHEDULERS", "METRICS", "MODEL_WRAPPERS", "OPTIM_WRAPPERS", "LOOPS", "VISBACKENDS",
    "VISUALIZERS", "LOG_PROCESSORS", "EVALUATOR", "INFERENCERS", "DefaultScope", "traverse_registry_tree",
    "count_registered_modules", "build_model_from_cfg", "build_runner_from_cfg", "build_from_cfg",
    "build_scheduler_from_cfg", "init_default_scope", "FUNCTIONS", "STRATEGIES",
]  # fmt: skip
MMENGINE_REGISTRY_MEMBERS = [
    "name", "scope", "parent", "root", "children", "module_dict", "build_func", "get", "build",
    "register_module", "switch_scope_and_registry", "import_from_location", "infer_scope", "split_scope_key",
    "_get_root_registry", "_search_child", "__len__", "__contains__", "__repr__",
]  # fmt: skip


@pytest.mark.parametrize("name", MMENGINE_ALL)
def test_every_name_of_mmengine_registry_exists_in_scopereg(name):
    assert name in scopereg.__all__
    assert hasattr(scopereg, name)


@pytest.mark.parametrize("member", MMENGINE_REGISTRY_MEMBERS)
def test_every_registry_member_migrating_code_uses_exists(member):
    assert hasattr(Registry, member)
