"""The allowlist grammar: patterns match whole dotted segments, and resolution cannot walk out.

Escape attempts are checked by what they would run: a recorder module written into tmp_path
(or a monkeypatched stdlib function) notes every call, so a refused path that still ran
something fails the test.
"""

from __future__ import annotations

import codecs
import collections
import collections.abc
import itertools
import json
import json.decoder
import os
import sys
import textwrap
from dataclasses import dataclass

import pytest

from scopereg import ConfigFileError, NotRegisteredError, Registry, allow_imports, load_config

_unique = itertools.count()


@dataclass
class Victim:
    """A package ``name`` on sys.path whose modules expose ways out, and a recorder module."""

    name: str
    recorder: str
    calls: list[object]

    @property
    def boom(self) -> str:
        """A top-level module that records being imported."""
        return f"{self.name}_boom"


@pytest.fixture
def victim(tmp_path, monkeypatch):
    name = f"sr_victim_{next(_unique)}_{os.getpid()}"
    recorder = f"{name}_target"
    files = {
        f"{recorder}.py": """
            CALLS = []

            def system(*args, **kwargs):
                CALLS.append(("system", args, kwargs))
                return 0
        """,
        f"{name}/__init__.py": f"""
            import builtins
            import {recorder} as os_alias                # a module re-exported by the package
            from {recorder} import system as run_it      # an object defined elsewhere

            def make(**kwargs):
                return ("made", kwargs)

            def load(**kwargs):                          # as torch.load: defined in the package
                import {recorder}
                {recorder}.CALLS.append(("load", kwargs))
        """,
        f"{name}/optim/__init__.py": "",
        f"{name}/optim/optimizer.py": f"""
            import {name}                                # torch.optim.optimizer imports torch
        """,
        f"{name}/sub.py": f"""
            import builtins
            import {name}                                # as torch.optim.optimizer imports torch
            import {recorder} as os

            class Thing:
                def __init__(self, **kwargs):
                    self.kwargs = kwargs
        """,
        f"{name}/_impl.py": """
            class Hidden:
                pass
        """,
        f"{name}_boom.py": f"""
            import {recorder}
            {recorder}.CALLS.append("imported")

            def x(**kwargs):
                {recorder}.CALLS.append(("x", kwargs))
        """,
    }
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    calls = importlib.import_module(recorder).CALLS
    yield Victim(name, recorder, calls)
    for module in [m for m in sys.modules if m == name or m.startswith((f"{name}.", f"{name}_"))]:
        del sys.modules[module]


@pytest.fixture
def registry():
    return Registry("model", scope=f"allowlist{next(_unique)}")


@pytest.fixture
def recorded(monkeypatch):
    """os.system and codecs.open replaced by a recorder, as the stdlib escapes would reach them."""
    calls: list[object] = []

    def record(*args, **kwargs):
        calls.append((args, kwargs))
        return 0

    monkeypatch.setattr(os, "system", record)
    monkeypatch.setattr(codecs, "open", record)
    return calls


# -- escapes: each would have run the object it reached --------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        ("logging.*", "logging.os.system"),  # '*' across dots, then a module attribute
        ("logging.**", "logging.os.system"),  # '**' does not open modules it reaches by attribute
        ("json.*", "json.codecs.open"),
        ("json.**", "json.codecs.open"),
    ],
)
def test_stdlib_module_attributes_do_not_lead_out_of_the_allowlist(registry, recorded, pattern, key):
    with allow_imports(pattern), pytest.raises(NotRegisteredError):
        registry.build({"type": key, "command": "id"})
    assert recorded == []


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        # torch.optim.* + torch.optim.optimizer.torch.os.system, with a package of our own
        ("{p}.*", "{p}.sub.{p}.os_alias.system"),
        ("{p}.**", "{p}.sub.{p}.os_alias.system"),
        ("{p}.**", "{p}.sub.os.system"),  # a module imported under another name
        ("{p}.**", "{p}.os_alias.system"),  # a module re-exported by the allowed package
        ("{p}.*", "{p}.run_it"),  # an object whose home (__module__) is not allowed
        ("{p}.**", "{p}.sub.{p}.run_it"),
        # torch.optim.** + torch.optim.optimizer.torch.load: torch may be imported, not opened
        ("{p}.optim.**", "{p}.optim.optimizer.{p}.load"),
        ("{p}.optim.*", "{p}.optim.optimizer.{p}.load"),
    ],
)
def test_escapes_through_an_allowed_package_run_nothing(registry, victim, pattern, key):
    with allow_imports(pattern.format(p=victim.name)), pytest.raises(NotRegisteredError):
        registry.build({"type": key.format(p=victim.name), "command": "id"})
    assert victim.calls == []


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        ("{p}.*", "{p}.sub.builtins.exec"),  # builtins, reached as an attribute
        ("{p}.**", "{p}.builtins.eval"),
        ("{p}.*", "{p}.sub.builtins.__import__"),
        ("{p}.**", "{p}.sub.Thing.__init__"),  # dunder attributes
        ("{p}.**", "{p}.sub.Thing.__class__"),
        ("{p}.**", "{p}.make.__globals__.get"),
        ("{p}.**", "{p}.make.__builtins__.get"),
        ("json.*", "json.dumps.__class__"),
        ("json.*", "json.JSONDecoder.__init__"),
        ("json.*", "json.__spec__.loader.get_data"),  # would read any file
        ("json.*", "json._default_encoder.encode"),  # private attribute
        ("json.*", "json.decoder.re.compile"),
        ("json.**", "json.decoder.scanstring"),  # home is _json, outside json
    ],
)
def test_dunder_private_and_builtins_paths_resolve_to_nothing(registry, victim, pattern, key):
    key = key.format(p=victim.name)
    with allow_imports(pattern.format(p=victim.name)):
        assert registry.get(key) is None
        assert key not in registry


