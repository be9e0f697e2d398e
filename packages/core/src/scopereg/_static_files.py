"""Source files of modules, found without importing them, and their facts cached on disk.

:func:`find_source` locates a module's ``.py`` file the way the import system would, but
by looking at directories: no package ``__init__`` runs (``importlib.util.find_spec`` of a
submodule would import its parents). :class:`FactsCache` keeps what
``scopereg._static_ast`` read from each file, keyed by the file's path, size and
modification time (``mtime_ns``), in a JSON file of the user's cache directory
(:func:`cache_dir`). A file modified in the last :data:`RACY_SECONDS` is read afresh every
time, because a second edit within the clock's resolution would keep size and time: the
cache is never stale. Facts written by another version of the reader (its own file's
stamp differs) are not used either. An unreadable or unwritable cache is no cache, never
an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time

from ._static_ast import MAX_SOURCE_BYTES, read_facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Bump when the facts' format changes: an older cache file is then ignored.
FORMAT = 1
#: Files modified this recently are never cached (see the module docstring).
RACY_SECONDS = 2.0
#: At most this many files are kept in the cache file.
MAX_CACHED_FILES = 20_000
_SOURCE_SUFFIXES = (".py", ".pyw")


def cache_dir() -> str | None:
    """Where the index keeps its cache: ``SCOPEREG_CACHE_DIR`` (empty: no cache), else the user's cache.

    The user cache is ``$XDG_CACHE_HOME/scopereg`` (``~/.cache/scopereg``), on macOS
    ``~/Library/Caches/scopereg`` and on Windows ``%LOCALAPPDATA%\\scopereg``.

    Example:
        >>> import os
        >>> from scopereg._static_files import cache_dir
        >>> cache_dir() == (os.environ.get("SCOPEREG_CACHE_DIR", cache_dir()) or None)
        True
    """
    chosen = os.environ.get("SCOPEREG_CACHE_DIR")
    if chosen is not None:
        return chosen or None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "scopereg")


class Source:
    """Where a module's source is: ``path`` and whether it is a package, or why it has none."""

    __slots__ = ("is_package", "module", "path", "problem")

    def __init__(self, module: str, path: str | None, is_package: bool = False, problem: str | None = None):
        self.module = module
        self.path = path
        self.is_package = is_package
        self.problem = problem


def find_source(module: str) -> Source:
    """The source file of ``module``, found without importing it or its packages.

    Example:
        >>> import sys
        >>> from scopereg._static_files import find_source
        >>> from scopereg.testing import FakeSite
        >>> with FakeSite() as site:
        ...     site.add_files({"loud/__init__.py": "raise RuntimeError", "loud/models.py": "X = 1"})
        ...     found = find_source("loud.models")
        >>> found.path.endswith("models.py"), found.is_package, "loud" in sys.modules
        (True, False, False)
    """
    parts = module.split(".")
    if not all(part.isidentifier() for part in parts):
        return Source(module, None, problem=f"{module!r} is not a module name")
    if module in sys.modules:
        return _live_source(module)
    for depth in range(len(parts) - 1, 0, -1):
        parent = sys.modules.get(".".join(parts[:depth]))
        if parent is not None:
            search = list(getattr(parent, "__path__", None) or ())
            return _search(module, search, parts[depth:])
    return _search(module, _top_level_dirs(parts[0]), parts[1:], top=parts[0])


def _live_source(module: str) -> Source:
    live = sys.modules[module]
    file = getattr(live, "__file__", None)
    is_package = hasattr(live, "__path__")
    if live is None or not isinstance(file, str):
        return Source(module, None, is_package, f"module {module!r} has no source file")
    return _source_file(module, file, is_package)


def _source_file(module: str, path: str, is_package: bool) -> Source:
    if path.endswith(_SOURCE_SUFFIXES):
        return Source(module, path, is_package)
    return Source(
        module, None, is_package, f"module {module!r} is compiled ({os.path.basename(path)}): no source"
    )


def _top_level_dirs(top: str) -> list[str]:
    """Directories to look for ``top`` in: sys.path, or the origin a meta path finder gives."""
    from importlib.util import find_spec  # a top-level name: no package runs to find it

    try:
        spec = find_spec(top)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations is not None:
        return [os.path.dirname(location) for location in spec.submodule_search_locations]
    return [os.path.dirname(spec.origin)] if spec.origin else []


def _search(module: str, directories: list[str], parts: list[str], top: str | None = None) -> Source:
    """Walk ``parts`` (the top-level name first when ``top``) down from ``directories``."""
    names = [top, *parts] if top is not None else parts
    for index, name in enumerate(names):
        last = index == len(names) - 1
        packages: list[str] = []
        for directory in directories:
            candidate = os.path.join(directory, name)
            init = _package_init(candidate)
            if init is not None:
                if last:
                    return Source(module, init, True)
                packages = [candidate]
                break
            if last:
                found = _module_file(module, candidate)
                if found is not None:
                    return found
            if os.path.isdir(candidate):
                packages.append(candidate)  # a namespace package: every portion counts
        if not packages:
            break
        directories = packages
    return Source(module, None, problem=f"no module named {module!r} on sys.path")


