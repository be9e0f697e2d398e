"""Plans: a whole config walked once, every node resolved, every problem found.

:func:`plan` walks a config without recursion (so any depth is safe) and resolves each
node exactly once: its registry (``_registry_``), its scope (``_scope_``), its callable
(``type``) and whether its keys fit the callable's signature. It returns a
:class:`Plan`: the problems, in the config's order, and the steps that build the config
children first. ``validate`` is ``plan(...).problems``; a recursive build runs the steps.

A node's children resolve in the registry that holds the node's own type, so that a
child of ``mmbeta.BetaNet`` resolves as mmbeta's code would resolve it. Mappings and
lists without ``type`` are plain data: searched for nodes, copied, never mutated.

Config paths (``model.backbone.layers[2]``) are only spelled out for a problem: while
walking, a path is ``(parent path, key)``.
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
from ._limits import MAX_DEPTH, MAX_NODES
from ._lookup import lookup_entry
from ._reserved import RESERVED, checked_scope, mapping_like, other_root, resolve_type, scope_target
from ._scope import current_scope
from ._signature import describe_callable, signature_of
from ._steps import SCALARS, Plan, PlannedNode, Step, container_kind, spell
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._signature import CallSignature
    from ._steps import Path
    from ._tree import RegistryNode


class _Walk:
    """The state of one walk: a stack of work, and the steps and problems found so far.

    Work items are popped from the end: ``(value, path, context)`` to visit, where
    ``context`` is ``(registry, scope, depth)``; a :class:`ConfigProblem` to report; and
    a step to file once everything inside it was walked (so steps come children first;
    ``step.container`` is the id of the value it rebuilds).
    """

    def __init__(self, recursive: bool, max_depth: int, max_nodes: int) -> None:
        self.recursive = recursive
        self.max_depth, self.max_nodes = max_depth, max_nodes
        self.count = 1
        self.ancestors: dict[int, Path] = {}
        self.steps: list[Step] = []
        self.nodes: list[PlannedNode] = []
        self.problems: list[ConfigProblem] = []
        self.stopped = False
        self.work: list[Any] = []
        current = current_scope()
        self.ambient = None if current is None else current.scope_name  # constant during a walk
        self.signatures: dict[Any, CallSignature | None] = {}

    def stop(self, path: Path, kind: str, message: str) -> None:
        """A limit was exceeded: that is the only problem, and nothing can be built."""
        self.problems[:] = [ConfigProblem(spell(path) or "(config)", kind, message)]
        self.stopped = True
        self.work.clear()

    def run(self) -> None:
        """Do the work until there is none left or a limit stops it."""
        work, problems, steps, ancestors = self.work, self.problems, self.steps, self.ancestors
        max_depth = self.max_depth
        while work:  # stop() empties it
            item = work.pop()
            if type(item) is not tuple:  # a step to file, all inside it walked; or a problem
                if type(item) is ConfigProblem:
                    problems.append(item)
                else:
                    del ancestors[item.container]
                    steps.append(item)
            else:
                value, path, (registry, scope, depth) = item
                key = id(value)
                if key in ancestors or depth > max_depth:
                    self.refuse(value, path, depth)
                    return
                ancestors[key] = path
                cls = type(value)
                if cls is list or cls is tuple or (cls is not dict and not isinstance(value, Mapping)):
                    step = Step(list if isinstance(value, list) else tuple, list(value))
                elif "type" in value:
                    _visit_node(self, value, path, item[2], key)
                    continue
                else:
                    step = Step(dict, dict(value))
                self.schedule(step, key, path, (registry, scope, depth + 1))

    def refuse(self, value: Any, path: Path, depth: int) -> None:
        """Stop at a value that refers back to an ancestor, or nests too deep."""
        if id(value) in self.ancestors:
            ancestor = spell(self.ancestors[id(value)])
            message = f"the config refers back to itself: this value is {ancestor!r}, which contains it"
            self.stop(path, "cycle", message)
        else:
            message = f"the config nests deeper than {self.max_depth} levels (scopereg.MAX_DEPTH)"
            self.stop(path, "too-deep", message)

    def schedule(
        self,
        step: Step,
        container: int,
        path: Path,
        context: tuple[RegistryNode, str | None, int],
        problems_of: dict[Any, list[ConfigProblem]] | None = None,
    ) -> None:
        """File ``step`` after the values inside it, each after the problems of its key."""
        step.container = container
        template = step.template
        self.count += len(template)
        if self.count > self.max_nodes:
            message = (
                f"the config holds more than {self.max_nodes:,} values (scopereg.MAX_NODES); shared "
                "values (YAML aliases) count once per use"
            )
            self.stop(path, "too-large", message)
            return
        if problems_of:
            self._schedule_with_problems(step, path, context, problems_of)
            return
        slots = []
        if self.recursive:
            pairs = template.items() if step.kind is None or step.kind is dict else enumerate(template)
            for key, value in pairs:
                cls = type(value)
                if cls not in SCALARS and (
                    cls is dict or cls is list or cls is tuple or container_kind(value) is not None
                ):
                    slots.append(key)
        if not slots:  # nothing inside to walk: filed now
            del self.ancestors[container]
            self.steps.append(step)
            return
        step.slots = slots
        work = self.work
        work.append(step)
        work.extend([(template[key], (path, key), context) for key in reversed(slots)])

    def _schedule_with_problems(
        self,
        step: Step,
        path: Path,
        context: tuple[RegistryNode, str | None, int],
        problems_of: dict[Any, list[ConfigProblem]],
    ) -> None:
        """:meth:`schedule` for a node with problems: each key's problems come before its value."""
        work = self.work
        work.append(step)
        work.extend(reversed(problems_of.pop(None, ())))  # missing arguments: after the values
        template = step.template
        slots = step.slots = []
        for key in reversed(list(template)):
            value = template[key]
            if self.recursive and container_kind(value) is not None:
                slots.append(key)
                work.append((value, (path, key), context))
            if key in problems_of:
                work.extend(reversed(problems_of[key]))
        slots.reverse()


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
    """Resolve every node of ``cfg`` as a build from ``registry`` would, without building anything.

    Returns the :class:`Plan`: every problem (what ``Registry.validate`` returns), every
    node with what it resolved to, and the steps a recursive build runs. ``path``
    prefixes the reported paths. Without ``recursive`` only the top node is resolved and
    checked. The config's data never makes it raise; a registry whose locations fail to
    import raises :class:`~scopereg.LocationImportError` (the installation is broken).

    Example:
        >>> import scopereg
        >>> MODELS = scopereg.Registry("model", scope="demo")
        >>> _ = MODELS.register_module(name="Net", module=lambda act=None: act)
        >>> plan = scopereg.plan({"type": "Net", "act": {"type": "ReLU"}}, MODELS, path="model")
        >>> [(node.path, node.call is not None) for node in plan.nodes], plan.problems[0].path
        ([('model', True), ('model.act', False)], 'model.act.type')
    """
    where = path or "(config)"
    try:
        cfg = cfg if isinstance(cfg, Mapping) else mapping_like(cfg, where) or cfg
        if not _mapping_or_none(default_args):
            default_args = mapping_like(default_args, where) or default_args
    except ConfigError as exc:
        return Plan([], list(exc.problems), [])
    if not isinstance(cfg, Mapping):
        message = f"a config node must be a mapping, got {type(cfg).__name__}"
        return Plan([], [ConfigProblem(where, "bad-value", message)], [])
    if not _mapping_or_none(default_args):
        message = f"default_args must be a mapping or None, got {type(default_args).__name__}"
        return Plan([], [ConfigProblem(where, "bad-value", message)], [])
    node = dict(cfg)
    for key, value in (default_args or {}).items():
        node.setdefault(key, value)
    walk = _Walk(recursive, max_depth, max_nodes)
    walk.ancestors[id(cfg)] = where
    walk.ancestors[id(node)] = where
    _visit_node(walk, node, path, (registry, None, 1), id(node))
    walk.run()
    return Plan([] if walk.stopped else walk.steps, walk.problems, walk.nodes)


