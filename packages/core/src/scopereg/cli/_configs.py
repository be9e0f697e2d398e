"""The commands that read a config file: build and check.

A config is either one node (it has a ``type`` at the top) or a mapping of top-level keys;
each key holding a node (or a list of nodes) is built with the registry its name
conventionally means (``model`` -> MODELS, ``optimizer`` -> OPTIMIZERS, ...; MODELS when
there is no convention), or with ``--registry`` when given.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass

from scopereg import (
    ConfigFileError,
    DefaultScope,
    LocationImportError,
    load_config,
    registry_for_key,
    root_registries,
)
from scopereg.text import short_repr

from ._inventory import check_scope, resolve_root
from ._output import OK, PROBLEMS, USAGE, CliError, Report, Table
from ._text import key_label, plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any

    from scopereg import Registry

#: The label of a config that is a single node.
WHOLE = "(config)"


@dataclass
class Node:
    """One typed node of a config: its label, its config path prefix, and its registry."""

    label: str
    path: str
    cfg: Mapping[str, Any]
    registry: Registry


def read(path: str) -> dict[str, Any]:
    """Load the config file; a missing file is a usage error (exit 2), a bad one exit 1."""
    try:
        return load_config(path)
    except FileNotFoundError as exc:
        raise CliError(f"no such config file: {path!r}", USAGE, error_type=type(exc).__name__) from exc
    except ConfigFileError as exc:
        raise CliError(str(exc), error_type=type(exc).__name__) from exc
    except Exception as exc:  # custom imports: a module may fail in any way
        raise CliError(
            f"config file {path!r} failed to load: {type(exc).__name__}: {exc}", error_type=type(exc).__name__
        ) from exc


def _is_node(value: object) -> bool:
    return isinstance(value, Mapping) and "type" in value


def _registry_of(key: str, chosen: Registry | None) -> Registry:
    """``--registry`` when given, else the registry ``key`` conventionally names, else MODELS."""
    # Never `a or b` on registries: an empty registry is falsy (len() == 0).
    if chosen is not None:
        return chosen
    conventional = registry_for_key(key)
    return root_registries()["MODELS"] if conventional is None else conventional


def select(cfg: Mapping[str, Any], registry: str | None, keys: list[str]) -> tuple[list[Node], list[str]]:
    """The nodes to build or check, and the top-level keys left out (plain data)."""
    chosen = resolve_root(registry)[1] if registry is not None else None
    if "type" in cfg:
        if keys:
            raise CliError("--key does not apply: the config is one node (it has a 'type' at the top)", USAGE)
        return [Node(WHOLE, "", cfg, _registry_of("", chosen))], []
    unknown = [key for key in keys if key not in {key_label(name) for name in cfg}]
    if unknown:
        raise CliError(f"the config has no key {', '.join(map(repr, unknown))} (keys: {_keys(cfg)})", USAGE)
    nodes: list[Node] = []
    skipped: list[str] = []
    for key, value in cfg.items():
        label = key_label(key)
        if keys and label not in keys:
            continue
        if _is_node(value):
            nodes.append(Node(label, label, value, _registry_of(label, chosen)))
        elif isinstance(value, list) and value and all(_is_node(item) for item in value):
            target = _registry_of(label, chosen)
            nodes.extend(Node(f"{label}[{i}]", f"{label}[{i}]", item, target) for i, item in enumerate(value))
        else:
            skipped.append(label)
    if not nodes:
        raise CliError(
            "nothing to do: the config has no 'type' at the top and no top-level key holding a node "
            f"(a mapping with a 'type'); its keys: {_keys(cfg) or '(none)'}"
        )
    return nodes, skipped


def _keys(cfg: Mapping[Any, Any]) -> str:
    """The top-level keys of a config, as text (YAML keys may be numbers, dates, None...)."""
    return ", ".join(key if isinstance(key, str) else short_repr(key) for key in cfg)


def _in_scope(scope: str | None) -> AbstractContextManager[None]:
    if scope is None:
        return nullcontext()
    check_scope(scope)
    return DefaultScope.overwrite_default_scope(scope)


def check(
    path: str, registry: str | None = None, scope: str | None = None, keys: list[str] | None = None
) -> Report:
    """Validate every node of the config without building anything."""
    nodes, skipped = select(read(path), registry, keys or [])
    problems: list[dict[str, str]] = []
    with _in_scope(scope):
        for node in nodes:
            problems.extend(_problems(node))
    data = {"config": path, "checked": [n.label for n in nodes], "skipped": skipped, "problems": problems}
    checked = ", ".join(f"{n.label} ({n.registry.label})" for n in nodes)
    if not problems:
        return Report(data, [f"{path}: no problems (checked {checked})"])
    rows = [(p["path"], p["kind"], p["message"]) for p in problems]
    title = f"{plural(len(problems), 'problem')} in {path}"
    return Report(data, [Table(title, ("path", "kind", "message"), rows)], code=PROBLEMS)


def _problems(node: Node) -> list[dict[str, str]]:
    try:
        found = node.registry.validate(node.cfg, path=node.path)
    except LocationImportError as exc:
        return [{"path": node.path or WHOLE, "kind": "import-error", "message": str(exc)}]
    return [{"path": p.path, "kind": p.kind, "message": p.message} for p in found]


def build(
    path: str, registry: str | None = None, scope: str | None = None, keys: list[str] | None = None
) -> Report:
    """Build every node of the config (children first); report each result or error."""
    nodes, skipped = select(read(path), registry, keys or [])
    built: dict[str, str] = {}
    errors: dict[str, str] = {}
    problems: list[dict[str, str]] = []
    with _in_scope(scope):
        for node in nodes:
            found = _problems(node)
            problems.extend(found)
            ok, text = _build_node(node) if not found else (False, _listing(found))
            (built if ok else errors)[node.label] = text
    data = {"config": path, "built": built, "errors": errors, "problems": problems, "skipped": skipped}
    blocks: list[Table | str] = [f"{label} = {text}" for label, text in built.items()]
    if skipped:
        blocks.append(f"not built (no 'type'): {', '.join(skipped)}")
    messages = [f"{label}: {message}" for label, message in errors.items()]
    return Report(data, blocks, messages, code=PROBLEMS if errors else OK)


def _listing(problems: list[dict[str, str]]) -> str:
    """A node with problems is not built: every problem, with its full config path (as check says)."""
    lines = "".join(f"\n  - {p['path']}: {p['message']}" for p in problems)
    return f"{plural(len(problems), 'problem')}, nothing built:{lines}"


def _text_of(obj: object, limit: int = 2000) -> str:
    """``repr(obj)``, cut at ``limit`` characters; a short form when that repr fails."""
    try:
        text = repr(obj)
    except Exception:  # a failing or runaway __repr__ of a built object must not end the command
        return short_repr(obj)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _build_node(node: Node) -> tuple[bool, str]:
    """``(True, repr of the object)``, or ``(False, the error)``: never a traceback."""
    try:
        return True, _text_of(node.registry.build(node.cfg, recursive=True))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # constructors may raise anything, SystemExit too: report it, go on
        return False, f"{type(exc).__name__}: {exc}"
