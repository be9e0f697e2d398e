"""What is installed: root registries, declared scopes, their registries and entries.

Shared by the commands. Nothing here prints; failures are returned as :class:`Finding`
items (or raised as :class:`CliError`) for the commands to report.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from scopereg import _discovery, _roots
from scopereg._errors import LocationImportError, ScopeDiscoveryWarning, close_matches, did_you_mean

from ._output import USAGE, CliError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from importlib.metadata import EntryPoint
    from typing import Any

    from scopereg._registry import Entry, Registry


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


def root_registries() -> dict[str, Registry]:
    """The root registries by public name (``MODELS``...), read at call time."""
    return dict(_roots.ROOT_REGISTRIES)


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


def load_declared_scopes() -> dict[str, list[EntryPoint]]:
    """Import every scope the installed distributions declare; failures are recorded, not warned."""
    declared = _discovery.declared_scopes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScopeDiscoveryWarning)  # reported as findings instead
        for scope in sorted(declared):
            _discovery.load_scope(scope)
    return declared


def distribution_of(entry_point: EntryPoint) -> str | None:
    """The distribution that declares ``entry_point``, when known."""
    dist = getattr(entry_point, "dist", None)
    name = getattr(dist, "name", None)
    return str(name) if name else None


def walk(registry: Registry) -> Iterator[Registry]:
    """``registry`` and its descendants, depth first, parents before children."""
    yield registry
    for child in list(registry.children.values()):
        yield from walk(child)


def load_error(registry: Registry) -> str | None:
    """Import ``registry``'s own locations; the error message if one fails, else None."""
    try:
        registry.import_from_location()
    except LocationImportError as exc:
        return str(exc)
    return None


def entries(registry: Registry) -> dict[str, Entry]:
    """The entries registered in ``registry`` itself so far (call :func:`load_error` first)."""
    return dict(registry._entries)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 name"``, ``"3 names"``; ``many`` is the plural when it is not ``word + "s"``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def registry_label(public: str, registry: Registry) -> str:
    """``MODELS`` for a root, ``MODELS[mmalpha]`` for the registry of scope mmalpha in that tree."""
    return public if registry.parent is None else f"{public}[{registry._path()}]"


def tree_scopes(root: Registry) -> list[str]:
    """The scopes of ``root``'s tree, in walk order."""
    return list(dict.fromkeys(node.scope for node in walk(root)))


def scope_registry(public: str, root: Registry, scope: str) -> Registry:
    """The registry of ``scope`` in ``root``'s tree.

    Raises:
        CliError: (exit 2) no registry and no distribution declares ``scope``; (exit 1)
            the scope exists, but not (or more than once) in this tree.
    """
    target = root._registry_for_scope(scope)  # imports the declaring distribution if needed
    if target is not None:
        return target
    scopes = tree_scopes(root)
    if scope in scopes:
        paths = sorted(node._path() for node in walk(root) if node.scope == scope)
        raise CliError(f"scope {scope!r} is ambiguous in the {public} tree: it is at {paths}")
    known = sorted(
        set(_discovery.declared_scopes()) | {s for r in root_registries().values() for s in tree_scopes(r)}
    )
    hint = did_you_mean(close_matches(scope, known))
    if scope not in known:
        raise CliError(f"unknown scope {scope!r}: no installed distribution declares it.{hint}", USAGE)
    raise CliError(f"the {public} tree has no registry of scope {scope!r} (its scopes: {', '.join(scopes)})")


def build_start(public: str, root: Registry, scope: str | None) -> tuple[Registry, str | None]:
    """Where a build from ``root`` resolves with default scope ``scope``, and a note when it falls back.

    Raises:
        CliError: (exit 2) nothing declares ``scope``; (exit 1) it is ambiguous in the tree.
    """
    if scope is None:
        return root, None
    check_scope(scope)
    target = root._registry_for_scope(scope)
    if target is not None:
        return target, None
    if scope in tree_scopes(root):
        scope_registry(public, root, scope)  # raises: the scope is ambiguous in this tree
    note = f"the {public} tree has no registry of scope {scope!r}, so a build in that scope resolves from"
    return root, f"{note} {root._label}."


def check_scope(scope: str) -> None:
    """Raise a :class:`CliError` (exit 2) unless some registry or distribution declares ``scope``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScopeDiscoveryWarning)
        if _discovery.ensure_scope(scope):
            return
    known = set(_discovery.declared_scopes())
    for root in root_registries().values():
        known.update(tree_scopes(root))
    hint = did_you_mean(close_matches(scope, known))
    raise CliError(
        f"unknown scope {scope!r}: no registry and no installed distribution declares it.{hint}", USAGE
    )


def entry_point_findings() -> list[Finding]:
    """The entry points that failed to import, as errors."""
    return [
        Finding("error", "broken-entry-point", where, f"entry point {where!r} failed to import: {error}")
        for where, error in _discovery.failed_entry_points().items()
    ]


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
