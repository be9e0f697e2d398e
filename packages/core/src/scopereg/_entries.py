"""Entries: what a registry holds, and how an object becomes one (names, duplicates, force).

The functions take the registry node they change; they need only its entries, its
deprecated names, its label and its tree's index (:class:`_Node` says which).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from ._errors import DuplicateNameError
from ._provenance import describe, same_definition
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any, Protocol

    from ._index import TreeIndex
    from ._provenance import Provenance

    class _Node(Protocol):
        """What registering needs of a registry node."""

        _entries: dict[str, Entry]
        _objects: dict[str, Any]
        _deprecated: dict[str, str]
        _index: TreeIndex

        @property
        def label(self) -> str: ...

        @property
        def name(self) -> str: ...


#: ids of the registered classes that manage their own instances (MMEngine's
#: ``get_instance``/``get_current_instance`` protocol): a build calls ``get_instance``.
MANAGED: set[int] = set()


def manages_instances(obj: object) -> bool:
    """Whether ``obj`` is a class with MMEngine's ``get_instance``/``get_current_instance`` protocol.

    Such a class (MMEngine's ``ManagerMixin``: visualizers, message hubs, loggers) keeps
    its instances by name, so it is built through ``get_instance(**kwargs)``, which lets
    ``get_current_instance()`` find the object afterwards.
    """
    return (
        isinstance(obj, type)
        and callable(getattr(obj, "get_instance", None))
        and callable(getattr(obj, "get_current_instance", None))
    )


def constructor_of(obj: Any) -> Any:
    """What a build calls for ``obj``: its ``get_instance`` for a class that manages its instances.

    Registered classes are known by id; a class a config passes directly is remembered
    by :func:`remember_manager` when its type resolves.
    """
    return obj.get_instance if id(obj) in MANAGED else obj


def remember_manager(obj: Any) -> None:
    """Know ``obj`` by id from now on if it manages its instances (registered, or a config's type)."""
    if manages_instances(obj) and id(obj) not in MANAGED:
        MANAGED.add(id(obj))
        weakref.finalize(obj, MANAGED.discard, id(obj))  # the id may be reused once it is gone


class Entry:
    """One registered object, with the registry holding it and its provenance.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> @MODELS.register_module(name=["Linear", "Dense"])
        ... class Linear:
        ...     pass
        >>> entry = MODELS.which("Dense")
        >>> entry.name, entry.obj is Linear, entry.registry is MODELS
        ('Dense', True, True)
    """

    __slots__ = ("name", "obj", "provenance", "registry")

    def __init__(self, name: str, obj: Any, registry: Any, provenance: Provenance) -> None:
        self.name = name
        self.obj = obj
        self.registry = registry  # the Registry holding the entry
        self.provenance = provenance

    @property
    def key(self) -> str:
        """The scoped key that reaches this entry from anywhere in its tree."""
        return f"{self.registry.path}.{self.name}"

    def __repr__(self) -> str:
        return f"Entry({self.key!r}, {self.obj!r}, {self.provenance!r})"


def check_name(name: str) -> str:
    """Return ``name`` if it can be registered: non-empty, no surrounding spaces, no '.'."""
    if not name or name != name.strip() or "." in name:
        raise ValueError(
            f"invalid registry name {name!r}: names are non-empty, without surrounding "
            "spaces, and without '.', which separates scopes in keys"
        )
    return name


def check_names(name: object) -> tuple[str, ...] | None:
    """The names ``register_module(name=...)`` was given, checked; None to infer one."""
    if name is None:
        return None
    if isinstance(name, str):
        names: tuple[object, ...] = (name,)
    elif isinstance(name, Sequence) and not isinstance(name, (bytes, bytearray)):
        names = tuple(name)
    elif callable(name):
        raise TypeError(
            "register_module() got a callable as its name: write @registry.register_module() "
            "with parentheses, or registry.register_module(module=obj)"
        )
    else:
        raise TypeError(
            f"name must be None, an instance of str, or a sequence of str, but got {type(name)}. "
            f"name must be None, a str or a sequence of str, got {type(name).__name__}"
        )
    if not names:
        raise ValueError("name is an empty sequence: give at least one name")
    for item in names:
        if not isinstance(item, str):
            raise TypeError(
                f"name must be None, an instance of str, or a sequence of str, but got {type(name)}. "
                f"every name must be a str, got {type(item).__name__}: {item!r}"
            )
        check_name(item)
    if len(set(names)) != len(names):
        raise ValueError(f"name lists the same name twice: {list(names)!r}")
    return names  # type: ignore[return-value]  # every item was checked to be a str


def register(
    node: _Node, obj: Any, names: tuple[str, ...] | None, force: bool, frame: FrameType | None
) -> None:
    """Register ``obj`` in ``node`` under ``names`` (inferred when None): all names or none."""
    if not callable(obj):
        raise TypeError(
            f"module must be Callable, but got {type(obj)}. {node.label}: only callables can be "
            f"registered, got {type(obj).__name__}: {short_repr(obj)}"
        )
    if names is None:
        inferred = getattr(obj, "__name__", None)
        if not isinstance(inferred, str) or inferred == "<lambda>":
            raise TypeError(
                f"{node.label}: cannot infer a name for {obj!r}; pass name=... to register_module"
            )
        names = (check_name(inferred),)
    with node._index.lock:
        for name in names:
            _check_free(node, name, obj, force, frame)
        for name in names:
            existing = node._entries.get(name)
            if existing is not None and existing.obj is obj and not force:
                continue
            replaced = None if existing is None else existing.provenance
            node._entries[name] = Entry(
                name, obj, node, describe(obj, frame, forced=force, replaced=replaced)
            )
            node._objects[name] = obj
        remember_manager(obj)
        node._index.bump()


def _check_free(node: _Node, name: str, obj: Any, force: bool, frame: FrameType | None) -> None:
    if name in node._deprecated:
        raise DuplicateNameError(f"{node.label}: {name!r} is a deprecated name of {node._deprecated[name]!r}")
    existing = node._entries.get(name)
    if existing is None or force or same_definition(existing.obj, obj):
        return
    old, new = existing.provenance, describe(obj, frame)
    raise DuplicateNameError(
        f"{name} is already registered in {node.name} at {old.module}. "
        f"{node.label}: {name!r} is already registered, by {old.module}.{old.qualname} ({old.location}); "
        f"cannot register {new.module}.{new.qualname} ({new.location}) under it. Pass force=True to "
        "replace it, or register under another name."
    )


def check_free_alias(node: _Node, alias: str) -> None:
    """Raise DuplicateNameError when ``alias`` is already a name of ``node``."""
    if alias in node._entries or alias in node._deprecated:
        raise DuplicateNameError(f"{node.label}: {alias!r} is already a name in this registry")


def add_deprecated(node: _Node, alias: str, replacement: str) -> None:
    """Record ``alias`` as a deprecated name of ``replacement`` in ``node``."""
    with node._index.lock:
        check_free_alias(node, alias)  # again: resolving the replacement may have imported locations
        node._deprecated[alias] = replacement
        node._index.bump()