def _package_init(directory: str) -> str | None:
    for suffix in _SOURCE_SUFFIXES:
        init = os.path.join(directory, "__init__" + suffix)
        if os.path.isfile(init):
            return init
    return None


def _module_file(module: str, stem: str) -> Source | None:
    from importlib.machinery import EXTENSION_SUFFIXES

    for suffix in _SOURCE_SUFFIXES:
        if os.path.isfile(stem + suffix):
            return Source(module, stem + suffix)
    for suffix in EXTENSION_SUFFIXES:
        if os.path.isfile(stem + suffix):
            return _source_file(module, stem + suffix, False)
    return None


def stamp(path: str) -> list[int] | None:
    """``[size, mtime_ns]`` of a file, None when it cannot be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns]


class FactsCache:
    """The facts of source files, by path, read from and saved to ``directory`` (None: memory only)."""

    def __init__(self, directory: str | None) -> None:
        self.file = None if directory is None else os.path.join(directory, f"facts-{FORMAT}.json")
        self.entries: dict[str, Any] | None = None
        self.used: set[str] = set()
        self.dirty = False
        self.read_count = 0  # files parsed (cache misses), for reports

    def facts(self, source: Source) -> dict[str, Any]:
        """What ``source`` registers (see ``scopereg._static_ast``), from the cache when it is current."""
        path = source.path
        assert path is not None
        current = stamp(path)
        if current is None:
            return {"problem": f"cannot read {path}"}
        key = f"{source.module}:{int(source.is_package)}:{path}"
        self.used.add(key)
        cached = self._load().get(key)
        if isinstance(cached, dict) and cached.get("stamp") == current and _well_formed(cached.get("facts")):
            return cached["facts"]  # type: ignore[no-any-return]  # checked just above
        facts = _read(path, source, current[0])
        self.read_count += 1
        if time.time_ns() - current[1] > RACY_SECONDS * 1e9:
            self._load()[key] = {"stamp": current, "facts": facts}
            self.dirty = True
        return facts

    def _load(self) -> dict[str, Any]:
        if self.entries is None:
            self.entries = {}
            if self.file is not None:
                try:
                    with open(self.file, encoding="utf-8") as stream:
                        data = json.load(stream)
                    if (
                        isinstance(data, dict)
                        and data.get("format") == FORMAT
                        and data.get("reader") == _reader()
                    ):
                        self.entries = data.get("files") or {}
                except (OSError, ValueError, RecursionError):
                    pass  # no cache yet, or a damaged one, or one another reader wrote: read the files
        return self.entries

    def save(self) -> None:
        """Write the cache if it changed; never fails (an unwritable cache directory is no cache)."""
        if not self.dirty or self.file is None or self.entries is None:
            return
        entries = self.entries
        if len(entries) > MAX_CACHED_FILES:
            entries = {key: value for key, value in entries.items() if key in self.used}
        write_json(self.file, {"format": FORMAT, "reader": _reader(), "files": entries})
        self.dirty = False


def _well_formed(facts: object) -> bool:
    """Whether cached facts have the shape ``read_facts`` gives (a damaged cache is read again)."""
    if not isinstance(facts, dict):
        return False
    if "problem" in facts:
        return isinstance(facts["problem"], str)
    lists = ("registrations", "dynamic", "passes", "deprecations", "imports")
    return isinstance(facts.get("bindings"), dict) and all(isinstance(facts.get(key), list) for key in lists)


def _reader() -> list[int] | None:
    """The stamp of the code that reads sources: facts another version of it wrote are not used."""
    from . import _static_ast

    return stamp(_static_ast.__file__ or "")


def write_json(path: str, data: object) -> bool:
    """Write ``data`` to ``path`` atomically (a temporary file renamed); False when it failed."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(data, stream, separators=(",", ":"))
        os.replace(temporary, path)
    except (OSError, ValueError, TypeError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def _read(path: str, source: Source, size: int) -> dict[str, Any]:
    if size > MAX_SOURCE_BYTES:
        return {"problem": f"{path} has {size:,} bytes, more than the index reads ({MAX_SOURCE_BYTES:,})"}
    try:
        with open(path, "rb") as stream:
            text = stream.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        return {"problem": f"cannot read {path}: {exc.strerror or exc}"}
    if len(text) > MAX_SOURCE_BYTES:  # it grew since the stat
        return {"problem": f"{path} has more bytes than the index reads ({MAX_SOURCE_BYTES:,})"}
    return read_facts(text, source.module, source.is_package)
