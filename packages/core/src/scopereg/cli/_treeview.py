"""Trees of text lines (``scopereg explain``): rich's tree when rich is installed, plain lines otherwise.

Like tables, a tree is text, never markup, and rich is imported only to draw one. Both
drawings walk the tree without recursion: a config as deep as ``scopereg.MAX_DEPTH``
draws like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tree:
    """A line of text and the trees below it; a ``problem`` line is red on a colour terminal."""

    label: str
    children: list[Tree] = field(default_factory=list)
    problem: bool = False


def render_tree(tree: Tree, width: int, *, color: bool = False) -> str:
    """``tree`` as text: rich's drawing ``width`` columns wide, or plain lines when rich is missing."""
    try:
        return _rich(tree, width, color)
    except ImportError:
        return plain_tree(tree)


def plain_tree(tree: Tree) -> str:
    """``tree`` drawn with box characters, one line per node (long lines are not folded)."""
    lines = [tree.label]
    stack: list[tuple[Tree, str, bool]] = [
        (child, "", index == len(tree.children) - 1) for index, child in enumerate(tree.children)
    ][::-1]
    while stack:
        node, prefix, last = stack.pop()
        lines.append(f"{prefix}{'└── ' if last else '├── '}{node.label}")
        inner = prefix + ("    " if last else "│   ")
        count = len(node.children)
        stack.extend(
            (child, inner, index == count - 1) for index, child in reversed(list(enumerate(node.children)))
        )
    return "\n".join(lines)


def _rich(tree: Tree, width: int, color: bool) -> str:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree as RichTree

    def text(node: Tree) -> Text:
        return Text(node.label, style="red" if node.problem else "")

    top = RichTree(text(tree))
    stack = [(tree, top)]
    while stack:
        node, drawn = stack.pop()
        for child in node.children:
            stack.append((child, drawn.add(text(child))))
    console = Console(width=width, color_system="standard" if color else None, force_terminal=color)
    with console.capture() as capture:
        console.print(top, end="")
    return capture.get().rstrip("\n")
