"""The recursive build's quick path: a plain config, checked whole, then built, with no plan objects.

Most configs are plain: dicts that name registered classes, lists, tuples and scalars;
no ``_scope_``, ``_partial_`` or ``_registry_``; every node's keys accepted by its
class. :func:`quick_build` builds such a config as planning and running it would, in
two passes:

1. :meth:`_Check.value` walks the whole config and resolves each node once, as the plan
   resolves a name (from the registries' caches, else by a lookup that fills them),
   recording the entries in the config's order. At the first thing that is not plain
   (anything the plan would report, or resolve another way) it gives up.
2. :func:`_make` builds the config children first, in the config's order, taking the
   recorded entries in turn.

Nothing is built unless the whole config passed the check, so giving up costs one walk:
``build_recursive`` then plans the config, and the plan builds it or reports what is
wrong. Both passes recurse, but never deeper than :data:`QUICK_DEPTH` levels: a deeper
config takes the plan, which does not recurse. That bound also stops a cycle, and the
count of values stops shared subtrees from multiplying without end.
"""

from __future__ import annotations

from ._entries import MANAGED
from ._errors import LocationImportError
from ._limits import MAX_DEPTH, MAX_NODES
from ._lookup import lookup_entry, scope_registry
from ._rejection import raise_if_rejected
from ._scope import current_scope
from ._signature import signature_of
from ._steps import SCALARS, container_kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from ._entries import Entry
    from ._tree import RegistryNode

#: The deepest config (in nested dicts, lists and tuples) the quick path takes.
QUICK_DEPTH = min(32, MAX_DEPTH)

#: What :func:`quick_build` returns when the config is not plain.
NOT_QUICK: Any = object()


class _NotPlainError(Exception):
    """The config holds something the quick path does not take: plan it instead."""


class _Check:
    """The first pass: check a config whole, recording each node's entry in order."""

    __slots__ = ("ambient", "count", "entries", "fits")

    def __init__(self) -> None:
        current = current_scope()
        self.ambient = None if current is None else current.scope_name
        self.count = 1  # values seen, as the plan counts them for MAX_NODES
        self.entries: list[Entry] = []
        self.fits: dict[Any, tuple[frozenset[str], frozenset[str]]] = {}  # callable -> its keys

    def value(self, value: Any, registry: RegistryNode, depth: int) -> None:
        """Check ``value`` (at nesting ``depth``) and everything inside it."""
        cls = type(value)
        if cls is dict:
            if "type" in value:
                registry = self.node(value, registry)
            items = value.values()
        elif cls is list or cls is tuple:
            items = value
        elif cls in SCALARS or container_kind(value) is None:
            return  # not a container: passed through as it is
        else:
            raise _NotPlainError  # a Mapping, list or tuple of another class
        self.count += len(value)
        if depth > QUICK_DEPTH or self.count > MAX_NODES:
            raise _NotPlainError
        for item in items:
            if type(item) not in SCALARS:
                self.value(item, registry, depth + 1)

    def node(self, node: dict[Any, Any], registry: RegistryNode) -> RegistryNode:
        """Resolve a node from its cached entry; return the registry its children resolve in."""
        if "_scope_" in node or "_partial_" in node or "_registry_" in node:
            raise _NotPlainError
        ambient = self.ambient
        target = registry
        if ambient is not None and ambient != registry._scope:
            scoped = scope_registry(registry, ambient)
            if scoped is not None:  # (never `or`: an empty registry is falsy)
                target = scoped
        name = node["type"]
        entry = target._entry_cache.get(name) if type(name) is str else None
        if entry is None:  # not resolved before (or a class, or not found): as the plan resolves it
            entry = _resolve(target, registry, name)
        call = entry.obj
        fits = self.fits.get(call)
        if fits is None:
            fits = self.fits[call] = _keys_of(call)
        if not fits[0].issuperset(node) or not fits[1].issubset(node):
            raise _NotPlainError  # a keyword it does not take, or a missing argument
        self.entries.append(entry)
        holder: RegistryNode = entry.registry
        return holder


def _resolve(target: RegistryNode, registry: RegistryNode, name: Any) -> Entry:
    """The entry ``name`` names, looked up as the plan does: in ``target``, then ``registry``."""
    if type(name) is not str:
        raise _NotPlainError  # a class or callable as type: the plan resolves those
    for start in (target, registry) if target is not registry else (registry,):
        entry = start._entry_cache.get(name) or lookup_entry(start, name)
        if entry is not None:
            return entry
    raise _NotPlainError  # not found: the plan says so


def _keys_of(call: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The keys a node of ``call`` may have (``type`` included) and must have."""
    signature = signature_of(call)
    if signature is None or signature.takes_any or "type" in signature.required or id(call) in MANAGED:
        raise _NotPlainError  # nothing to check against, any keyword, or built another way
    return signature.names | {"type"}, signature.required


def _make(value: Any, registry: RegistryNode, next_entry: Callable[[], Entry]) -> Any:
    """The second pass: build ``value`` children first, as :func:`~scopereg._build.run` would."""
    cls = type(value)
    if cls is dict:
        args = value.copy()
        if "type" not in value:
            for key, item in value.items():
                if type(item) not in SCALARS:
                    args[key] = _make(item, registry, next_entry)
            return args
        entry = next_entry()
        del args["type"]
        holder = entry.registry
        for key, item in value.items():
            if type(item) not in SCALARS:
                args[key] = _make(item, holder, next_entry)
        call = entry.obj
        try:
            return call(**args)
        except TypeError as exc:
            raise_if_rejected(exc, call, args, value["type"], registry)
            raise
    if cls is list:
        return [item if type(item) in SCALARS else _make(item, registry, next_entry) for item in value]
    if cls is tuple:
        return tuple([item if type(item) in SCALARS else _make(item, registry, next_entry) for item in value])
    return value


def quick_build(cfg: Any, registry: RegistryNode, default_args: Mapping[str, Any] | None) -> Any:
    """Build a plain config recursively; :data:`NOT_QUICK` (having built nothing) for any other.

    Example:
        >>> import scopereg
        >>> from scopereg._quick import NOT_QUICK, quick_build
        >>> MODELS = scopereg.Registry("model", scope="demo")
        >>> @MODELS.register_module()
        ... class Net:
        ...     def __init__(self, act=None):
        ...         self.act = act
        >>> quick_build({"type": "Net", "act": {"type": "ReLU"}}, MODELS, None) is NOT_QUICK  # unknown
        True
        >>> type(quick_build({"type": "Net", "act": {"type": "Net"}}, MODELS, None).act).__name__
        'Net'
    """
    if type(cfg) is not dict:
        return NOT_QUICK
    if default_args is not None:
        if type(default_args) is not dict:
            return NOT_QUICK
        cfg = {**cfg}
        for key, value in default_args.items():
            cfg.setdefault(key, value)
    if "type" not in cfg:
        return NOT_QUICK
    check = _Check()
    try:
        check.value(cfg, registry, 1)
    except (LocationImportError, Warning):
        raise  # as the plan raises them: a broken installation, a warning filtered into an error
    except Exception:  # anything odd, even an exception from a key's __eq__: the plan says what
        return NOT_QUICK
    return _make(cfg, registry, iter(check.entries).__next__)
