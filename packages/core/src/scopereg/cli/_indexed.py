"""``tree``, ``list`` and ``which`` answered from the static index: no location is imported.

:func:`scopereg.static_index` reads what each registry's locations register from their
source. What only running the code reveals (``register_classes(MODELS, ...)``) is shown
as such, with where it is, and ``--import`` (the commands of ``_commands``) lists it.
``which`` answers from the index when the index is sure; otherwise (a name it cannot
find, a registry searched first that registers names at import time) it imports, so
that its answer is always the one a build gives.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from scopereg import static_index
from scopereg.text import close_matches, did_you_mean

from . import _commands
from ._inventory import Finding, by_scope, resolve_root
from ._output import OK, PROBLEMS, USAGE, CliError, Report, Table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from scopereg import DeclaredScope, IndexedEntry, IndexedRegistry, StaticIndex

_WILDCARDS = frozenset("*?[")


def label(node: IndexedRegistry) -> str:
    """``MODELS`` for a root, ``MODELS[mmalpha]`` for the registry of scope mmalpha in that tree."""
    return node.public if node.parent is None else f"{node.public}[{node.path}]"


def describe(entry: IndexedEntry) -> dict[str, Any]:
    """JSON data of one indexed name: the fields of ``--import``, and where it was read."""
    return {
        "name": entry.name,
        "scope": entry.registry.scope,
        "key": entry.key,
        "object": entry.object,
        "module": entry.module,
        "location": entry.location,
        "distribution": entry.distribution,
        "registered_at": entry.registered_at,
        "conditional": entry.conditional,
        "from_source": entry.source == "static",
    }


def dynamic_data(node: IndexedRegistry) -> list[dict[str, Any]]:
    return [
        {"registry": label(node), "file": place.file, "line": place.line, "reason": place.reason}
        for place in node.dynamic
    ]


def index_findings(index: StaticIndex) -> list[Finding]:
    """Broken entry points and registries whose locations could not be read, as errors."""
    findings = []
    for item in index.scopes:
        if item.error is not None:
            where = f"{item.distribution}: {item.entry_point}"
            message = f"entry point {where!r} failed to import: {item.error}"
            findings.append(Finding("error", "broken-entry-point", where, message))
    for node in index.registries():
        for problem in node.problems:
            extra = {"registry": node.public, "scope": node.scope}
            message = f"{node.label} registry: {problem}"
            findings.append(Finding("error", "failing-location", label(node), message, extra))
    return findings


def _findings_table(findings: list[Finding]) -> Table:
    rows = [(f.severity, f.kind, f.where, f.message) for f in findings]
    return Table("Problems", ("severity", "kind", "where", "message"), rows)


def _dynamic_table(nodes: list[IndexedRegistry], command: str) -> Table:
    rows = [(label(node), place.location, place.reason) for node in nodes for place in node.dynamic]
    title = f"Names registered when the code runs: `scopereg {command} --import` reads them"
    return Table(title, ("registry", "where", "what"), rows)


# -- tree ------------------------------------------------------------------------------


def tree() -> Report:
    """Every scope, the distribution declaring it, its registries and the names read for each."""
    index = static_index()
    declared = by_scope(index.scopes)
    scopes: dict[str, dict[str, Any]] = {}
    dynamic: list[IndexedRegistry] = []
    for public, root in index.roots.items():
        for node in root.walk():
            info = scopes.setdefault(node.scope, _scope_info(declared.get(node.scope, [])))
            key = public if public not in info["registries"] else label(node)
            info["registries"][key] = None if node.problems else len(node.entries)
            if node.dynamic:
                info["dynamic"][key] = dynamic_data(node)
                dynamic.append(node)
    for scope in sorted(set(declared) - set(scopes)):
        scopes[scope] = _scope_info(declared[scope])
    errors = index_findings(index)
    data = {"source": "index", "scopes": scopes, "errors": [f.as_dict() for f in errors]}
    blocks: list[Table | str] = [_commands.tree_table(scopes, " read from source")]
    if dynamic:
        blocks.append(_dynamic_table(dynamic, "tree"))
    if errors:
        blocks.append(_findings_table(errors))
    return Report(data, blocks, code=PROBLEMS if errors else OK)


def _scope_info(declared: list[DeclaredScope]) -> dict[str, Any]:
    return {**_commands.scope_info(declared), "dynamic": {}}


# -- list ------------------------------------------------------------------------------


def list_names(registry: str, pattern: str = "*", scope: str | None = None) -> Report:
    """The names of a root registry's tree (or of one scope's registry) matching ``pattern``."""
    public, _ = resolve_root(registry)
    index = static_index()
    root = index.roots[public]
    nodes = [scope_node(index, public, root, scope)] if scope is not None else list(root.walk())
    found = [e for node in nodes for name, e in node.entries.items() if fnmatchcase(name, pattern)]
    order = {id(node): position for position, node in enumerate(nodes)}
    found.sort(key=lambda e: (e.name.lower(), e.name, order[id(e.registry)]))
    described = [describe(entry) for entry in found]
    labels = {label(node) for node in nodes}
    errors = [f for f in index_findings(index) if f.extra.get("registry") == public and f.where in labels]
    unread = [node for node in nodes if node.dynamic]
    data = {
        "source": "index",
        "registry": public,
        "pattern": pattern,
        "scope": scope,
        "entries": described,
        "dynamic": [item for node in unread for item in dynamic_data(node)],
        "errors": [f.as_dict() for f in errors],
    }
    names = {name for node in nodes for name in node.entries}
    blocks, messages = _commands.names_listing(public, pattern, scope, described, names)
    if unread:
        blocks.append(_unread_note(unread, public, scope))
    if errors:
        blocks.append(_findings_table(errors))
    return Report(data, blocks, messages, code=PROBLEMS if errors or not described else OK)


def _unread_note(unread: list[IndexedRegistry], public: str, scope: str | None) -> str:
    places = "; ".join(f"{node.label} at {', '.join(p.location for p in node.dynamic)}" for node in unread)
    command = f"scopereg list {public}{f' --scope {scope}' if scope else ''} --import"
    return f"Not listed: names registered when the code runs ({places}). `{command}` lists them too."


def scope_node(index: StaticIndex, public: str, root: IndexedRegistry, scope: str) -> IndexedRegistry:
    """The registry of ``scope`` in ``root``'s tree; the errors of ``--import``'s ``--scope``."""
    nodes = [root] if scope == root.scope else [node for node in root.walk() if node.scope == scope]
    if len(nodes) == 1:
        return nodes[0]
    if nodes:
        paths = sorted(node.path for node in nodes)
        raise CliError(f"scope {scope!r} is ambiguous in the {public} tree: it is at {paths}")
    known = known_scopes(index)
    if scope not in known:
        hint = did_you_mean(close_matches(scope, known))
        raise CliError(f"unknown scope {scope!r}: no installed distribution declares it.{hint}", USAGE)
    scopes = ", ".join(dict.fromkeys(node.scope for node in root.walk()))
    raise CliError(f"the {public} tree has no registry of scope {scope!r} (its scopes: {scopes})")


def known_scopes(index: StaticIndex, *, working: bool = False) -> set[str]:
    """Every scope of a registry of the index, and every scope a distribution declares (``working``:
    whose module imported)."""
    known = {node.scope for node in index.registries()}
    known.update(item.scope for item in index.scopes if item.scope and not (working and item.error))
    return known


# -- which -----------------------------------------------------------------------------


def which(registry: str, name: str, scope: str | None = None) -> Report:
    """What ``name`` resolves to from a root registry, from the index when it can be sure."""
    public, _ = resolve_root(registry)
    index = static_index()
    root = index.roots[public]
    start, note = _start(index, public, root, scope)
    starts = [start, root] if start is not root else [root]
    found, searched, sure = _search(starts, name)
    if found is None or not sure:
        return _commands.which(registry, name, scope)  # by importing: the answer a build gives
    notes = [note] if note is not None else []
    data = _which_data(public, start, name, found, searched, notes=notes)
    table = _commands._which_table(data)
    if data["unread"]:
        unread = f"{', '.join(data['unread'])}: names registered when the code runs (--import reads them)"
        table.rows = [*table.rows, ("not read", unread)]
    return Report(data, [table])


def _start(
    index: StaticIndex, public: str, root: IndexedRegistry, scope: str | None
) -> tuple[IndexedRegistry, str | None]:
    """Where a build in default scope ``scope`` starts, and a note when it falls back to the root."""
    if scope is None:
        return root, None
    nodes = [root] if scope == root.scope else [node for node in root.walk() if node.scope == scope]
    if len(nodes) == 1:
        return nodes[0], None
    if nodes:
        scope_node(index, public, root, scope)  # raises: the scope is ambiguous in this tree
    working = known_scopes(index, working=True)
    if "." in scope or scope not in working:
        hint = did_you_mean(close_matches(scope, known_scopes(index)))
        message = f"unknown scope {scope!r}: no registry and no installed distribution declares it.{hint}"
        raise CliError(message, USAGE)
    note = f"the {public} tree has no registry of scope {scope!r}, so a build in that scope resolves from"
    return root, f"{note} {root.label}."


def _search(
    starts: list[IndexedRegistry], key: str
) -> tuple[IndexedEntry | None, list[IndexedRegistry], bool]:
    """The entry ``key`` names, the registries searched, and whether the index is sure of it."""
    searched: list[IndexedRegistry] = []
    name = key.rpartition(".")[2]
    for start in starts:
        target = _target(start, key)
        if target is None:
            return None, searched, False  # an unknown scope: the build's message says why
        for node in target.chain:
            if node not in searched:
                searched.append(node)
            entry = node.entries.get(name)
            if entry is not None:
                return entry, searched, not entry.conditional
            if not node.complete or name in node.deprecated:
                return None, searched, False
    return None, searched, False


def _target(start: IndexedRegistry, key: str) -> IndexedRegistry | None:
    """The registry whose chain a search of ``key`` from ``start`` walks (None: no such scope)."""
    scope, dot, rest = key.partition(".")
    if not dot:
        return start
    root = start.chain[-1]
    nodes = [start] if scope == start.scope else [node for node in root.walk() if node.scope == scope]
    if len(nodes) != 1:
        return None
    target = nodes[0]
    for head in rest.split(".")[:-1]:
        child = target.children.get(head)
        if child is None:
            return None
        target = child
    return target


def _which_data(
    public: str,
    start: IndexedRegistry,
    key: str,
    entry: IndexedEntry,
    searched: list[IndexedRegistry],
    *,
    notes: list[str],
) -> dict[str, Any]:
    holder = entry.registry
    tree = list(holder.chain[-1].walk())
    related = set(map(id, holder.chain)) | set(map(id, holder.walk()))
    same = [node.entries[entry.name] for node in tree if node is not holder and entry.name in node.entries]
    unread = [node.label for node in tree if not node.complete]
    return {
        "source": "index",
        "query": key,
        "registry": public,
        "from": start.label,
        **describe(entry),
        "registry_label": holder.label,
        "file": entry.file,
        "line": entry.line,
        "forced": entry.forced,
        "replaced": None,
        "aliases": sorted(
            n for n, e in holder.entries.items() if e.object == entry.object and n != entry.name
        ),
        "shadows": [describe(e) for e in same if id(e.registry) in set(map(id, holder.chain))],
        "shadowed_by": [describe(e) for e in same if id(e.registry) in set(map(id, holder.walk()))],
        "also_in": [describe(e) for e in same if id(e.registry) not in related],
        "notes": notes,
        "searched": [node.label for node in searched],
        "reason": " ".join([*notes, _reason(key, entry, searched)]),
        "unread": unread,
    }


def _reason(key: str, entry: IndexedEntry, searched: list[IndexedRegistry]) -> str:
    """Why the key resolved where it did, as :meth:`scopereg.Resolution.reason` says it."""
    holder = entry.registry.label
    scope, dot, _ = key.partition(".")
    if dot:
        return f"the key names scope {scope!r}, so it resolves in that scope's registry, {holder}"
    start = next(node for node in searched if entry.registry in node.chain)
    order = " -> ".join(node.label for node in start.chain)
    if entry.registry is searched[0]:
        return f"{entry.name!r} is registered in {holder} itself, the first registry searched ({order})"
    return f"an unscoped name is searched in {order}; the first holding {entry.name!r} is {holder}"
