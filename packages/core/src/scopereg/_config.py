"""Config files: JSON, TOML, YAML (data) and Python (trusted code)."""

from __future__ import annotations

import os
import sys

from ._errors import ConfigFileError
from ._limits import MAX_DEPTH, limit_problem
from ._safety import check_patterns, context_patterns, module_allowed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any


def load_config(path: str | os.PathLike[str], *, allow_imports: Iterable[str] = ()) -> dict[str, Any]:
    """Read a config file into a dict.

    - ``.json`` and ``.toml`` with the standard library (``tomli`` on Python 3.10, extra
      ``scopereg[toml]``), ``.yaml``/``.yml`` with PyYAML (extra ``scopereg[yaml]``):
      these are data and import nothing;
    - ``.py``: the file is run and its public top-level names are the config. It is
      trusted code, like any script you run: only load Python configs you would run.

    ``custom_imports = dict(imports=[...], allow_failed_imports=False)`` is honoured as in
    MMEngine. A Python config may import what it likes; a data config may only import
    modules that ``allow_imports`` (glob patterns, set by the program) or an active
    :class:`allow_imports` block permit.

    The loaded config must be a mapping at the top, without cycles, at most
    :data:`~scopereg.MAX_DEPTH` levels deep and with at most :data:`~scopereg.MAX_NODES`
    values (see the security model in the docs).

    Raises:
        FileNotFoundError: no such file.
        ConfigFileError: unsupported suffix, a syntax error, text that is not UTF-8, not a
            mapping at the top, a cycle, too deep or too large; for a Python config, any
            exception its code raised (``SystemExit`` included), chained as ``__cause__``.
        ImportError: a custom import failed and failures are not allowed.

    Example:
        >>> import json, pathlib, tempfile
        >>> from scopereg import load_config
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "cfg.json"
        >>> _ = path.write_text(json.dumps({"model": {"type": "ResNet", "depth": 50}}))
        >>> load_config(path)["model"]["depth"]
        50
    """
    filename = os.fspath(path)
    if not os.path.isfile(filename):
        raise FileNotFoundError(f"config file {filename!r} does not exist")
    suffix = os.path.splitext(filename)[1].lower()
    readers = {
        ".json": _read_json,
        ".toml": _read_toml,
        ".yaml": _read_yaml,
        ".yml": _read_yaml,
        ".py": _read_python,
    }
    reader = readers.get(suffix)
    if reader is None:
        raise ConfigFileError(
            f"config file {filename!r}: unsupported suffix {suffix!r} (use {', '.join(readers)})"
        )
    cfg = _read(reader, filename)
    if not isinstance(cfg, dict):
        raise ConfigFileError(
            f"config file {filename!r} must hold a mapping at the top, got {type(cfg).__name__}"
        )
    problem = limit_problem(cfg)
    if problem is not None:
        raise ConfigFileError(f"config file {filename!r}, at {problem.path}: {problem.message}")
    allowed = check_patterns(allow_imports, "load_config allow_imports", modules=True)
    _custom_imports(cfg, filename, trusted=suffix == ".py", allowed=allowed)
    return cfg


def _read(reader: Callable[[str], Any], filename: str) -> Any:
    """Run ``reader``; whatever the file does to a parser becomes a :class:`ConfigFileError`."""
    try:
        return reader(filename)
    except RecursionError as exc:
        raise ConfigFileError(
            f"config file {filename!r} nests too deeply to be read (scopereg.MAX_DEPTH is {MAX_DEPTH})"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigFileError(f"config file {filename!r} is not UTF-8 text: {exc}") from exc


def _read_json(filename: str) -> Any:
    import json

    with open(filename, encoding="utf-8") as file:
        try:
            return json.load(file)
        except json.JSONDecodeError as exc:
            raise ConfigFileError(f"config file {filename!r}, line {exc.lineno}: {exc.msg}") from exc
        except ValueError as exc:  # e.g. an integer longer than Python's digit limit
            if isinstance(exc, UnicodeDecodeError):
                raise
            raise ConfigFileError(f"config file {filename!r}: {exc}") from exc


def _read_toml(filename: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError as exc:
            raise ImportError(
                "reading TOML on Python 3.10 needs tomli: pip install 'scopereg[toml]'"
            ) from exc
    with open(filename, "rb") as file:
        try:
            return tomllib.load(file)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigFileError(f"config file {filename!r}: {exc}") from exc


def _read_yaml(filename: str) -> Any:
    try:
        import yaml
    except ImportError as exc:
        raise ImportError("reading YAML configs needs PyYAML: pip install 'scopereg[yaml]'") from exc
    with open(filename, encoding="utf-8") as file:
        try:
            # libyaml's loader when PyYAML was built with it: 30x faster, same safe tags.
            return yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise ConfigFileError(f"config file {filename!r}: {exc}") from exc
        except (ValueError, TypeError, OverflowError) as exc:  # values PyYAML's constructors reject
            if isinstance(exc, UnicodeDecodeError):
                raise
            raise ConfigFileError(f"config file {filename!r}: {type(exc).__name__}: {exc}") from exc


def _read_python(filename: str) -> Any:
    import runpy
    import types

    try:
        namespace = runpy.run_path(filename)
    except SyntaxError as exc:
        raise ConfigFileError(f"config file {filename!r}, line {exc.lineno}: {exc.msg}") from exc
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the config's own code failed, SystemExit included: report it
        raise ConfigFileError(
            f"config file {filename!r} failed to load: {type(exc).__name__}: {exc}{_line_of(exc, filename)}"
        ) from exc
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


def _line_of(exc: BaseException, filename: str) -> str:
    """``" (line N)"`` for the deepest frame of ``exc`` inside ``filename``, when there is one."""
    line = None
    traceback = exc.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return "" if line is None else f" (line {line})"


def _custom_imports(cfg: dict[str, Any], filename: str, *, trusted: bool, allowed: tuple[str, ...]) -> None:
    spec = cfg.get("custom_imports")
    if spec is None:
        return
    if not isinstance(spec, dict) or "imports" not in spec:
        raise ConfigFileError(f"config file {filename!r}: custom_imports must be dict(imports=[...])")
    imports = spec["imports"]
    modules = [imports] if isinstance(imports, str) else imports
    if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
        raise ConfigFileError(
            f"config file {filename!r}: custom_imports.imports must be a module name or a list"
        )
    allow_failed = spec.get("allow_failed_imports", False)
    if not trusted:
        _check_allowed(modules, filename, allowed)
    import importlib
    import warnings

    for module in modules:
        try:
            importlib.import_module(module)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a module ending the process must not end ours
            if not allow_failed:
                raise ImportError(
                    f"config file {filename!r}: custom import {module!r} failed: {exc}"
                ) from exc
            warnings.warn(f"config file {filename!r}: custom import {module!r} failed: {exc}", stacklevel=3)


def _check_allowed(modules: list[str], filename: str, allowed: tuple[str, ...]) -> None:
    patterns = allowed + context_patterns()
    refused = [m for m in modules if not module_allowed(m, patterns)]
    if refused:
        raise ConfigFileError(
            f"config file {filename!r} asks to import {refused}: a data config imports only modules the "
            "program allows, e.g. load_config(path, allow_imports=['mypkg.*']) ('*' matches one "
            "dotted segment, '**' any number)"
        )
