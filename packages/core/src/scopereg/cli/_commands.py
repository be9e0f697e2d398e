"""The commands that inspect what is installed: tree, list, which, doctor."""

from __future__ import annotations

import warnings
from fnmatch import fnmatchcase

from scopereg import _discovery
from scopereg._errors import DeprecatedNameWarning, LocationImportError, close_matches, did_you_mean

from ._inventory import (
    Finding,
    build_start,
    describe_entry,
    distribution_of,
    entries,
    entry_point_findings,
    load_declared_scopes,
    load_error,
    plural,
    registry_label,
    resolve_root,
    root_registries,
    scope_registry,
    walk,
)
from ._output import OK, PROBLEMS, CliError, Report, Table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from scopereg._registry import Entry, Registry

_WILDCARDS = frozenset("*?[")


def _location_finding(public: str, registry: Registry, error: str) -> Finding:
    where = registry_label(public, registry)
    return Finding("error", "failing-location", where, error, {"registry": public, "scope": registry.scope})


def _findings_table(findings: list[Finding]) -> Table:
    rows = [(f.severity, f.kind, f.where, f.message) for f in findings]
    return Table("Problems", ("severity", "kind", "where", "message"), rows)


# -- tree ------------------------------------------------------------------------------


def tree() -> Report:
    """Every scope, the distribution declaring it, its registries and their sizes."""
    declared = load_declared_scopes()
    scopes: dict[str, dict[str, Any]] = {}
    errors = entry_point_findings()
    for public, root in root_registries().items():
        for node in walk(root):
            info = scopes.setdefault(node.scope, _scope_info(declared.get(node.scope, [])))
            error = load_error(node)
            if error is not None:
                errors.append(_location_finding(public, node, error))
            key = public if public not in info["registries"] else registry_label(public, node)
            info["registries"][key] = None if error is not None else len(entries(node))
    for scope in sorted(set(declared) - set(scopes)):
        scopes[scope] = _scope_info(declared[scope])
    data = {"scopes": scopes, "errors": [f.as_dict() for f in errors]}
    blocks: list[Table | str] = [_tree_table(scopes)]
    if errors:
        blocks.append(_findings_table(errors))
    return Report(data, blocks, code=PROBLEMS if errors else OK)


def _scope_info(entry_points: list[Any]) -> dict[str, Any]:
    distributions = [distribution_of(ep) for ep in entry_points]
    return {
        "distribution": distributions[0] if distributions else None,
        "entry_points": [f"{ep.name} = {ep.value}" for ep in entry_points],
        "registries": {},
    }


def _tree_table(scopes: dict[str, dict[str, Any]]) -> Table:
    rows = []
    for scope, info in scopes.items():
        first = True
        for registry, count in info["registries"].items() or [("(none)", "")]:
            shown = "error" if count is None else str(count)
            rows.append(
                (scope if first else "", (info["distribution"] or "-") if first else "", registry, shown)
            )
            first = False
    total = sum(count or 0 for info in scopes.values() for count in info["registries"].values())
    title = f"{plural(len(scopes), 'scope')}, {plural(total, 'name')}"
    return Table(title, ("scope", "distribution", "registry", "names"), rows)


# -- list ------------------------------------------------------------------------------


def list_names(registry: str, pattern: str = "*", scope: str | None = None) -> Report:
    """The names of a root registry's tree (or of one scope's registry) matching ``pattern``."""
    public, root = resolve_root(registry)
    load_declared_scopes()
    nodes = [scope_registry(public, root, scope)] if scope is not None else list(walk(root))
    errors: list[Finding] = []
    found: list[Entry] = []
    everything: set[str] = set()
    for node in nodes:
        error = load_error(node)
        if error is not None:
            errors.append(_location_finding(public, node, error))
        for name, entry in entries(node).items():
            everything.add(name)
            if fnmatchcase(name, pattern):
                found.append(entry)
    order = {node: index for index, node in enumerate(nodes)}
    found.sort(key=lambda e: (e.name.lower(), e.name, order[e.registry]))
    described = [describe_entry(entry) for entry in found]
    data = {
        "registry": public,
        "pattern": pattern,
        "scope": scope,
        "entries": described,
        "errors": [f.as_dict() for f in errors],
    }
    where = f"the {public} registry of scope {scope!r}" if scope is not None else f"the {public} tree"
    rows = [(d["name"], d["scope"], d["module"], d["location"]) for d in described]
    blocks: list[Table | str] = []
    messages = []
    if rows:
        title = f"{plural(len(rows), 'name')} in {where} matching {pattern!r}"
        blocks.append(Table(title, ("name", "scope", "module", "defined at"), rows))
    else:
        hint = "" if _WILDCARDS & set(pattern) else did_you_mean(close_matches(pattern, everything))
        messages.append(f"no name in {where} matches {pattern!r}.{hint}")
    if errors:
        blocks.append(_findings_table(errors))
    return Report(data, blocks, messages, code=PROBLEMS if errors or not rows else OK)


