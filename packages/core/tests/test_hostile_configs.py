"""Hostile and odd configs: cycles, depth, size, malformed special keys, odd files.

Whatever a config or a config file holds, ``build`` raises only scopereg's documented
errors, ``validate`` returns a list of problems, ``load_config`` returns a dict or raises
``ConfigFileError``, and the command line with ``--json`` prints one JSON document.
Nothing lets a RecursionError or a traceback out.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scopereg
from scopereg import ConfigError, ConfigFileError, Registry, ScoperegError, load_config
from scopereg.cli import main

yaml = pytest.importorskip("yaml")

# -- a registry to build into ------------------------------------------------------------


class Anything:
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


class Pair:
    def __init__(self, a: Any, b: Any = None) -> None:
        self.a, self.b = a, b


def make_list(*items: Any) -> list[Any]:
    return list(items)


@pytest.fixture(scope="module")
def registry() -> Registry:
    registry = Registry("model", scope="hostile_configs")
    for obj in (Anything, Pair, make_list):
        registry.register_module(module=obj)
    return registry


def nested(depth: int, leaf: Any = None, *, typed: bool = False) -> dict[str, Any]:
    """A config ``depth`` levels deep (built without recursion)."""
    node: dict[str, Any] = {"type": "Anything", "x": leaf} if typed else {"x": leaf}
    for _ in range(depth - 1):
        node = {"type": "Anything", "x": node} if typed else {"x": node}
    return node


def self_referencing() -> dict[str, Any]:
    cfg: dict[str, Any] = {"type": "Anything"}
    cfg["child"] = cfg
    return cfg


def looped_list() -> dict[str, Any]:
    items: list[Any] = []
    items.append(items)
    return {"type": "Anything", "items": items}


HOSTILE = {
    "a self-referencing dict": self_referencing,
    "a list containing itself": looped_list,
    "a 500-deep config of nodes": lambda: nested(500, typed=True),
    "a 500-deep config of plain data": lambda: {"type": "Anything", "x": nested(500)},
    "a 10,000-deep list": lambda: {"type": "Anything", "x": deep_list(10_000)},
}


def deep_list(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


# -- 5. no RecursionError, cycles and depth are problems with a path ---------------------


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_recursive_build_of_a_cyclic_or_deep_config_is_a_config_error(registry, make):
    with pytest.raises(ConfigError) as raised:
        registry.build(make(), recursive=True)

    assert [problem.kind for problem in raised.value.problems] in (["cycle"], ["too-deep"])


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_validate_reports_a_cyclic_or_deep_config_as_one_problem(registry, make):
    problems = registry.validate(make(), path="model")

    assert len(problems) == 1
    assert problems[0].kind in ("cycle", "too-deep")
    assert problems[0].path.startswith("model.")


def test_a_cycle_is_reported_where_the_config_refers_back(registry):
    [problem] = registry.validate(self_referencing(), path="model")

    assert (problem.path, problem.kind) == ("model.child", "cycle")
    assert "'model'" in problem.message


def test_too_deep_is_reported_at_the_first_level_past_the_limit(registry):
    [problem] = registry.validate(nested(scopereg.MAX_DEPTH + 1, typed=True))

    assert problem.kind == "too-deep"
    assert problem.path == ".".join(["x"] * scopereg.MAX_DEPTH)
    assert "scopereg.MAX_DEPTH" in problem.message


def test_a_config_at_the_depth_limit_builds(registry):
    built = registry.build(nested(scopereg.MAX_DEPTH, typed=True), recursive=True)

    depth = 0
    while isinstance(built, Anything):
        built, depth = built.kwargs["x"], depth + 1
    assert depth == scopereg.MAX_DEPTH


def test_shared_values_are_not_cycles(registry):
    shared = {"type": "Pair", "a": 1}
    cfg = {"type": "Pair", "a": shared, "b": [shared, shared]}

    built = registry.build(cfg, recursive=True)

    assert built.a.a == 1
    assert built.b[0].a == 1


def test_a_plain_build_passes_deep_and_cyclic_values_through_untouched(registry):
    looped = looped_list()

    assert registry.build(looped).kwargs["items"] is looped["items"]
    assert registry.build({"type": "Anything", "x": deep_list(10_000)}).kwargs["x"]


def test_size_is_limited_however_the_values_are_shared(registry):
    bomb: Any = ["x"] * 10
    for _ in range(6):  # ten references to the level below, six times: 10**7 values
        bomb = [bomb] * 10

    [problem] = registry.validate({"type": "Anything", "x": bomb}, path="cfg")

    assert problem.kind == "too-large"
    assert problem.path.startswith("cfg.x[0]")
    assert "scopereg.MAX_NODES" in problem.message


# -- 4. validate never raises for data -----------------------------------------------------


@pytest.mark.parametrize(
    ("cfg", "path"),
    [
        ({"type": "Anything", "_scope_": 5}, "m._scope_"),
        ({"type": "Anything", "_scope_": ["a"]}, "m._scope_"),
        ({"type": "Anything", "_scope_": ""}, "m._scope_"),
        ({"type": "Anything", "_scope_": "a.b"}, "m._scope_"),
        ({"type": "Anything", "_registry_": 5}, "m._registry_"),
        ({"type": "Anything", "_registry_": None}, "m._registry_"),
        ({"type": 5}, "m.type"),
        ({"type": ["Anything"]}, "m.type"),
        ({"type": {"nested": "dict"}}, "m.type"),
        ({"type": "Anything", "_partial_": "yes"}, "m._partial_"),
        ({"type": "Anything", "x": {"type": "Pair", "a": 1, "_scope_": 3.5}}, "m.x._scope_"),
    ],
)
def test_validate_returns_a_malformed_special_value_as_a_problem_at_its_path(registry, cfg, path):
    problems = registry.validate(cfg, path="m")

    assert [(problem.path, problem.kind) for problem in problems] == [(path, "bad-value")]


@pytest.mark.parametrize("default_args", [5, "type", ["type", "Anything"]])
def test_validate_returns_non_mapping_default_args_as_a_problem(registry, default_args):
    [problem] = registry.validate({"type": "Anything"}, default_args=default_args, path="m")

    assert (problem.path, problem.kind) == ("m", "bad-value")
    assert "default_args must be a mapping" in problem.message


@pytest.mark.parametrize(
    ("cfg", "kwargs", "problem_path"),
    [
        ("Anything", {}, "(config)"),
        ({"type": "Anything"}, {"default_args": 5}, "(default_args)"),
        ({"type": "Anything", "_scope_": 5}, {}, "_scope_"),
        ({"type": "Anything", "_registry_": 5}, {}, "_registry_"),
        ({"type": "Anything", "_partial_": 1}, {}, "_partial_"),
        ({"type": 5}, {}, "type"),
    ],
)
def test_build_raises_a_config_error_naming_the_malformed_value(registry, cfg, kwargs, problem_path):
    with pytest.raises(ConfigError) as raised:
        registry.build(cfg, **kwargs)

    assert isinstance(raised.value, TypeError)  # as before: code catching TypeError keeps working
    assert [(p.path, p.kind) for p in raised.value.problems] == [(problem_path, "bad-value")]


def test_non_str_keywords_are_a_build_arguments_error(registry):
    with pytest.raises(scopereg.BuildArgumentsError, match="keyword 1 is not a str"):
        registry.build({"type": "Pair", "a": 0, 1: "one"})


# -- 9. where a callable is defined is read only for a problem -----------------------------


def test_validating_a_correct_config_never_reads_source(registry, monkeypatch):
    import inspect

    def forbidden(*args: object) -> None:
        raise AssertionError("source read while nothing was wrong")

    monkeypatch.setattr(inspect, "getsourcelines", forbidden)
    monkeypatch.setattr(inspect, "getsourcefile", forbidden)
    leaf = {"type": "Pair", "a": 1}
    cfg = {"type": "Anything", "_partial_": True, "items": [leaf] * 1000}

    assert registry.validate(cfg) == []


# -- load_config: every odd file is a ConfigFileError ---------------------------------------


def alias_bomb(levels: int) -> str:
    text = 'l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]\n'
    for level in range(1, levels + 1):
        text += f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * 10) + "]\n"
    return text


ODD_FILES = {
    "scope.json": ('{"type": "X", "_scope_": 5}', None),
    "registry.json": ('{"type": "X", "_registry_": 5}', None),
    "cycle.yaml": ("model: &a\n  type: X\n  child: *a\n", "at model.child: the config refers back"),
    "deep.json": ('{"model": {"type": "X", "x": ' + "[" * 500 + "]" * 500 + "}}", "at model.x[0][0]"),
    "deeper.json": ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "scopereg.MAX_DEPTH"),
    "deep.toml": ("x = " + "[" * 500 + "]" * 500 + "\n", "scopereg.MAX_DEPTH"),
    "deep.yaml": ("x: " + "[" * 500 + "]" * 500 + "\n", "scopereg.MAX_DEPTH"),
    "deeper.yaml": ("x: " + "[" * 100_000 + "]" * 100_000 + "\n", "config file"),
    "bomb.yaml": (alias_bomb(7), "scopereg.MAX_NODES"),
    "list.yaml": ("&a [*a]\n", "must hold a mapping at the top"),
    "numbers.yaml": ("1: {type: X}\nnull: 2\n", None),
    "latin1.json": (b'{"k": "\xe9"}', "not UTF-8"),
    "bigint.json": ('{"k": ' + "9" * 5000 + "}", "config file"),
    "exits.py": ("import sys\nsys.exit(3)\n", "failed to load: SystemExit: 3 (line 2)"),
    "empty.yaml": ("", "must hold a mapping at the top"),
}


def write_file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ODD_FILES)
def test_load_config_answers_every_odd_file_with_a_dict_or_a_config_file_error(tmp_path, name):
    content, error = ODD_FILES[name]
    path = write_file(tmp_path, name, content)

    if error is None:
        assert isinstance(load_config(path), dict)
    else:
        with pytest.raises(ConfigFileError, match=re.escape(error)):
            load_config(path)


@pytest.mark.parametrize("name", ODD_FILES)
@pytest.mark.parametrize("command", ["check", "build", "explain"])
def test_the_cli_prints_json_for_every_odd_file(tmp_path, name, command):
    content, error = ODD_FILES[name]
    path = write_file(tmp_path, name, content)

    code, out, err = run_cli(command, str(path), "--json")

    document = json.loads(out)
    assert "Traceback" not in err
    assert code in (0, 1)
    if error is not None:
        assert error in document["error"]
        assert document["error_type"] == "ConfigFileError"


def test_a_constructor_that_raises_system_exit_is_reported_by_the_cli(tmp_path, monkeypatch):
    quitting = Registry("model", scope="hostile_quitting")

    @quitting.register_module()
    class Quits:
        def __init__(self) -> None:
            raise SystemExit(4)

    monkeypatch.setitem(scopereg._roots.ROOT_REGISTRIES, "QUITTING", quitting)
    path = write_file(tmp_path, "cfg.json", '{"type": "Quits"}')

    code, out, _ = run_cli("build", str(path), "--registry", "QUITTING", "--json")

    assert code == 1
    assert json.loads(out)["errors"] == {"(config)": "SystemExit: 4"}


def test_an_unexpected_error_is_json_with_exit_3_and_a_traceback_only_with_debug(monkeypatch):
    from scopereg.cli import _commands

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(_commands, "doctor", broken)

    code, out, err = run_cli("doctor", "--json")
    debug_code, _, debug_err = run_cli("doctor", "--debug")

    assert (code, json.loads(out)) == (
        3,
        {"error": "unexpected RuntimeError: a bug", "error_type": "RuntimeError"},
    )
    assert "Traceback" not in err
    assert debug_code == 3
    assert "Traceback (most recent call last)" in debug_err


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


# -- property: arbitrary JSON-like values, cycles and depths up to 10,000 ------------------

HOSTILE_RUNS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

special_keys = st.sampled_from(["type", "_scope_", "_registry_", "_partial_", "x", "a", "b"])
type_names = st.sampled_from(["Anything", "Pair", "make_list", "Missing", "hostile_configs.Pair", "a.b.c"])
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    type_names,
)
json_like = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(special_keys, st.text(max_size=4)), children, max_size=4),
    ),
    max_leaves=20,
)
wrappers = st.lists(st.sampled_from(["list", "dict", "node"]), max_size=4)


@st.composite
def hostile_values(draw: st.DrawFn) -> Any:
    """A JSON-like value, maybe wrapped up to 10,000 levels deep, maybe with a cycle."""
    value = draw(json_like)
    depth = draw(st.one_of(st.just(0), st.integers(1, 150), st.integers(150, 10_000)))
    kinds = draw(wrappers) or ["dict"]
    for level in range(depth):
        kind = kinds[level % len(kinds)]
        value = (
            [value]
            if kind == "list"
            else {"type": "Anything", "x": value}
            if kind == "node"
            else {"x": value}
        )
    if draw(st.booleans()) and isinstance(value, (dict, list)):
        if isinstance(value, dict):
            value["loop"] = value
        else:
            value.append(value)
    return value


def configs(value: Any) -> list[Any]:
    """The value as a config, and inside a node."""
    return [value, {"type": "Anything", "x": value}, {"type": "Pair", "a": value}]


@HOSTILE_RUNS
@given(hostile_values())
def test_build_raises_only_scopereg_errors(registry, value):
    for cfg in configs(value):
        for recursive in (False, True):
            with contextlib.suppress(ScoperegError):  # anything else fails the test
                registry.build(cfg, recursive=recursive)


@HOSTILE_RUNS
@given(hostile_values())
def test_validate_always_returns_a_list_of_problems(registry, value):
    for cfg in configs(value):
        problems = registry.validate(cfg, path="cfg")
        assert isinstance(problems, list)
        assert all(isinstance(problem, scopereg.ConfigProblem) for problem in problems)


def to_json(value: Any) -> str:
    """JSON text of any depth (json.dumps recurses); a cycle becomes a string."""
    parts: list[str] = []
    stack: list[Any] = [("value", value, frozenset())]
    while stack:
        kind, item, seen = stack.pop()
        if kind == "text":
            parts.append(item)
        elif isinstance(item, (dict, list)) and id(item) in seen:
            parts.append('"<cycle>"')
        elif isinstance(item, dict):
            inner = seen | {id(item)}
            stack.append(("text", "}", seen))
            for index, (key, child) in reversed(list(enumerate(item.items()))):
                stack.append(("value", child, inner))
                stack.append(("text", ("," if index else "") + json.dumps(str(key)) + ":", seen))
            stack.append(("text", "{", seen))
        elif isinstance(item, list):
            inner = seen | {id(item)}
            stack.append(("text", "]", seen))
            for index, child in reversed(list(enumerate(item))):
                stack.append(("value", child, inner))
                if index:
                    stack.append(("text", ",", seen))
            stack.append(("text", "[", seen))
        else:
            parts.append(json.dumps(item))
    return "".join(parts)


@HOSTILE_RUNS
@given(hostile_values(), st.sampled_from(["cfg.json", "cfg.yaml", "cfg.yml"]))
def test_load_config_returns_a_dict_or_raises_config_file_error(tmp_path_factory, value, name):
    path = tmp_path_factory.mktemp("load") / name
    path.write_text(to_json({"model": value}), encoding="utf-8")

    try:
        cfg = load_config(path)
    except ConfigFileError:
        return
    assert isinstance(cfg, dict)


@HOSTILE_RUNS
@given(
    hostile_values(),
    st.sampled_from(["check", "build", "explain"]),
    st.sampled_from(["cfg.json", "cfg.yaml"]),
)
def test_the_cli_json_output_always_parses(tmp_path_factory, value, command, name):
    path = tmp_path_factory.mktemp("cli") / name
    path.write_text(to_json({"model": value}), encoding="utf-8")

    code, out, err = run_cli(command, str(path), "--json")

    assert isinstance(json.loads(out), dict)
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
