"""``scopereg explain CONFIG``: a config drawn as a tree of what each node resolves to.

The nodes are the ones ``check`` checks (``_configs.select``), each resolved by
:func:`scopereg.plan`, the resolution ``validate`` and a recursive build use: every node
shows its config path, its ``type``, the scope in force, the registry that holds its
callable, the callable and its ``file:line``; its problems sit under it.
"""

from __future__ import annotations

import warnings

from scopereg import DeprecatedNameWarning, LocationImportError, plan
from scopereg.text import short_repr

from ._configs import WHOLE, Node, _in_scope, read, select
from ._output import OK, PROBLEMS, Report
from ._text import plural
from ._treeview import Tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from scopereg import ConfigProblem, PlannedNode


def explain(
    path: str, registry: str | None = None, scope: str | None = None, keys: list[str] | None = None
) -> Report:
    """Every node of the config file with what it resolves to, and its problems in place."""
    tops, skipped = select(read(path), registry, keys or [])
    items: list[dict[str, Any]] = []
    problems: list[dict[str, str]] = []  # in the order check lists them
    with _in_scope(scope):
        for top in tops:
            explained, found = _explained(top)
            items.extend(explained)
            problems.extend(found)
    data = {
        "config": path,
        "checked": [top.label for top in tops],
        "skipped": skipped,
        "nodes": items,
        "problems": problems,
    }
    title = f"{path}: {plural(len(items), 'node')}, {plural(len(problems), 'problem')}"
    return Report(data, [_tree(title, items)], code=PROBLEMS if problems else OK)


def _explained(top: Node) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The nodes of one top-level node (in the config's order, each with its parent's path), and
    its problems as ``check`` lists them."""
    try:
        planned = plan(top.cfg, top.registry, path=top.path)
    except LocationImportError as exc:
        failed = {"path": top.path or WHOLE, "kind": "import-error", "message": str(exc)}
        return [_unplanned(top, [failed])], [failed]
    problems = [_problem(problem) for problem in planned.problems]
    if not planned.nodes:
        return [_unplanned(top, problems)], problems
    items: list[dict[str, Any]] = []
    open_paths: list[str] = []  # the paths of the nodes enclosing the current one
    reported = {id(problem) for problem in planned.problems}  # a plan a limit stopped keeps one
    for node in planned.nodes:
        while open_paths and not _inside(node.path, open_paths[-1]):
            open_paths.pop()
        own = [problem for problem in node.problems if id(problem) in reported]
        items.append(_item(node, open_paths[-1] if open_paths else None, own))
        open_paths.append(node.path)
    attached = {id(problem) for node in planned.nodes for problem in node.problems}
    for stopped in planned.problems:  # a limit (cycle, depth, size) stops a plan at no node
        if id(stopped) not in attached:
            _owner(items, stopped.path)["problems"].append(_problem(stopped))
    return items, problems


def _inside(path: str, ancestor: str) -> bool:
    if not ancestor:
        return True
    return path.startswith(ancestor) and path[len(ancestor) : len(ancestor) + 1] in (".", "[")


def _owner(items: list[dict[str, Any]], path: str) -> dict[str, Any]:
    """The deepest node whose path contains ``path`` (else the first)."""
    owners = [item for item in items if _inside(path, item["path"]) or path == item["path"]]
    return max(owners, key=lambda item: len(item["path"])) if owners else items[0]


def _problem(problem: ConfigProblem) -> dict[str, str]:
    return {"path": problem.path, "kind": problem.kind, "message": problem.message}


def _unplanned(top: Node, problems: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "path": top.path,
        "parent": None,
        "type": _shown(top.cfg.get("type")),
        "scope": None,
        "registry": top.registry.label,
        **dict.fromkeys(("resolved_in", "key", "object", "file", "line", "location", "distribution")),
        "partial": False,
        "problems": problems,
    }


def _item(node: PlannedNode, parent: str | None, problems: list[ConfigProblem]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "path": node.path,
        "parent": parent,
        "type": _shown(node.name),
        "scope": node.scope,
        "registry": node.registry.label,
        **_resolved(node),
        "partial": node.partial,
        "problems": [_problem(problem) for problem in problems],
    }
    return item


def _shown(value: object) -> str:
    return value if isinstance(value, str) else short_repr(value)


def _resolved(node: PlannedNode) -> dict[str, Any]:
    """Where the node's callable comes from: the entry the same resolution finds, with its file:line."""
    found: dict[str, Any] = dict.fromkeys(("resolved_in", "key", "object", "file", "line", "location"))
    found["distribution"] = None
    if node.call is None:
        return found
    entry = None
    if isinstance(node.name, str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecatedNameWarning)
            entry = node.registry.explain(node.name, scope=node.scope).entry
    if entry is None or entry.obj is not node.call:  # a callable given as the type itself
        call = node.call
        found["object"] = (
            f"{getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', short_repr(call))}"
        )
        return found
    provenance = entry.provenance
    found.update(
        resolved_in=entry.registry.label,
        key=entry.key,
        object=f"{provenance.module}.{provenance.qualname}",
        file=provenance.file,
        line=provenance.line,
        location=provenance.location,
        distribution=provenance.distribution,
    )
    return found


def _tree(title: str, items: list[dict[str, Any]]) -> Tree:
    top = Tree(title)
    drawn: dict[tuple[int, str], Tree] = {}
    group = 0
    for item in items:
        if item["parent"] is None:
            group += 1
        above = top if item["parent"] is None else drawn.get((group, item["parent"]), top)
        branch = Tree(_line(item))
        branch.children.extend(Tree(_problem_line(p), problem=True) for p in item["problems"])
        above.children.append(branch)
        drawn[(group, item["path"])] = branch
    return top


def _line(item: dict[str, Any]) -> str:
    where = item["path"] or WHOLE
    what = f"type {item['type']!r}"
    if item["scope"]:
        what += f", scope {item['scope']!r}"
    if item["partial"]:
        what += ", partial"
    if item["object"] is None:
        return f"{where}: {what} -> not resolved (from {item['registry']})"
    if item["resolved_in"] is None:
        return f"{where}: {what} -> {item['object']}"
    return f"{where}: {what} -> {item['object']} in {item['resolved_in']} ({item['location']})"


def _problem_line(problem: dict[str, str]) -> str:
    return f"✗ {problem['path']}: {problem['kind']}: {problem['message']}"