def test_a_wildcard_never_chooses_the_top_level_package_to_import(registry, victim):
    with allow_imports("*.x"), pytest.raises(NotRegisteredError):
        registry.build({"type": f"{victim.boom}.x"})
    assert victim.calls == []
    assert victim.boom not in sys.modules


@pytest.mark.parametrize(
    "key",
    [
        "json..dumps",
        ".json.dumps",
        "json.dumps.",
        "json.",
        ".",
        "json. dumps",
        " json.dumps",
        "json.dumps ",
        "json.dumps\n",
        "json.1dumps",
        "json.dumps()",
        "json.*",
        "json.**.dumps",
    ],
)
def test_malformed_keys_are_not_found_and_raise_nothing(registry, key):
    with allow_imports("json.*", "json.**"):
        assert registry.get(key) is None


def test_a_key_with_thousands_of_segments_is_answered_with_none(registry):
    key = "json." + ".".join(["a"] * 20_000)
    with allow_imports("json.**"):
        assert registry.get(key) is None


def test_an_allowed_module_that_exits_at_import_is_an_import_error(registry, tmp_path, monkeypatch):
    name = f"sr_exits_{next(_unique)}"
    (tmp_path / f"{name}.py").write_text("raise SystemExit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with allow_imports(f"{name}.*"), pytest.raises(ImportError, match=name):
        registry.get(f"{name}.thing")
    sys.modules.pop(name, None)


# -- what the grammar allows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "key", "expected"),
    [
        (["json.*"], "json.dumps", json.dumps),
        (["json.*"], "json.decoder.JSONDecoder", None),  # '*' is one segment
        (["json.**"], "json.decoder.JSONDecoder", json.decoder.JSONDecoder),
        (["json.decoder.*"], "json.decoder.JSONDecoder", json.decoder.JSONDecoder),
        (["json.**.JSONDecoder"], "json.decoder.JSONDecoder", json.decoder.JSONDecoder),
        (["json.**.JSONDecoder"], "json.JSONDecoder", None),  # '**' is at least one segment
        (["json.dump?"], "json.dumps", json.dumps),
        (["json.dump?"], "json.dump", None),
        (["json.[lx]oads"], "json.loads", json.loads),
        # defined in json.decoder, taken from json: inside the package it was reached from
        (["json.*"], "json.JSONDecoder", json.decoder.JSONDecoder),
        (["json.**"], "json.decoder.JSONDecoder.decode", json.decoder.JSONDecoder.decode),
        (["collections.*"], "collections.OrderedDict", collections.OrderedDict),
        (["collections.abc.*"], "collections.abc.Mapping", collections.abc.Mapping),
        (["collections.*"], "collections.abc.Mapping", None),
        (["json.*"], "json.decoder", None),  # a module is not a callable to build
        (["*.dumps"], "json.dumps", None),  # wildcard first: allows nothing
        (["json.*", "*.dumps"], "json.dumps", json.dumps),
    ],
)
def test_patterns_match_whole_dotted_segments(registry, patterns, key, expected):
    with allow_imports(*patterns):
        assert registry.get(key) is expected


def test_an_object_defined_elsewhere_needs_its_home_allowed_too(registry, victim):
    key = f"{victim.name}.run_it"
    with allow_imports(f"{victim.name}.*"):
        assert registry.get(key) is None
    with allow_imports(f"{victim.name}.*", f"{victim.recorder}.*"):
        registry.build({"type": key, "command": "ok"})
    assert victim.calls == [("system", (), {"command": "ok"})]


def test_private_modules_resolve_only_when_a_pattern_spells_them_out(registry, victim):
    key = f"{victim.name}._impl.Hidden"
    with allow_imports(f"{victim.name}.**"):
        assert registry.get(key) is None  # wildcards never match a leading underscore
    with allow_imports(f"{victim.name}._impl.*"):
        assert registry.get(key).__name__ == "Hidden"


def test_an_allowed_package_object_builds(registry, victim):
    with allow_imports(f"{victim.name}.*"):
        assert registry.build({"type": f"{victim.name}.make", "a": 1}) == ("made", {"a": 1})
    with allow_imports(f"{victim.name}.sub.*"):
        assert registry.build({"type": f"{victim.name}.sub.Thing", "b": 2}).kwargs == {"b": 2}


