"""The scope contract as ``scopereg doctor`` checks it, over everything installed.

``scopereg.testing.check_scope`` checks one package in its own tests; the doctor finds
the same two breaches that otherwise pass silently, in any installed distribution:

- an entry point named differently from the scope of the registries its module
  creates: a config naming the registries' scope cannot find the distribution;
- a registry named like no root registry, or outside every root's tree: keys, ``_scope_``
  and the command line reach a registry through the tree of the root of its name.
"""

from __future__ import annotations

import sys

from scopereg import Registry, root_registries
from scopereg.text import close_matches, did_you_mean

from ._inventory import Finding, registry_label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from scopereg import DeclaredScope


def contract_findings(declared: dict[str, list[DeclaredScope]]) -> tuple[list[Finding], set[str]]:
    """Errors for misnamed entry points and misplaced registries, and the scopes they explain.

    The scopes explained (a misnamed entry point's, a registry's outside every tree)
    are those no tree has: the doctor's ``scope-without-registry`` warning would repeat
    the error.
    """
    roots = root_registries()
    root_scopes = {root.scope for root in roots.values()}
    findings: list[Finding] = []
    misnamed: set[str] = set()  # declared scopes explained by an error
    for scope, items in declared.items():
        for item in items:
            module = _loaded_module(item)
            if module is None or scope in root_scopes:
                continue
            own = _registries_of(module, scope, roots)
            wrong_scope = [registry for registry in own if registry.scope != scope]
            if wrong_scope:
                findings.append(_entry_point_finding(item, wrong_scope))
                misnamed.add(scope)
            outside = [registry for registry in own if _outside(registry, roots)]
            findings.extend(_outside_finding(registry, roots) for registry in outside)
            misnamed.update(registry.scope for registry in outside)
    for public, root in roots.items():
        findings.extend(_name_finding(public, root, node) for node in root.walk() if node.name != root.name)
    return findings, misnamed


def _loaded_module(item: DeclaredScope) -> object | None:
    """The entry point's module, which the doctor imported already (None: it failed, or was no module)."""
    if item.error is not None:
        return None
    target = item.entry_point.partition("=")[2].strip().partition(":")[0]
    return sys.modules.get(target)


def _registries_of(module: object, scope: str, roots: dict[str, Registry]) -> list[Registry]:
    """The registries the module creates: not the parents it imports (roots, other scopes' registries)."""
    found = {id(value): value for value in vars(module).values() if isinstance(value, Registry)}
    imported = {id(root) for root in roots.values()} | {id(value.parent) for value in found.values()}
    return [value for key, value in found.items() if value.scope == scope or key not in imported]


def _entry_point_finding(item: DeclaredScope, registries: list[Registry]) -> Finding:
    scopes = sorted({registry.scope for registry in registries})
    labels = ", ".join(registry.label for registry in registries)
    value = item.entry_point.partition("=")[2].strip()
    message = (
        f"entry point {item.entry_point!r} of {item.distribution} declares scope {item.scope!r}, but its "
        f"registries are in scope {' and '.join(map(repr, scopes))} ({labels}): a config naming "
        f"{scopes[0]!r} does not find the distribution. Name the entry point after the scope: "
        f"'{scopes[0]} = {value}'"
    )
    return Finding(
        "error",
        "entry-point-name",
        f"{item.distribution}: {item.entry_point}",
        message,
        {"scope": item.scope, "registry_scopes": scopes},
    )


def _outside(registry: Registry, roots: dict[str, Registry]) -> bool:
    return all(registry.root is not root for root in roots.values())


def _outside_finding(registry: Registry, roots: dict[str, Registry]) -> Finding:
    by_name = {root.name: public for public, root in roots.items()}
    public = by_name.get(registry.name)
    if public is None:
        hint = did_you_mean(close_matches(registry.name, by_name), inline=True)
        fix = f"{registry.name!r} is the name of no root registry{hint}"
    else:
        fix = f"make it a child of scopereg.{public} (parent=...)"
    message = f"{registry.label} is in no root registry's tree, so no key or _scope_ reaches it: {fix}"
    return Finding("error", "registry-outside-tree", registry.label, message, {"scope": registry.scope})


def _name_finding(public: str, root: Registry, node: Registry) -> Finding:
    others = [other for other, registry in root_registries().items() if registry.name == node.name]
    meant = f" ({node.name!r} is the name of {others[0]}: is it in the wrong tree?)" if others else ""
    message = (
        f"{node.label} is in the {public} tree, whose registries are named {root.name!r}: "
        f"name it {root.name!r}{meant}"
    )
    where = registry_label(public, node)
    return Finding("error", "registry-name", where, message, {"registry": public, "scope": node.scope})
