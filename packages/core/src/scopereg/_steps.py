"""What a plan is made of: steps that build a config, planned nodes, and config paths.

Config paths (``model.backbone.layers[2]``) are only spelled out when needed: while a
plan walks a config, a path is ``(parent path, key)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .text import join_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ._errors import ConfigProblem

    Path = str | tuple["Path", Any]

#: Types that are never containers: the walk skips them without an isinstance check.
SCALARS = frozenset((str, int, float, bool, type(None), bytes))


def spell(path: Path) -> str:
    """A walk's path as text: ``("", "model"), "act")`` -> ``"model.act"``."""
    keys = []
    while isinstance(path, tuple):
        path, key = path
        keys.append(key)
    text = path
    for key in reversed(keys):
        text = join_path(text, key)
    return text


def container_kind(value: Any) -> type | None:
    """``dict`` for a mapping, ``list`` or ``tuple`` for a sequence to rebuild, else None."""
    cls = type(value)
    if cls is dict or cls is list or cls is tuple:
        return cls
    if cls in SCALARS:
        return None
    if isinstance(value, Mapping):
        return dict
    return list if isinstance(value, list) else tuple if isinstance(value, tuple) else None


class Step:
    """A dict, list or tuple to rebuild: ``template`` with the built children put in ``slots``."""

    __slots__ = ("container", "kind", "slots", "template")

    def __init__(self, kind: type | None, template: Any) -> None:
        self.kind = kind  # dict, list or tuple; None for a node
        self.template = template  # a dict of values, or a list
        self.slots: Sequence[Any] = ()  # the keys or indexes whose values earlier steps build, in order
        self.container = 0  # the id of the config value the step rebuilds


class PlannedNode(Step):
    """One node of a planned config: where it is, and what it resolved to.

    Attributes:
        path: the node's config path (``"model.backbone"``; ``""`` for the top node).
        name: its ``type`` as the config wrote it.
        call: the callable it resolved to (None when it did not resolve).
        registry: the registry it resolved from (after ``_registry_``).
        scope: the ``_scope_`` in force for it, when a config set one.
        partial: whether it builds a ``functools.partial``.
        problems: the problems of this node itself (not of the nodes inside it).

    Example:
        >>> import scopereg
        >>> MODELS = scopereg.Registry("model", scope="demo")
        >>> _ = MODELS.register_module(name="Net", module=lambda act=None: act)
        >>> plan = scopereg.plan({"type": "Net", "act": {"type": "ReLU"}}, MODELS, path="model")
        >>> [(node.path, node.call is not None, len(node.problems)) for node in plan.nodes]
        [('model', True, 0), ('model.act', False, 1)]
    """

    __slots__ = ("call", "name", "partial", "problems", "registry", "scope", "where")

    def __init__(
        self, template: dict[Any, Any], registry: Any, scope: str | None, name: Any, where: Path = ""
    ) -> None:
        self.kind = None
        self.template = template
        self.slots = ()
        self.container = 0
        self.call: Callable[..., Any] | None = None
        self.name = name
        self.registry = registry
        self.scope = scope
        self.partial = False
        self.problems: Sequence[ConfigProblem] = ()
        self.where = where  # the path while walking: spelled out on demand

    @property
    def path(self) -> str:
        """The node's config path."""
        return spell(self.where)

    def __repr__(self) -> str:
        return f"PlannedNode({self.path!r}, {self.name!r}, {len(self.problems)} problem(s))"


class Plan:
    """What :func:`plan` found: the problems, the nodes, and the steps that build the config.

    Attributes:
        problems: every problem, in the config's order (what ``validate`` returns).
        nodes: every node, in the config's order.
        steps: the constructors, children first (what a recursive build runs).

    Example:
        >>> import scopereg
        >>> MODELS = scopereg.Registry("model", scope="demo")
        >>> [problem.kind for problem in scopereg.plan({"type": "Missing"}, MODELS).problems]
        ['unknown-type']
    """

    __slots__ = ("nodes", "problems", "steps")

    def __init__(self, steps: list[Step], problems: list[ConfigProblem], nodes: list[PlannedNode]) -> None:
        self.steps = steps
        self.problems = problems
        self.nodes = nodes
