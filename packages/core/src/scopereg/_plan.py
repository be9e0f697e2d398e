"""Plans: a whole config walked once, every node resolved, every problem found.

:func:`plan` walks a config without recursion (so any depth is safe) and resolves each
node exactly once: its registry (``_registry_``), its scope (``_scope_``), its callable
(``type``) and whether its keys fit the callable's signature. It returns a
:class:`Plan`: the problems, in the config's order, and the steps that build the config
children first. ``validate`` is ``plan(...).problems``; a recursive build runs the steps.

A node's children resolve in the registry that holds the node's own type, so that a
child of ``mmbeta.BetaNet`` resolves as mmbeta's code would resolve it. Mappings and
lists without ``type`` are plain data: searched for nodes, copied, never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._errors import (
    ConfigError,
    ConfigProblem,
    LocationImportError,
    NotRegisteredError,
    ScoperegError,
    UnknownScopeError,
)
from ._limits import MAX_DEPTH, MAX_NODES, join_path, short_repr
from ._lookup import lookup_entry
from ._reserved import RESERVED, checked_scope, other_root, resolve_type, scope_target
from ._signature import describe_callable, signature_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ._tree import RegistryNode

#: Marks, in a step's items, a value that the step takes from the results of its children.
CHILD: Any = object()


class Step:
    """One constructor of the plan: a node to call, or a dict, list or tuple to rebuild.

    ``items`` are ``(key, value)`` pairs (``key`` is None for lists and tuples) where
    ``value`` is :data:`CHILD` for a value built by an earlier step.
    """

    __slots__ = ("call", "children", "items", "kind", "name", "partial", "path", "registry", "scope")

    def __init__(self, kind: type | None, path: str, items: list[tuple[Any, Any]]) -> None:
        self.kind = kind  # dict, list, tuple, or None for a node
        self.path = path
        self.items = items
        self.children = 0
        self.call: Callable[..., Any] | None = None
        self.name: Any = None  # the node's type as the config wrote it
        self.registry: RegistryNode | None = None
        self.scope: str | None = None  # the _scope_ in force for the node, if a config set one
        self.partial = False


class Plan:
    """What :func:`plan` found: the problems, and the steps that build the config."""

    __slots__ = ("problems", "steps")

    def __init__(self, steps: list[Step], problems: list[ConfigProblem]) -> None:
        self.steps = steps
        self.problems = problems


class _Walk:
    """The state of one walk: a stack of work, and the steps and problems found so far.

    Work items are popped from the end: ``("visit", value, path, registry, scope, depth)``,
    ``("problem", problem)`` and ``("done", step, container id)``, which files a step
    once everything inside it was walked (so steps come children first).
    """

    def __init__(self, recursive: bool, max_depth: int, max_nodes: int) -> None:
        self.recursive = recursive
        self.max_depth, self.max_nodes = max_depth, max_nodes
        self.count = 1
        self.ancestors: dict[int, str] = {}
        self.steps: list[Step] = []
        self.problems: list[ConfigProblem] = []
        self.stopped = False
        self.work: list[tuple[Any, ...]] = []

    def stop(self, path: str, kind: str, message: str) -> None:
        """A limit was exceeded: that is the only problem, and nothing can be built."""
        self.problems[:] = [ConfigProblem(path, kind, message)]
        self.stopped = True

    def counted(self, path: str) -> bool:
        """Count one more value; False (and stop) when that is one too many."""
        self.count += 1
        if self.count <= self.max_nodes:
            return True
        self.stop(
            path,
            "too-large",
            f"the config holds more than {self.max_nodes:,} values (scopereg.MAX_NODES); shared "
            "values (YAML aliases) count once per use",
        )
        return False

    def run(self) -> None:
        """Do the work until there is none left or a limit stops it."""
        work = self.work
        while work and not self.stopped:
            item = work.pop()
            if item[0] == "visit":
                self.visit(*item[1:])
            elif item[0] == "problem":
                self.problems.append(item[1])
            else:
                self.ancestors.pop(item[2], None)
                if item[1] is not None:
                    self.steps.append(item[1])

    def enter(self, value: Any, path: str, depth: int) -> bool:
        """Start walking the container ``value``: False (and stop) at a cycle or too deep."""
        if id(value) in self.ancestors:
            self.stop(
                path,
                "cycle",
                f"the config refers back to itself: this value is {self.ancestors[id(value)]!r}, "
                "which contains it",
            )
            return False
        if depth > self.max_depth:
            self.stop(
                path, "too-deep", f"the config nests deeper than {self.max_depth} levels (scopereg.MAX_DEPTH)"
            )
            return False
        self.ancestors[id(value)] = path
        return True

    def visit(self, value: Any, path: str, registry: RegistryNode, scope: str | None, depth: int) -> None:
        """Walk one value: a node, a dict, list or tuple to rebuild, or a plain value (nothing)."""
        if isinstance(value, Mapping):
            if not self.enter(value, path, depth):
                return
            if "type" in value:
                _visit_node(self, value, path, registry, scope, depth)
                return
            step = Step(dict, path, list(value.items()))
        elif isinstance(value, (list, tuple)):
            if not self.enter(value, path, depth):
                return
            step = Step(list if isinstance(value, list) else tuple, path, [(None, item) for item in value])
        else:
            return
        self.schedule(step, id(value), registry, scope, depth, {})

    def schedule(
        self,
        step: Step,
        container: int,
        registry: RegistryNode,
        scope: str | None,
        depth: int,
        problems_of: dict[str, list[ConfigProblem]],
    ) -> None:
        """File ``step`` after its values, each value after the problems of its key."""
        work = self.work
        work.append(("done", step, container))
        for problem in reversed(problems_of.get("", ())):  # missing arguments: after the values
            work.append(("problem", problem))
        items = step.items
        for index in range(len(items) - 1, -1, -1):
            key, value = items[index]
            child_path = join_path(step.path, index if key is None else key)
            if self.recursive and isinstance(value, (Mapping, list, tuple)):
                items[index] = (key, CHILD)
                step.children += 1
                work.append(("visit", value, child_path, registry, scope, depth + 1))
            elif not self.counted(child_path):
                return
            for problem in reversed(problems_of.get(child_path, ())):
                work.append(("problem", problem))


def plan(
    cfg: Any,
    registry: RegistryNode,
    *,
    default_args: Mapping[str, Any] | None = None,
    recursive: bool = True,
    path: str = "",
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Plan:
    """Resolve every node of ``cfg`` from ``registry``; never raise for the config's data.

    ``path`` prefixes the reported paths. Without ``recursive`` only the top node is
    resolved and checked. Only a registry whose locations fail to import raises
    (:class:`~scopereg.LocationImportError`): the installation is broken, not the config.
    """
    where = path or "(config)"
    if not isinstance(cfg, Mapping):
        message = f"a config node must be a mapping, got {type(cfg).__name__}"
        return Plan([], [ConfigProblem(where, "bad-value", message)])
    if default_args is not None and not isinstance(default_args, Mapping):
        message = f"default_args must be a mapping or None, got {type(default_args).__name__}"
        return Plan([], [ConfigProblem(where, "bad-value", message)])
    node = dict(cfg)
    for key, value in (default_args or {}).items():
        node.setdefault(key, value)
    walk = _Walk(recursive, max_depth, max_nodes)
    walk.ancestors[id(cfg)] = where
    _visit_node(walk, node, path, registry, None, 1)
    walk.run()
    return Plan([] if walk.stopped else walk.steps, walk.problems)


def _visit_node(
    walk: _Walk, node: Mapping[Any, Any], path: str, registry: RegistryNode, scope: str | None, depth: int
) -> None:
    """Resolve one node (special keys, callable, arguments), then schedule what is inside it."""
    step = Step(None, path, [(key, value) for key, value in node.items() if key not in RESERVED])
    partial = node.get("_partial_", False)
    if isinstance(partial, bool):
        step.partial = partial
    else:
        message = f"must be True or False, got {short_repr(partial)}"
        walk.problems.append(ConfigProblem(join_path(path, "_partial_"), "bad-value", message))
    try:
        if "_registry_" in node:
            registry = other_root(node["_registry_"], registry)
        if "_scope_" in node:
            scope = checked_scope(node["_scope_"], registry)
    except ScoperegError as exc:  # the subtree cannot be resolved
        key = "_scope_" if isinstance(exc, UnknownScopeError) or _names(exc, "_scope_") else "_registry_"
        walk.problems.append(ConfigProblem(join_path(path, key), "bad-value", str(exc)))
        walk.ancestors.pop(id(node), None)
        return
    step.registry, step.scope, step.name = registry, scope, node.get("type")
    holder = _resolve(walk, step, node, path, registry, scope)
    problems_of = _argument_problems(step, path)
    walk.schedule(step, id(node), holder, scope, depth, problems_of)


def _names(exc: ScoperegError, key: str) -> bool:
    return isinstance(exc, ConfigError) and bool(exc.problems) and exc.problems[0].path == key


def _resolve(
    walk: _Walk, step: Step, node: Mapping[Any, Any], path: str, registry: RegistryNode, scope: str | None
) -> RegistryNode:
    """Find the node's callable; return the registry its children resolve in."""
    if "type" not in node:
        message = f"{registry.label}: the node has no 'type'"
        walk.problems.append(ConfigProblem(path or "(config)", "missing-type", message))
        return registry
    obj_type = node["type"]
    target = scope_target(registry, scope)
    try:
        if isinstance(obj_type, str):
            for start in (target, registry) if target is not registry else (registry,):
                entry = lookup_entry(start, obj_type)
                if entry is not None:
                    step.call = entry.obj
                    return entry.registry
        step.call = resolve_type(obj_type, target, registry)
    except NotRegisteredError as exc:
        walk.problems.append(ConfigProblem(join_path(path, "type"), "unknown-type", str(exc)))
    except LocationImportError:
        raise
    except (ScoperegError, LookupError, TypeError, ValueError, ImportError) as exc:
        walk.problems.append(ConfigProblem(join_path(path, "type"), "bad-value", str(exc)))
    return registry


def _argument_problems(step: Step, path: str) -> dict[str, list[ConfigProblem]]:
    """Problems of the node's keywords, by the key's path (``""`` for missing arguments)."""
    if step.call is None:
        return {}
    signature = signature_of(step.call)
    if signature is None:
        return {}
    reported = signature.problems([key for key, _ in step.items], partial=step.partial)
    if not reported:
        return {}  # the common case: where the callable is defined is only read for a problem
    name = step.name if isinstance(step.name, str) else getattr(step.call, "__qualname__", repr(step.call))
    what = f"{name!r} ({describe_callable(step.call)})"
    found: dict[str, list[ConfigProblem]] = {}
    for key, kind, message in reported:
        where = "" if key is None else join_path(path, key)
        problem = ConfigProblem(
            where or path or "(config)", kind, f"{message} for {what}; it accepts {signature.text}"
        )
        found.setdefault(where, []).append(problem)
    return found
