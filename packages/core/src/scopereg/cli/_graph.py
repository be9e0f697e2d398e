"""``scopereg tree --format mermaid|dot``: the scope graph as a picture.

Each scope is a group, labelled with the distribution that declares it; each registry is
a box with its names (the first :data:`SHOWN_NAMES`); an arrow goes from a parent registry
to its child. Root registries with no name and no child are left out (a comment lists
them). Names come from the static index, or from the live registries with ``--import``.
Every text that comes from a registry or a distribution is escaped, so any name is safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scopereg import root_registries, static_index

from ._inventory import by_scope, load, load_declared_scopes
from ._output import Report

TYPE_CHECKING = False
if TYPE_CHECKING:
    from scopereg import DeclaredScope

#: How many names a registry's box lists before "and N more".
SHOWN_NAMES = 6


@dataclass
class Box:
    """One registry of the picture."""

    ident: str
    label: str
    public: str
    scope: str
    parent: str | None
    names: list[str]
    dynamic: bool = False
    failed: bool = False
    children: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The text of the box: the registry, then its names."""
        shown = sorted(self.names, key=lambda name: (name.lower(), name))
        names = ", ".join(shown[:SHOWN_NAMES])
        if len(shown) > SHOWN_NAMES:
            names += f" and {len(shown) - SHOWN_NAMES} more"
        lines = [f"{self.label} ({self.public})"]
        if self.failed:
            lines.append("(its locations failed)")
        elif names:
            lines.append(names)
        if self.dynamic:
            lines.append("+ names registered when the code runs")
        return lines


def graph(form: str, *, imported: bool = False) -> Report:
    """The scope graph as mermaid or dot text."""
    boxes, declared = _live_boxes() if imported else _indexed_boxes()
    shown = [box for box in boxes if box.names or box.dynamic or box.failed or box.parent or box.children]
    hidden = [box.public for box in boxes if box not in shown]
    groups: dict[str, list[Box]] = {}
    for box in shown:
        groups.setdefault(box.scope, []).append(box)
    distributions = {scope: items[0].distribution for scope, items in by_scope(declared).items()}
    text = (mermaid if form == "mermaid" else dot)(groups, distributions, hidden)
    data = {"format": form, "text": text}
    return Report(data, [text])


def _indexed_boxes() -> tuple[list[Box], list[DeclaredScope]]:
    index = static_index()
    boxes: list[Box] = []
    idents: dict[int, str] = {}
    for node in index.registries():
        ident = idents[id(node)] = f"r{len(boxes)}"
        parent = None if node.parent is None else idents[id(node.parent)]
        boxes.append(
            Box(ident, node.label, node.public, node.scope, parent, list(node.entries), bool(node.dynamic))
        )
        boxes[-1].failed = bool(node.problems)
    _link(boxes)
    return boxes, index.scopes


def _live_boxes() -> tuple[list[Box], list[DeclaredScope]]:
    declared = [item for items in load_declared_scopes().values() for item in items]
    boxes: list[Box] = []
    idents: dict[int, str] = {}
    for public, root in root_registries().items():
        for node in root.walk():
            ident = idents[id(node)] = f"r{len(boxes)}"
            parent = None if node.parent is None else idents[id(node.parent)]
            own, error = load(node)
            boxes.append(
                Box(ident, node.label, public, node.scope, parent, list(own or ()), failed=bool(error))
            )
    _link(boxes)
    return boxes, declared


def _link(boxes: list[Box]) -> None:
    by_ident = {box.ident: box for box in boxes}
    for box in boxes:
        if box.parent is not None:
            by_ident[box.parent].children.append(box.ident)


def _group_title(scope: str, distributions: dict[str, str]) -> str:
    distribution = distributions.get(scope)
    return f"scope {scope}" + (f", declared by {distribution}" if distribution else "")


# -- mermaid -----------------------------------------------------------------------------


def mermaid_text(text: str) -> str:
    """``text`` safe inside a quoted mermaid label: entity codes for what mermaid would read."""
    escaped = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    escaped = escaped.replace("`", "#96;").replace("|", "#124;")
    return "".join(char if char.isprintable() else " " for char in escaped)


def mermaid(groups: dict[str, list[Box]], distributions: dict[str, str], hidden: list[str]) -> str:
    """A mermaid flowchart: one subgraph per scope, one box per registry, parent --> child."""
    lines = ["flowchart LR"]
    if hidden:
        lines.append(f"    %% root registries without names or children, not shown: {', '.join(hidden)}")
    for number, (scope, boxes) in enumerate(groups.items()):
        lines.append(f'    subgraph s{number}["{mermaid_text(_group_title(scope, distributions))}"]')
        for box in boxes:
            label = "<br/>".join(mermaid_text(line) for line in box.lines())
            lines.append(f'        {box.ident}["{label}"]')
        lines.append("    end")
    for boxes in groups.values():
        lines.extend(f"    {box.parent} --> {box.ident}" for box in boxes if box.parent is not None)
    return "\n".join(lines)


# -- dot ---------------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """``text`` as a quoted dot string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(char if char.isprintable() else " " for char in escaped) + '"'


def dot(groups: dict[str, list[Box]], distributions: dict[str, str], hidden: list[str]) -> str:
    """A Graphviz digraph: one cluster per scope, one box per registry, parent -> child."""
    lines = ["digraph scopereg {", "    rankdir=LR;", "    node [shape=box];"]
    if hidden:
        lines.append(f"    // root registries without names or children, not shown: {', '.join(hidden)}")
    for number, (scope, boxes) in enumerate(groups.items()):
        lines.append(f"    subgraph cluster_{number} {{")
        lines.append(f"        label={dot_text(_group_title(scope, distributions))};")
        for box in boxes:
            label = "\\n".join(dot_text(line)[1:-1] for line in box.lines())
            lines.append(f'        {box.ident} [label="{label}"];')
        lines.append("    }")
    for boxes in groups.values():
        lines.extend(f"    {box.parent} -> {box.ident};" for box in boxes if box.parent is not None)
    lines.append("}")
    return "\n".join(lines)
