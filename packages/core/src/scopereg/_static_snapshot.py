"""The whole static index, saved, and read back while nothing it came from has changed.

Reading the entry points costs more than the rest of an index (``importlib.metadata``
alone takes tens of milliseconds to import), so a fresh process reads the saved index
instead, when every input is unchanged:

- the environment (sys.prefix), the interpreter, scopereg's version and the root
  registries (names, scopes, locations);
- every ``*.dist-info`` / ``*.egg-info`` directory on ``sys.path`` and its
  ``entry_points.txt`` (size and ``mtime_ns``): an install, an upgrade or an uninstall
  changes them;
- where each top-level package involved is found;
- every file the index read or imported (registry modules, location files, scopereg's
  own modules), and the directories holding them (a new module beside them could change
  what an import finds).

A snapshot is only written by a process in which no scope was imported before and nothing
was registered in a root (what a fresh ``scopereg`` process is), when nothing failed and
no input was modified in the last few seconds. Only such a process takes it for its
index; did-you-mean suggestions read it in any process, for the scopes not imported yet.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib

from . import _discovery
from ._declared import DeclaredScope
from ._static_files import RACY_SECONDS, find_source, stamp, write_json
from ._static_model import DynamicRegistration, IndexedEntry, IndexedRegistry, StaticIndex
from ._version import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from ._tree import RegistryNode

FORMAT = 1


def pristine(roots: Mapping[str, RegistryNode]) -> bool:
    """Whether the process is as ``import scopereg`` leaves it: no scope declared by the program
    (``declare_scope``, ``--declare-scope``), and trees without child, name or imported location."""
    return not _discovery._program and all(
        not (root._children or root._entries or root._deprecated) and not (root._imported and root._locations)
        for root in roots.values()
    )


def load(directory: str, roots: Mapping[str, RegistryNode]) -> StaticIndex | None:
    """The saved index, if there is one and nothing it came from has changed; else None."""
    try:
        with open(_path(directory), encoding="utf-8") as stream:
            saved = json.load(stream)
        if saved.get("format") != FORMAT or saved.get("roots") != _roots_signature(roots):
            return None
        if saved.get("entry_points") != entry_point_stamps() or not _unchanged(saved):
            return None
        return _index(saved["index"])
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # none saved, or a damaged file: build the index


def save(directory: str, roots: Mapping[str, RegistryNode], index: StaticIndex, files: Iterable[str]) -> bool:
    """Save ``index``, built from ``files``; nothing is saved when a problem or a fresh edit could
    make it wrong later (see the module docstring)."""
    if any(item.error for item in index.scopes) or any(node.problems for node in index.registries()):
        return False
    stamps = {path: stamp(path) for path in sorted(set(files))}
    directories = {os.path.dirname(path): _mtime(os.path.dirname(path)) for path in stamps}
    recent = time.time_ns() - RACY_SECONDS * 1e9
    if any(s is None or s[1] > recent for s in stamps.values()) or any(
        m is None or m > recent for m in directories.values()
    ):
        return False
    saved = {
        "format": FORMAT,
        "roots": _roots_signature(roots),
        "entry_points": entry_point_stamps(),
        "files": stamps,
        "directories": directories,
        "tops": {top: find_source(top).path for top in _tops(index)},
        "index": _data(index),
    }
    return write_json(_path(directory), saved)


def _path(directory: str) -> str:
    key = "\0".join((sys.prefix, sys.version, __version__)).encode()  # one per environment
    return os.path.join(directory, f"index-{FORMAT}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}.json")


def _roots_signature(roots: Mapping[str, RegistryNode]) -> list[list[Any]]:
    return [[public, root.name, root.scope, list(root._locations)] for public, root in roots.items()]


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None


def entry_point_stamps() -> list[list[Any]]:
    """Every distribution's metadata directory on ``sys.path``, with its ``entry_points.txt`` stamp.

    Directories without metadata (a script's folder, the current directory of ``python -m``)
    add nothing, so that the two ways of running ``scopereg`` share one snapshot; a zip
    file on ``sys.path`` adds its own stamp.
    """
    found: list[list[Any]] = []
    for entry in sys.path:
        if not isinstance(entry, str) or not entry:
            continue
        try:
            with os.scandir(entry) as listing:
                names = sorted(
                    item.name for item in listing if item.name.endswith((".dist-info", ".egg-info"))
                )
        except NotADirectoryError:
            found.append([entry, stamp(entry)])
            continue
        except (OSError, ValueError):
            continue  # no such directory: it holds nothing
        for name in names:
            found.append([os.path.join(entry, name), stamp(os.path.join(entry, name, "entry_points.txt"))])
    return found


def _unchanged(saved: dict[str, Any]) -> bool:
    if any(stamp(path) != value for path, value in saved["files"].items()):
        return False
    if any(_mtime(path) != value for path, value in saved["directories"].items()):
        return False
    return all(find_source(top).path == path for top, path in saved["tops"].items())


def _tops(index: StaticIndex) -> set[str]:
    """The top-level packages of every location and registry module: where each is found matters."""
    tops = {item.entry_point.partition("=")[2].strip().partition(".")[0] for item in index.scopes}
    for node in index.registries():
        tops.update(location.partition(".")[0] for location in node.locations)
    return {top.partition(":")[0] for top in tops if top}


# -- the index as JSON data, and back --------------------------------------------------------


def _data(index: StaticIndex) -> dict[str, Any]:
    order = {id(node): number for number, node in enumerate(index.registries())}
    registries = []
    for node in index.registries():
        registries.append(
            {
                "node": [node.public, node.name, node.scope, node.path, list(node.locations), node.imported],
                "parent": None if node.parent is None else order[id(node.parent)],
                "entries": [_entry_data(entry) for entry in node.entries.values()],
                "deprecated": node.deprecated,
                "dynamic": [[place.file, place.line, place.reason] for place in node.dynamic],
            }
        )
    scopes = [[item.scope, item.distribution, item.entry_point] for item in index.scopes]
    return {"scopes": scopes, "registries": registries, "files": index.files}


def _entry_data(entry: IndexedEntry) -> list[Any]:
    return [
        entry.name,
        entry.module,
        entry.qualname,
        entry.file,
        entry.line,
        entry.source,
        entry.registered_at,
        entry.forced,
        entry.conditional,
        entry.distribution,
    ]


def _index(data: dict[str, Any]) -> StaticIndex:
    nodes: list[IndexedRegistry] = []
    roots: dict[str, IndexedRegistry] = {}
    for item in data["registries"]:
        public, name, scope, path, locations, imported = item["node"]
        parent = None if item["parent"] is None else nodes[item["parent"]]
        node = IndexedRegistry(
            public, name, scope, path, locations=tuple(locations), parent=parent, imported=imported
        )
        if parent is None:
            roots[public] = node
        nodes.append(node)
        node.deprecated.update(item["deprecated"])
        node.dynamic.extend(DynamicRegistration(node, *place) for place in item["dynamic"])
        for entry_name, module, qualname, file, line, source, registered_at, *flags in item["entries"]:
            forced, conditional, distribution = flags
            node.entries[entry_name] = IndexedEntry(
                entry_name,
                node,
                module=module,
                qualname=qualname,
                file=file,
                line=line,
                source=source,
                registered_at=registered_at,
                forced=forced,
                conditional=conditional,
                distribution=distribution,
            )
    scopes = [
        DeclaredScope(scope, distribution, entry_point, None)
        for scope, distribution, entry_point in data["scopes"]
    ]
    return StaticIndex(roots, scopes, files=data["files"], cached=True)
