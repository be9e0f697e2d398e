"""What is installed: root registries, declared scopes, their registries and entries.

Shared by the commands, through scopereg's public API only. Nothing here prints;
failures are returned as :class:`Finding` items (or raised as :class:`CliError`) for the
commands to report.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from scopereg import LocationImportError, ScopeDiscoveryWarning, discover_scopes, root_registries
from scopereg.text import close_matches, did_you_mean

from ._output import USAGE, CliError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from scopereg import DeclaredScope, Entry, Registry


@dataclass
class Finding:
    """Something worth telling: ``severity`` is ``"error"`` or ``"warning"``."""

    severity: str
    kind: str
    where: str
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON data."""
        return {
            "severity": self.severity,
            "kind": self.kind,
            "where": self.where,
            "message": self.message,
            **self.extra,
        }


def _normalized(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def resolve_root(text: str) -> tuple[str, Registry]:
    """``(public name, root)`` for ``MODELS``, ``models`` or the registry name ``model``.

    Raises:
        CliError: (exit 2) no root registry has that name; the message lists them all.
    """
    roots = root_registries()
    names: dict[str, str] = {}
    for public, registry in roots.items():
        names.setdefault(_normalized(public), public)
        names.setdefault(_normalized(registry.name), public)
    found = names.get(_normalized(text))
    if found is None:
        hint = did_you_mean(close_matches(text.upper(), roots))
        raise CliError(
            f"unknown registry {text!r}.{hint} Registries: {', '.join(roots)}",
            USAGE,
            registries=list(roots),
        )
    return found, roots[found]


def by_scope(declared: list[DeclaredScope]) -> dict[str, list[DeclaredScope]]:
    """Declared entry points grouped by the scope they declare."""
    grouped: dict[str, list[DeclaredScope]] = {}
    for item in declared:
        if item.scope is not None:  # None: unreadable metadata, an entry-point finding instead
            grouped.setdefault(item.scope, []).append(item)
    return grouped


def load_declared_scopes() -> dict[str, list[DeclaredScope]]:
    """Import every scope the installed distributions declare; failures are recorded, not warned."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScopeDiscoveryWarning)  # reported as findings instead
        return by_scope(discover_scopes(load=True))


def import_scope(scope: str) -> None:
    """Import the distribution(s) declaring ``scope`` unless a registry has it already.

    scopereg's public way is the one a build takes: asking a tree for the registry of a
    scope it lacks imports the scope's declaring distribution, once.
    """
    any_root = next(iter(root_registries().values()), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScopeDiscoveryWarning)  # a broken scope is an unknown one here
        declared = {item.scope for item in discover_scopes() if item.scope}
        if any_root is None or "." in scope or scope not in declared:
            return  # nothing to import; and a name with '.' is no scope a registry can have
        with any_root.switch_scope_and_registry(scope):
            pass


def load_error(registry: Registry) -> str | None:
    """Import ``registry``'s own locations; the error message if one fails, else None."""
    try:
        registry.import_from_location()
    except LocationImportError as exc:
        return str(exc)
    return None


def load(registry: Registry) -> tuple[Mapping[str, Entry] | None, str | None]:
    """``(entries, error)``: ``registry``'s own entries (None: unreadable) and its own location error.

    ``Registry.entries()`` imports the locations of the registry's ancestors too, so a
    failing ancestor hides a healthy registry's entries; the failure is reported where it
    happens, in the ancestor's own :func:`load_error`.
    """
    error = load_error(registry)
    if error is not None:
        return None, error
    try:
        return registry.entries(), None
    except LocationImportError:
        return None, None


def registry_label(public: str, registry: Registry) -> str:
    """``MODELS`` for a root, ``MODELS[mmalpha]`` for the registry of scope mmalpha in that tree."""
    return public if registry.parent is None else f"{public}[{registry.path}]"


def tree_scopes(root: Registry) -> list[str]:
    """The scopes of ``root``'s tree, in walk order."""
    return list(dict.fromkeys(node.scope for node in root.walk()))


def known_scopes() -> set[str]:
    """The scopes of every root tree, and the declared scopes whose module imports (or was not tried)."""
    known = {item.scope for item in discover_scopes() if item.scope and item.error is None}
    for root in root_registries().values():
        known.update(tree_scopes(root))
    return known


def _tree_nodes(root: Registry, scope: str) -> list[Registry]:
    """The registries of ``scope`` in ``root``'s tree (the root alone answers for its own scope)."""
    return [root] if scope == root.scope else [node for node in root.walk() if node.scope == scope]


def scope_registry(public: str, root: Registry, scope: str) -> Registry:
    """The registry of ``scope`` in ``root``'s tree.

    Raises:
        CliError: (exit 2) no registry and no distribution declares ``scope``; (exit 1)
            the scope exists, but not (or more than once) in this tree.
    """
    import_scope(scope)
    nodes = _tree_nodes(root, scope)
    if len(nodes) == 1:
        return nodes[0]
    if nodes:
        paths = sorted(node.path for node in nodes)
        raise CliError(f"scope {scope!r} is ambiguous in the {public} tree: it is at {paths}")
    known = {item.scope for item in discover_scopes() if item.scope}
    for other in root_registries().values():
        known.update(tree_scopes(other))
    if scope not in known:
        hint = did_you_mean(close_matches(scope, known))
        raise CliError(f"unknown scope {scope!r}: no installed distribution declares it.{hint}", USAGE)
    scopes = ", ".join(tree_scopes(root))
    raise CliError(f"the {public} tree has no registry of scope {scope!r} (its scopes: {scopes})")


def build_start(public: str, root: Registry, scope: str | None) -> tuple[Registry, str | None]:
    """Where a build from ``root`` resolves with default scope ``scope``, and a note when it falls back.

    Raises:
        CliError: (exit 2) nothing declares ``scope``; (exit 1) it is ambiguous in the tree.
    """
    if scope is None:
        return root, None
    check_scope(scope)
    nodes = _tree_nodes(root, scope)
    if len(nodes) == 1:
        return nodes[0], None
    if nodes:
        scope_registry(public, root, scope)  # raises: the scope is ambiguous in this tree
    note = f"the {public} tree has no registry of scope {scope!r}, so a build in that scope resolves from"
    return root, f"{note} {root.label}."


def check_scope(scope: str) -> None:
    """Raise a :class:`CliError` (exit 2) unless some registry or distribution declares ``scope``.

    The declaring distribution is imported first: one that fails to import declares nothing.
    """
    import_scope(scope)
    known = known_scopes()
    if scope in known:
        return
    hint = did_you_mean(
        close_matches(scope, known | {item.scope for item in discover_scopes() if item.scope})
    )
    raise CliError(
        f"unknown scope {scope!r}: no registry and no installed distribution declares it.{hint}", USAGE
    )


#: DeclaredScope.distribution of a scope declared with scopereg.declare_scope (--declare-scope).
PROGRAM_DECLARED = "<declared by the program>"


def entry_point_findings() -> list[Finding]:
    """The entry points that failed to import, as errors; the program's own declarations, as warnings."""
    findings = []
    for item in discover_scopes():
        if item.distribution == PROGRAM_DECLARED and item.error is None:
            where = f"{item.distribution}: {item.entry_point}"
            message = (
                f"scope {item.scope!r} is declared by the program ({item.entry_point}), not by an installed "
                "distribution's 'scopereg.scopes' entry point: the package should declare it"
            )
            findings.append(Finding("warning", "declared-by-program", where, message))
        if item.error is not None:
            where = f"{item.distribution}: {item.entry_point}"
            message = f"entry point {where!r} failed to import: {item.error}"
            findings.append(Finding("error", "broken-entry-point", where, message))
    return findings


def describe_entry(entry: Entry) -> dict[str, Any]:
    """JSON data of one entry: where it lives and where it was defined."""
    provenance = entry.provenance
    return {
        "name": entry.name,
        "scope": entry.registry.scope,
        "key": entry.key,
        "object": f"{provenance.module}.{provenance.qualname}",
        "module": provenance.module,
        "location": provenance.location,
        "distribution": provenance.distribution,
    }
