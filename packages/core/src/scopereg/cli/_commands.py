"""The commands that inspect what is installed: tree, list, which, doctor."""

from __future__ import annotations

import warnings
from fnmatch import fnmatchcase

from scopereg import DeprecatedNameWarning, LocationImportError, root_registries
from scopereg.text import close_matches, did_you_mean

from ._contract import contract_findings
from ._inventory import (
    Finding,
    build_start,
    describe_entry,
    entry_point_findings,
    load,
    load_declared_scopes,
    load_error,
    registry_label,
    resolve_root,
    scope_registry,
)
from ._output import OK, PROBLEMS, CliError, Report, Table
from ._text import plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from scopereg import DeclaredScope, Entry, Registry, Resolution

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
        for node in root.walk():
            info = scopes.setdefault(node.scope, scope_info(declared.get(node.scope, [])))
            own, error = load(node)
            if error is not None:
                errors.append(_location_finding(public, node, error))
            key = public if public not in info["registries"] else registry_label(public, node)
            info["registries"][key] = None if own is None else len(own)
    for scope in sorted(set(declared) - set(scopes)):
        scopes[scope] = scope_info(declared[scope])
    data = {"source": "import", "scopes": scopes, "errors": [f.as_dict() for f in errors]}
    blocks: list[Table | str] = [tree_table(scopes)]
    if errors:
        blocks.append(_findings_table(errors))
    return Report(data, blocks, code=PROBLEMS if errors else OK)


def scope_info(declared: list[DeclaredScope]) -> dict[str, Any]:
    """The JSON skeleton of one scope in ``tree``: where it is declared, no registries yet."""
    return {
        "distribution": declared[0].distribution if declared else None,
        "entry_points": [item.entry_point for item in declared],
        "registries": {},
    }


def tree_table(scopes: dict[str, dict[str, Any]], source: str = "") -> Table:
    """The ``tree`` table: a row per scope and registry; ``source`` ends the title."""
    rows = []
    for scope, info in scopes.items():
        first = True
        for registry, count in info["registries"].items() or [("(none)", "")]:
            shown = "error" if count is None else str(count)
            if registry in info.get("dynamic", ()):
                shown += " + dynamic"
            rows.append(
                (scope if first else "", (info["distribution"] or "-") if first else "", registry, shown)
            )
            first = False
    total = sum(count or 0 for info in scopes.values() for count in info["registries"].values())
    title = f"{plural(len(scopes), 'scope')}, {plural(total, 'name')}{source}"
    return Table(title, ("scope", "distribution", "registry", "names"), rows)


# -- list ------------------------------------------------------------------------------


def list_names(registry: str, pattern: str = "*", scope: str | None = None) -> Report:
    """The names of a root registry's tree (or of one scope's registry) matching ``pattern``."""
    public, root = resolve_root(registry)
    load_declared_scopes()
    nodes = [scope_registry(public, root, scope)] if scope is not None else list(root.walk())
    errors: list[Finding] = []
    found: list[Entry] = []
    everything: set[str] = set()
    for node in nodes:
        own, error = load(node)
        if error is not None:
            errors.append(_location_finding(public, node, error))
        for name, entry in (own or {}).items():
            everything.add(name)
            if fnmatchcase(name, pattern):
                found.append(entry)
    order = {node: index for index, node in enumerate(nodes)}
    found.sort(key=lambda e: (e.name.lower(), e.name, order[e.registry]))
    described = [describe_entry(entry) for entry in found]
    data = {
        "source": "import",
        "registry": public,
        "pattern": pattern,
        "scope": scope,
        "entries": described,
        "errors": [f.as_dict() for f in errors],
    }
    blocks, messages = names_listing(public, pattern, scope, described, everything)
    if errors:
        blocks.append(_findings_table(errors))
    return Report(data, blocks, messages, code=PROBLEMS if errors or not described else OK)


def names_listing(
    public: str, pattern: str, scope: str | None, described: list[dict[str, Any]], names: set[str]
) -> tuple[list[Table | str], list[str]]:
    """``list``'s table of the names found or, when none matched, a message with a guess from ``names``."""
    where = f"the {public} registry of scope {scope!r}" if scope is not None else f"the {public} tree"
    if not described:
        hint = "" if _WILDCARDS & set(pattern) else did_you_mean(close_matches(pattern, names))
        return [], [f"no name in {where} matches {pattern!r}.{hint}"]
    rows = [(d["name"], d["scope"], d["module"], d["location"]) for d in described]
    title = f"{plural(len(rows), 'name')} in {where} matching {pattern!r}"
    return [Table(title, ("name", "scope", "module", "defined at"), rows)], []