def _mapping_or_none(value: object) -> bool:
    return value is None or isinstance(value, Mapping)


def _visit_node(
    walk: _Walk,
    node: Mapping[Any, Any],
    path: Path,
    context: tuple[RegistryNode, str | None, int],
    container: int,
) -> None:
    """Resolve one node (special keys, callable, arguments), then schedule what is inside it.

    ``container`` is ``id(node)``, the key of the node in the walk's ancestors.
    """
    registry, scope, depth = context
    template = dict(node)
    obj_type = template.pop("type", None)
    step = PlannedNode(template, registry, scope, obj_type, path)
    walk.nodes.append(step)
    problems = walk.problems
    first = len(problems)
    partial = False
    if "_partial_" in template or "_registry_" in template or "_scope_" in template:
        special = _special_keys(walk, node, template, path, context)
        if special is None:
            step.problems = walk.problems[first:]
            return
        registry, scope, partial = step.registry, step.scope, step.partial = special
    entry = None
    if scope is None and walk.ambient is None and type(obj_type) is str:
        entry = registry._entry_cache.get(obj_type)  # the common case: a cached name, no scopes
    if entry is not None:
        call = step.call = entry.obj
        holder = entry.registry
    else:
        holder = _resolve(walk, step, node, path)
        call = step.call
    problems_of = None
    if call is not None:
        fits = walk.signatures.get(call) if type(call) is type else None
        if (
            fits is None
            or fits.takes_any
            or not fits.names.issuperset(template)
            or (not partial and not fits.required.issubset(template))
        ):
            problems_of = _argument_problems(walk, step, path)
    if problems_of or len(problems) > first:  # the node's own problems, kept with it
        step.problems = problems[first:] + [p for found in (problems_of or {}).values() for p in found]
    walk.schedule(step, container, path, (holder, scope, depth + 1), problems_of)


