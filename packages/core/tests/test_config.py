"""Config files: JSON, TOML, YAML, Python; custom_imports; data files import nothing else."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

from scopereg import DATASETS, MODELS, ConfigFileError, load_config, registry_for_key

CONFIG = {"model": {"type": "Net", "depth": 50, "act_cfg": {"type": "ReLU"}}, "epochs": 3}


def test_json(tmp_path):
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(CONFIG))
    assert load_config(path) == CONFIG


def test_toml(tmp_path):
    path = tmp_path / "cfg.toml"
    path.write_text('epochs = 3\n[model]\ntype = "Net"\ndepth = 50\n[model.act_cfg]\ntype = "ReLU"\n')
    assert load_config(str(path)) == CONFIG


def test_yaml(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "cfg.yaml"
    path.write_text("model:\n  type: Net\n  depth: 50\n  act_cfg: {type: ReLU}\nepochs: 3\n")
    assert load_config(path) == CONFIG


def test_python_configs_keep_public_top_level_names(tmp_path):
    path = tmp_path / "cfg.py"
    path.write_text(
        "import os\n_private = 1\nmodel = dict(type='Net', depth=50, act_cfg=dict(type='ReLU'))\nepochs = 3\n"
    )
    assert load_config(path) == CONFIG


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("cfg.json", "{", "line 1"),
        ("cfg.toml", "model = [", "cfg.toml"),
        ("cfg.py", "model = (", "line 1"),
        ("cfg.ini", "[x]", "unsupported suffix '.ini'"),
        ("cfg.json", "[1, 2]", "must hold a mapping"),
    ],
)
def test_bad_files_raise_config_file_error(tmp_path, name, text, match):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigFileError, match=match):
        load_config(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_config(tmp_path / "nope.json")


@pytest.fixture
def importable(tmp_path, monkeypatch):
    """A module on sys.path that records being imported."""
    name = f"custom_mod_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text("IMPORTED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def test_python_config_custom_imports_are_honoured(tmp_path, importable):
    path = tmp_path / "cfg.py"
    path.write_text(f"custom_imports = dict(imports=[{importable!r}], allow_failed_imports=False)\n")
    load_config(path)
    assert importable in sys.modules


def test_data_config_imports_only_what_the_program_allows(tmp_path, importable):
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps({"custom_imports": {"imports": [importable]}}))
    with pytest.raises(ConfigFileError, match="imports only modules the program allows"):
        load_config(path)
    assert importable not in sys.modules
    load_config(path, allow_imports=[importable])
    assert importable in sys.modules


def test_failed_custom_imports(tmp_path):
    path = tmp_path / "cfg.py"
    path.write_text("custom_imports = dict(imports=['no_such_module_zzz'])\n")
    with pytest.raises(ImportError, match="custom import 'no_such_module_zzz' failed"):
        load_config(path)
    path.write_text("custom_imports = dict(imports=['no_such_module_zzz'], allow_failed_imports=True)\n")
    with pytest.warns(UserWarning, match="no_such_module_zzz"):
        assert "custom_imports" in load_config(path)


def test_malformed_custom_imports(tmp_path):
    path = tmp_path / "cfg.py"
    path.write_text(textwrap.dedent("custom_imports = ['a']\n"))
    with pytest.raises(ConfigFileError, match="custom_imports must be dict"):
        load_config(path)


def test_registry_for_key_follows_mmengine_conventions():
    assert registry_for_key("model") is MODELS
    assert registry_for_key("dataset") is DATASETS
    assert registry_for_key("nothing") is None
