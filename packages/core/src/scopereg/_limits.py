"""How deep and how large a config may be, and a repr that is safe on any value.

A config is untrusted data: a YAML alias can make it refer to itself, a generated file
can nest thousands of levels, a few aliases can expand to millions of nodes. Every walk
over a config is checked here first, without recursion, so that the walks that follow
(validation, recursive builds) stay within Python's recursion limit and finish in time.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._errors import ConfigProblem
from .text import join_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

#: The deepest nesting of mappings and lists a config may have (the top mapping is level 1).
MAX_DEPTH = 100

#: The most values (mappings, lists and scalars, counted each time they are reached) a
#: config may hold. Shared values are counted once per reference, so aliases cannot
#: smuggle in more work than this.
MAX_NODES = 1_000_000


def _children(value: Any, path: str) -> Iterator[tuple[str, Any]] | None:
    if isinstance(value, Mapping):
        return ((join_path(path, key), item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ((join_path(path, index), item) for index, item in enumerate(value))
    return None


def limit_problem(
    cfg: object, path: str = "", *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES
) -> ConfigProblem | None:
    """The first cycle, excess depth or excess size of ``cfg``, or None when it is within limits.

    The walk is iterative and stops at the first problem, so it is safe and quick on any
    input. The problem's path is where the config went wrong: the value that refers back
    to one of its ancestors, the first level too deep, the first value over the count.

    Example:
        >>> from scopereg._limits import limit_problem
        >>> cfg = {"type": "Net", "layers": []}
        >>> cfg["layers"].append(cfg)
        >>> problem = limit_problem(cfg, "model")
        >>> problem.path, problem.kind
        ('model.layers[0]', 'cycle')
    """
    root_children = _children(cfg, path)
    if root_children is None:
        return None
    top = path or "(config)"
    ancestors: dict[int, str] = {id(cfg): top}
    stack: list[tuple[object, Iterator[tuple[str, Any]]]] = [(cfg, root_children)]
    count = 1
    while stack:
        container, children = stack[-1]
        for child_path, child in children:
            count += 1
            if count > max_nodes:
                return ConfigProblem(
                    child_path,
                    "too-large",
                    f"the config holds more than {max_nodes:,} values (scopereg.MAX_NODES); "
                    "shared values (YAML aliases) count once per use",
                )
            grandchildren = _children(child, child_path)
            if grandchildren is None:
                continue
            if id(child) in ancestors:
                return ConfigProblem(
                    child_path,
                    "cycle",
                    f"the config refers back to itself: this value is {ancestors[id(child)]!r}, "
                    "which contains it",
                )
            if len(stack) >= max_depth:
                return ConfigProblem(
                    child_path,
                    "too-deep",
                    f"the config nests deeper than {max_depth} levels (scopereg.MAX_DEPTH)",
                )
            ancestors[id(child)] = child_path
            stack.append((child, grandchildren))
            break
        else:
            stack.pop()
            del ancestors[id(container)]
    return None