# -- which -----------------------------------------------------------------------------


def which(registry: str, name: str, scope: str | None = None) -> Report:
    """What ``name`` resolves to from a root registry (or its registry of ``scope``), and why."""
    public, root = resolve_root(registry)
    load_declared_scopes()
    start, note = build_start(public, root, scope)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecatedNameWarning)
        try:
            entry = start.which(name)
            if entry is None:
                for node in walk(root):  # an inspection command: suggest from every location too
                    load_error(node)
                missing = start._missing(name)  # the registry's own message: searched, did-you-mean
                raise CliError(
                    str(missing), searched=list(missing.searched), suggestions=list(missing.suggestions)
                )
        except LocationImportError as exc:
            raise CliError(str(exc), error_type=type(exc).__name__) from exc
    notes = [str(w.message) for w in caught if issubclass(w.category, DeprecatedNameWarning)]
    data = _which_data(public, start, name, entry, [note, *notes] if note is not None else notes)
    return Report(data, [_which_table(data)])


def _which_data(public: str, start: Registry, name: str, entry: Entry, notes: list[str]) -> dict[str, Any]:
    provenance = entry.provenance
    replaced = provenance.replaced
    searched, reason = _why(start, name, entry)
    if notes:
        reason = f"{' '.join(notes)} {reason}"
    holder = entry.registry
    return {
        "query": name,
        "registry": public,
        "from": start._label,
        **describe_entry(entry),
        "registry_label": holder._label,
        "file": provenance.file,
        "line": provenance.line,
        "forced": provenance.forced,
        "replaced": None
        if replaced is None
        else f"{replaced.module}.{replaced.qualname} ({replaced.location})",
        "aliases": sorted(n for n, e in entries(holder).items() if e.obj is entry.obj and n != entry.name),
        "shadows": _same_name(entry, [r for r in _chain(holder) if r is not holder]),
        "shadowed_by": _same_name(entry, [r for r in walk(holder) if r is not holder]),
        "also_in": _same_name(entry, _unrelated(holder)),
        "notes": notes,
        "searched": searched,
        "reason": reason,
    }


def _chain(registry: Registry) -> list[Registry]:
    chain = []
    node: Registry | None = registry
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


def _unrelated(registry: Registry) -> list[Registry]:
    """Registries of the tree that are neither ancestors nor descendants of ``registry``."""
    related = set(_chain(registry)) | set(walk(registry))
    return [node for node in walk(registry.root) if node not in related]


def _same_name(entry: Entry, registries: list[Registry]) -> list[dict[str, Any]]:
    found = []
    for registry in registries:
        load_error(registry)  # best effort: a registry that cannot load has what it has
        other = entries(registry).get(entry.name)
        if other is not None:
            found.append(describe_entry(other))
    return found


def _why(start: Registry, name: str, entry: Entry) -> tuple[list[str], str]:
    holder = entry.registry._label
    scope, dot, _ = name.partition(".")
    if dot:
        searched = [r._label for r in _chain(entry.registry)]
        return searched, f"the key names scope {scope!r}, so it resolves in that scope's registry, {holder}"
    chain = _chain(start)
    searched = [r._label for r in chain[: chain.index(entry.registry) + 1]] if entry.registry in chain else []
    order = " -> ".join(r._label for r in chain)
    if entry.registry is start:
        return (
            searched,
            f"{entry.name!r} is registered in {holder} itself, the first registry searched ({order})",
        )
    return searched, f"an unscoped name is searched in {order}; the first holding {entry.name!r} is {holder}"


def _which_table(data: dict[str, Any]) -> Table:
    def keys(items: list[dict[str, Any]]) -> str:
        return ", ".join(f"{item['key']} ({item['object']}, {item['location']})" for item in items) or "-"

    rows = [
        ("key", data["key"]),
        ("registry", data["registry_label"]),
        ("object", data["object"]),
        ("defined at", data["location"]),
        ("distribution", data["distribution"] or "-"),
        ("aliases", ", ".join(data["aliases"]) or "-"),
        ("shadows", keys(data["shadows"])),
        ("shadowed by", keys(data["shadowed_by"])),
        ("also in", keys(data["also_in"])),
        ("why", data["reason"]),
    ]
    if data["forced"] or data["replaced"]:
        rows.insert(5, ("replaced", f"{data['replaced'] or '-'}{' (force=True)' if data['forced'] else ''}"))
    return Table(f"{data['query']!r} from {data['from']}", ("", ""), rows)