def _special_keys(
    walk: _Walk, node: Mapping[Any, Any], template: dict[Any, Any], path: Path, context: tuple[Any, ...]
) -> tuple[RegistryNode, str | None, bool] | None:
    """Take ``_partial_``, ``_registry_`` and ``_scope_`` out of ``template`` and check them.

    Returns the node's registry, scope and partial flag; None when its subtree cannot be
    resolved (the problem is reported).
    """
    registry, scope, _ = context
    for key in RESERVED:
        template.pop(key, None)
    partial = node.get("_partial_", False)
    if partial is not True and partial is not False:
        message = f"must be True or False, got {short_repr(partial)}"
        walk.problems.append(ConfigProblem(spell((path, "_partial_")), "bad-value", message))
    try:
        if "_registry_" in node:
            registry = other_root(node["_registry_"], registry)
        if "_scope_" in node:
            scope = checked_scope(node["_scope_"], registry)
    except ScoperegError as exc:  # the subtree cannot be resolved
        key = "_scope_" if isinstance(exc, UnknownScopeError) or _names(exc, "_scope_") else "_registry_"
        walk.problems.append(ConfigProblem(spell((path, key)), "bad-value", str(exc)))
        walk.ancestors.pop(id(node), None)
        return None
    return registry, scope, partial is True


def _names(exc: ScoperegError, key: str) -> bool:
    return isinstance(exc, ConfigError) and bool(exc.problems) and exc.problems[0].path == key


def _resolve(walk: _Walk, step: PlannedNode, node: Mapping[Any, Any], path: Path) -> RegistryNode:
    """Find the node's callable; return the registry its children resolve in."""
    registry: RegistryNode = step.registry
    scope, obj_type = step.scope, step.name
    if "type" not in node:
        message = f"{registry.label}: the node has no 'type'"
        walk.problems.append(ConfigProblem(spell(path) or "(config)", "missing-type", message))
        return registry
    target = registry if scope is None and walk.ambient is None else scope_target(registry, scope)
    try:
        if type(obj_type) is str:
            for start in (target, registry) if target is not registry else (registry,):
                entry = start._entry_cache.get(obj_type) or lookup_entry(start, obj_type)
                if entry is not None:
                    step.call = entry.obj
                    holder: RegistryNode = entry.registry
                    return holder
        step.call = resolve_type(obj_type, target, registry)
    except NotRegisteredError as exc:
        walk.problems.append(ConfigProblem(spell((path, "type")), "unknown-type", str(exc)))
    except LocationImportError:
        raise
    except (ScoperegError, LookupError, TypeError, ValueError, ImportError) as exc:
        walk.problems.append(ConfigProblem(spell((path, "type")), "bad-value", str(exc)))
    return registry


def _argument_problems(walk: _Walk, step: PlannedNode, path: Path) -> dict[Any, list[ConfigProblem]]:
    """Problems of the node's keywords, by key (None for missing arguments)."""
    if step.call is None:
        return {}
    try:
        signature = walk.signatures[step.call]
    except KeyError:
        signature = walk.signatures[step.call] = signature_of(step.call)
    except TypeError:  # an unhashable callable: not remembered
        signature = signature_of(step.call)
    if signature is None:
        return {}
    template = step.template
    fits = not signature.takes_any and signature.names.issuperset(template)
    if fits and (step.partial or signature.required.issubset(template)):
        return {}  # the common case, decided in C
    reported = signature.problems(template, partial=step.partial)
    if not reported:
        return {}  # the common case: where the callable is defined is only read for a problem
    name = step.name if isinstance(step.name, str) else getattr(step.call, "__qualname__", repr(step.call))
    what = f"{name!r} ({describe_callable(step.call)})"
    found: dict[Any, list[ConfigProblem]] = {}
    for key, kind, message in reported:
        where = spell(path if key is None else (path, key)) or "(config)"
        problem = ConfigProblem(where, kind, f"{message} for {what}; it accepts {signature.text}")
        found.setdefault(key, []).append(problem)
    return found