def test_torch_optim_star_means_the_classes_in_torch_optim(registry):
    import importlib.util

    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:  # tests/torch/ on sys.path is a namespace package
        pytest.skip("torch is not installed")
    import torch

    with allow_imports("torch.optim.*"):
        assert registry.get("torch.optim.SGD") is torch.optim.SGD  # defined in torch.optim.sgd
        assert registry.get("torch.optim.lr_scheduler.StepLR") is None
        assert registry.get("torch.optim.optimizer.torch.os.system") is None
    with allow_imports("torch.optim.**"):
        assert registry.get("torch.optim.lr_scheduler.StepLR") is torch.optim.lr_scheduler.StepLR
        assert registry.get("torch.optim.optimizer.torch.os.system") is None
        assert registry.get("torch.optim.optimizer.torch.load") is None  # torch is not opened


# -- patterns themselves -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "json",
        "json..dumps",
        ".json.dumps",
        "json.",
        "json.dumps.",
        "json.a**",
        "json.**b",
        "json. dumps",
        "json.du mps",
        "json.__dict__",
        "json.dumps()",
        "builtins.*",
        "builtins.open",
    ],
)
def test_malformed_patterns_are_value_errors(pattern):
    with pytest.raises(ValueError, match="pattern"):
        allow_imports(pattern)
    with pytest.raises(ValueError, match="pattern"):
        Registry("model", scope=f"allowlist{next(_unique)}", allow_imports=[pattern])


def test_a_str_where_patterns_are_expected_is_a_type_error_everywhere(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text("{}")
    with pytest.raises(TypeError, match="wrap it in a list"):
        load_config(path, allow_imports="mypkg.*")
    with pytest.raises(TypeError, match="wrap it in a list"):
        Registry("model", scope=f"allowlist{next(_unique)}", allow_imports="mypkg.*")
    with pytest.raises(TypeError, match="patterns must be str"):
        allow_imports(["mypkg.*"])
    with pytest.raises(TypeError, match="sequence of patterns"):
        load_config(path, allow_imports=3)
    with pytest.raises(ValueError, match="empty segment"):
        load_config(path, allow_imports=["mypkg..x"])


# -- custom_imports in data configs: the same grammar -------------------------------------------------------


@pytest.fixture
def package_tree(tmp_path, monkeypatch):
    """``<p>``, ``<p>.models`` and ``<p>.models.deep``: each records being imported."""
    name = f"sr_pkg_{next(_unique)}"
    log = tmp_path / "imported.txt"
    record = f"with open({str(log)!r}, 'a') as log:\n    log.write(__name__ + '\\n')\n"
    (tmp_path / name / "models").mkdir(parents=True)
    (tmp_path / name / "__init__.py").write_text(record)
    (tmp_path / name / "models" / "__init__.py").write_text(record)
    (tmp_path / name / "models" / "deep.py").write_text(record)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name, log
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


def _data_config(tmp_path, modules):
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps({"custom_imports": {"imports": modules}}))
    return path


def _imported(log):
    return log.read_text().split() if log.exists() else []


def test_custom_imports_star_allows_one_segment_below(tmp_path, package_tree):
    name, log = package_tree
    load_config(_data_config(tmp_path, [f"{name}.models"]), allow_imports=[f"{name}.*"])
    assert _imported(log) == [name, f"{name}.models"]
    with pytest.raises(ConfigFileError, match=r"imports only modules the program allows"):
        load_config(_data_config(tmp_path, [f"{name}.models.deep"]), allow_imports=[f"{name}.*"])
    assert f"{name}.models.deep" not in _imported(log)


def test_custom_imports_double_star_allows_any_depth(tmp_path, package_tree):
    name, log = package_tree
    load_config(_data_config(tmp_path, [f"{name}.models.deep"]), allow_imports=[f"{name}.**"])
    assert _imported(log) == [name, f"{name}.models", f"{name}.models.deep"]


def test_custom_imports_honour_an_allow_imports_block_with_the_same_grammar(tmp_path, package_tree):
    name, log = package_tree
    with allow_imports(f"{name}.*"), pytest.raises(ConfigFileError):
        load_config(_data_config(tmp_path, [f"{name}.models.deep"]))
    with allow_imports(f"{name}.*"):
        load_config(_data_config(tmp_path, [f"{name}.models"]))
    assert _imported(log) == [name, f"{name}.models"]


@pytest.mark.parametrize("module", ["os", "builtins", "{p}..models", "{p}.models ", "{p}._private"])
def test_custom_imports_refuse_what_no_pattern_covers(tmp_path, package_tree, module):
    name, log = package_tree
    with pytest.raises(ConfigFileError, match="imports only modules the program allows"):
        load_config(_data_config(tmp_path, [module.format(p=name)]), allow_imports=[f"{name}.**", "*.*"])
    assert _imported(log) == []