# -- which -----------------------------------------------------------------------------


def which(registry: str, name: str, scope: str | None = None) -> Report:
    """What ``name`` resolves to from a root registry (in default scope ``scope``), and why.

    The answer is the root's :meth:`~scopereg.Registry.explain`, the same resolution a
    build in that scope makes: a name not found gets the build's own error message.
    """
    public, root = resolve_root(registry)
    load_declared_scopes()
    start, note = build_start(public, root, scope)
    for node in root.walk():  # an inspection command: shadows and suggestions from every location
        load_error(node)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecatedNameWarning)  # the resolution notes it
        try:
            resolution = root.explain(name, scope=scope)
        except LocationImportError as exc:
            raise CliError(str(exc), error_type=type(exc).__name__) from exc
    entry = resolution.entry
    if entry is None:  # the error a build raises for this key, word for word
        searched = [node.label for node in resolution.searched]
        error = str(resolution.error())
        raise CliError(error, searched=searched, suggestions=resolution.suggestions(), source="import")
    notes = [note, *resolution.notes] if note is not None else list(resolution.notes)
    data = _which_data(public, start, resolution, entry, notes)
    return Report(data, [_which_table(data)])


def _which_data(
    public: str, start: Registry, resolution: Resolution, entry: Entry, notes: list[str]
) -> dict[str, Any]:
    provenance = entry.provenance
    replaced = provenance.replaced
    reason = resolution.reason()
    return {
        "source": "import",
        "query": resolution.key,
        "registry": public,
        "from": start.label,
        **describe_entry(entry),
        "registry_label": entry.registry.label,
        "file": provenance.file,
        "line": provenance.line,
        "forced": provenance.forced,
        "replaced": None
        if replaced is None
        else f"{replaced.module}.{replaced.qualname} ({replaced.location})",
        "aliases": resolution.aliases(),
        "shadows": [describe_entry(other) for other in resolution.shadows()],
        "shadowed_by": [describe_entry(other) for other in resolution.shadowed_by()],
        "also_in": [describe_entry(other) for other in resolution.also_in()],
        "notes": notes,
        "searched": [node.label for node in resolution.searched],
        "reason": f"{' '.join(notes)} {reason}" if notes else reason,
    }


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
    contract, misnamed = contract_findings(declared)
    findings = entry_point_findings() + contract + _declared_twice(declared)
    seen_scopes: set[str] = set()
    counts = {"registries": 0, "names": 0}
    for public, root in root_registries().items():
        findings.extend(_doctor_tree(public, root, seen_scopes, counts))
    findings.extend(_unused_scopes(declared, seen_scopes | misnamed))  # a misnamed one is an error already
    findings.sort(key=lambda f: f.severity != "error")  # stable: errors first, in discovery order
    return _doctor_report(findings, {"scopes": len(seen_scopes | set(declared)), **counts})


def _declared_twice(declared: dict[str, list[DeclaredScope]]) -> list[Finding]:
    return [
        Finding(
            "warning",
            "scope-declared-twice",
            scope,
            f"scope {scope!r} is declared by several entry points: "
            + ", ".join(f"{item.distribution}: {item.entry_point}" for item in items),
        )
        for scope, items in sorted(declared.items())
        if len(items) > 1
    ]


def _unused_scopes(declared: dict[str, list[DeclaredScope]], seen_scopes: set[str]) -> list[Finding]:
    """Declared scopes that imported fine but that no registry uses (broken ones are errors already)."""
    failed = {scope for scope, items in declared.items() if any(item.error is not None for item in items)}
    return [
        Finding(
            "warning",
            "scope-without-registry",
            scope,
            f"scope {scope!r} is declared (by {declared[scope][0].distribution}) but no registry "
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
    for node in root.walk():
        seen_scopes.add(node.scope)
        counts["registries"] += 1
        own, error = load(node)
        if error is not None:
            findings.append(_location_finding(public, node, error))
        for name, entry in (own or {}).items():
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