# -- doctor ----------------------------------------------------------------------------


def doctor() -> Report:
    """Everything in the installed set that would surprise a user (errors, then warnings)."""
    declared = load_declared_scopes()
    findings = entry_point_findings() + _declared_twice(declared)
    seen_scopes: set[str] = set()
    counts = {"registries": 0, "names": 0}
    for public, root in root_registries().items():
        findings.extend(_doctor_tree(public, root, seen_scopes, counts))
    findings.extend(_unused_scopes(declared, seen_scopes))
    findings.sort(key=lambda f: f.severity != "error")  # stable: errors first, in discovery order
    return _doctor_report(findings, {"scopes": len(seen_scopes | set(declared)), **counts})


def _declared_twice(declared: dict[str, list[Any]]) -> list[Finding]:
    return [
        Finding(
            "warning",
            "scope-declared-twice",
            scope,
            f"scope {scope!r} is declared by several entry points: "
            + ", ".join(f"{distribution_of(ep) or '?'}: {ep.name} = {ep.value}" for ep in eps),
        )
        for scope, eps in sorted(declared.items())
        if len(eps) > 1
    ]


def _unused_scopes(declared: dict[str, list[Any]], seen_scopes: set[str]) -> list[Finding]:
    """Declared scopes that imported fine but that no registry uses (broken ones are errors already)."""
    failed = {key.partition(": ")[2].partition(" = ")[0] for key in _discovery.failed_entry_points()}
    return [
        Finding(
            "warning",
            "scope-without-registry",
            scope,
            f"scope {scope!r} is declared (by {distribution_of(declared[scope][0]) or '?'}) but no registry "
            "of any root tree has it: its configs cannot name it",
        )
        for scope in sorted(set(declared) - seen_scopes - failed)
    ]


def _doctor_report(findings: list[Finding], sizes: dict[str, int]) -> Report:
    errors = sum(f.severity == "error" for f in findings)
    summary = {**sizes, "errors": errors, "warnings": len(findings) - errors}
    counted = [
        plural(sizes["scopes"], "scope"),
        plural(sizes["registries"], "registry", "registries"),
        plural(sizes["names"], "name"),
    ]
    text = f"{', '.join(counted)}: {plural(errors, 'error')}, {plural(summary['warnings'], 'warning')}"
    blocks: list[Table | str] = (
        [_findings_table(findings), text] if findings else [f"{text}: nothing to report"]
    )
    data = {"findings": [f.as_dict() for f in findings], "summary": summary}
    return Report(data, blocks, code=PROBLEMS if errors else OK)


def _doctor_tree(public: str, root: Registry, seen_scopes: set[str], counts: dict[str, int]) -> list[Finding]:
    findings = []
    by_name: dict[str, list[Entry]] = {}
    for node in walk(root):
        seen_scopes.add(node.scope)
        counts["registries"] += 1
        error = load_error(node)
        if error is not None:
            findings.append(_location_finding(public, node, error))
        for name, entry in entries(node).items():
            counts["names"] += 1
            by_name.setdefault(name, []).append(entry)
            if entry.provenance.forced or entry.provenance.replaced is not None:
                findings.append(_forced_finding(public, entry))
    for name, found in by_name.items():
        if len(found) > 1:
            keys = [e.key for e in found]
            findings.append(
                Finding(
                    "warning",
                    "same-name",
                    f"{public}: {name}",
                    f"{name!r} is registered in {len(found)} scopes of the {public} tree "
                    f"({', '.join(keys)}): an unscoped name means a different object depending on the "
                    "default scope",
                    {"registry": public, "name": name, "keys": keys},
                )
            )
    return findings


def _forced_finding(public: str, entry: Entry) -> Finding:
    provenance = entry.provenance
    replaced = provenance.replaced
    what = f"{entry.key} ({provenance.module}.{provenance.qualname}, {provenance.location})"
    if replaced is None:
        message = f"{what} was registered with force=True"
    else:
        how = " with force=True" if provenance.forced else ""
        message = f"{what} replaced {replaced.module}.{replaced.qualname} ({replaced.location}){how}"
    return Finding(
        "warning", "forced", f"{public}: {entry.key}", message, {"registry": public, "key": entry.key}
    )
