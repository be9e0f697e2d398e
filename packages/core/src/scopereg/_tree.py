"""The registry tree: nodes and their entries.

:class:`RegistryNode` holds what a registry *is* (name, scope, parent, children, entries,
locations); what a registry *does* (lookup, building) lives in the layers above, which
take nodes. :class:`~scopereg.Registry` is the node with the public methods on top.
"""

from __future__ import annotations

import _thread
import sys
from collections.abc import Sequence
from types import MappingProxyType

from ._errors import DuplicateNameError, DuplicateScopeError
from ._index import TreeIndex
from ._provenance import describe, same_definition
from ._safety import check_patterns
from ._scope import check_scope_name
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from types import FrameType
    from typing import Any, TypeVar, overload

    from ._provenance import Provenance

    _N = TypeVar("_N", bound="RegistryNode")  # a node's own class: Registry for a Registry
    _T = TypeVar("_T")

#: The root registries by public name (``"MODELS"``), filled in by ``scopereg._roots``.
ROOTS: dict[str, RegistryNode] = {}


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


class RegistryNode:
    """What a registry is: its identity, its place in the tree, its entries and locations.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="root")
        >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
        >>> ALPHA.parent is MODELS, MODELS.children["alpha"] is ALPHA, ALPHA.root is MODELS
        (True, True, True)
    """

    def __init__(
        self,
        name: str,
        parent: RegistryNode | None = None,
        scope: str | None = None,
        locations: Iterable[str] = (),
        allow_imports: Iterable[str] = (),
    ) -> None:
        if not isinstance(name, str):
            raise TypeError(f"Registry name must be a str, got {type(name).__name__}: {name!r}")
        if not name:
            raise ValueError("Registry name must not be empty")
        if parent is not None and not isinstance(parent, RegistryNode):
            raise TypeError(f"parent must be a Registry or None, got {type(parent).__name__}")
        self._name = name
        self._scope = self._scope_of_creator() if scope is None else check_scope_name(scope, "Registry scope")
        self._locations = check_locations(locations)
        self._allow = check_patterns(allow_imports, "Registry allow_imports")
        self._entries: dict[str, Entry] = {}
        self._objects: dict[str, Any] = {}
        self._children: dict[str, RegistryNode] = {}
        self._deprecated: dict[str, str] = {}
        self._warned: set[str] = set()
        self._cache: dict[str, Any] = {}  # key -> object (None: a miss), for get and build
        self._entry_cache: dict[str, Entry | None] = {}  # key -> entry, for plans
        self._imported = not self._locations
        self._loading_threads: set[int] = set()
        self._import_lock = _thread.allocate_lock()
        self._parent = parent
        self._chain: tuple[RegistryNode, ...] = (self,) if parent is None else (self, *parent._chain)
        self._index: TreeIndex = TreeIndex() if parent is None else parent._index
        self._allowed = tuple(pattern for node in self._chain for pattern in node._allow)
        if parent is None:
            self._index.add(self)
            return
        with self._index.lock:
            if self._scope in parent._children:
                raise DuplicateScopeError(
                    f"scope {self._scope} exists in {parent.name} registry. {parent.label} already has "
                    f"a child registry with scope {self._scope!r} "
                    f"({parent._children[self._scope]!s}); a parent has one child per scope"
                )
            parent._children[self._scope] = self
            self._index.add(self)

    def _scope_of_creator(self) -> str:
        frame: FrameType | None = sys._getframe(2)
        # Skip the __init__ of subclasses, so the scope is the package that creates the registry.
        while frame is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is self:
            frame = frame.f_back
        return package_of(frame)

    @property
    def name(self) -> str:
        """What the registry holds, for example ``"model"``."""
        return self._name

    @property
    def parent(self: _N) -> _N | None:
        """The parent registry, or None for a root."""
        return self._parent  # type: ignore[return-value]  # a tree's nodes share one class

    @property
    def root(self: _N) -> _N:
        """The root of the tree."""
        return self._chain[-1]  # type: ignore[return-value]

    @property
    def children(self: _N) -> Mapping[str, _N]:
        """Child registries by scope (read-only)."""
        return MappingProxyType(self._children)  # type: ignore[arg-type]

    @property
    def scope(self) -> str:
        """The scope of the registry, for example ``"mmalpha"``."""
        return self._scope

    @property
    def label(self) -> str:
        """``scope::name``, as messages name the registry (``"mmalpha::model"``)."""
        return f"{self._scope}::{self._name}"

    @property
    def path(self) -> str:
        """The shortest scoped prefix that reaches this registry from anywhere in its tree.

        The scope alone when it is unique in the tree (``"mmalpha"``), else the path from
        the nearest unique ancestor (``"mmalpha.det"``).
        """
        if self._index.unique(self._scope) is self or self._parent is None:
            return self._scope
        return f"{self._parent.path}.{self._scope}"

    def walk(self: _N) -> Iterator[_N]:
        """This registry and its descendants, depth first, parents before children.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> [registry.scope for registry in MODELS.walk()]
            ['root', 'alpha']
        """
        stack: list[_N] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node._children.values())))  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"{self.label} registry"

    if TYPE_CHECKING:

        @overload
        def register_module(
            self, name: str | Sequence[str] | None = None, force: bool = False, module: None = None
        ) -> Callable[[_T], _T]: ...

        @overload
        def register_module(
            self, name: str | Sequence[str] | None = None, force: bool = False, *, module: _T
        ) -> _T: ...

    def register_module(self, name: Any = None, force: bool = False, module: Any = None) -> Any:
        """Register a class or any callable, as a decorator or as a call.

        Args:
            name: the name(s) to register under; defaults to ``module.__name__``. A list
                registers every name, atomically: all of them or none.
            force: replace an existing entry of the same name; its provenance records it.
            module: the object to register; omit it to use the method as a decorator.

        Raises:
            DuplicateNameError: the name holds another object and ``force`` is False.
                Registering the very same object again, or a new version of the same
                definition (a re-run notebook cell, a re-imported module), is not an error.
            TypeError: an argument has the wrong type.

        Example:
            >>> from scopereg import Registry
            >>> FUNCS = Registry("function", scope="demo")
            >>> @FUNCS.register_module(name=["add", "plus"])
            ... def add(a, b):
            ...     return a + b
            >>> FUNCS.build({"type": "plus", "a": 2, "b": 3})
            5
        """
        if not isinstance(force, bool):
            raise TypeError(
                f"force must be a boolean, but got {type(force)}. {self.label}: force must be a bool, "
                f"got {type(force).__name__}: {force!r}"
            )
        names = check_names(name)
        if module is not None:
            register(self, module, names, force, sys._getframe(1))
            return module

        def decorate(obj: _T) -> _T:
            register(self, obj, names, force, sys._getframe(1))
            return obj

        return decorate

    @staticmethod
    def split_scope_key(key: str) -> tuple[str | None, str]:
        """Split the first scope off a key: ``"mmdet.ResNet"`` -> ``("mmdet", "ResNet")``.

        Example:
            >>> from scopereg import Registry
            >>> Registry.split_scope_key("mmdet.ResNet"), Registry.split_scope_key("ResNet")
            (('mmdet', 'ResNet'), (None, 'ResNet'))
        """
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, got {type(key).__name__}: {key!r}")
        scope, sep, rest = key.partition(".")
        return (scope, rest) if sep else (None, key)

    @staticmethod
    def infer_scope() -> str:
        """The top-level package of the module that called the caller (as in MMEngine).

        Example:
            >>> from scopereg import Registry
            >>> def make():
            ...     return Registry.infer_scope()
            >>> make() == __name__.partition(".")[0]
            True
        """
        try:
            return package_of(sys._getframe(2))
        except ValueError:
            return package_of(None)


def package_of(frame: FrameType | None) -> str:
    """The top-level package of the module running ``frame`` (``"__main__"`` for scripts)."""
    module = frame.f_globals.get("__name__") if frame is not None else None
    if not isinstance(module, str) or not module:
        return "__main__"
    return module.partition(".")[0]


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


def check_locations(locations: object) -> tuple[str, ...]:
    """``locations`` as a tuple of module names."""
    if isinstance(locations, str):
        raise TypeError(f"locations must be a sequence of module names; wrap {locations!r} in a list")
    if not isinstance(locations, Sequence) and not isinstance(locations, (set, frozenset)):
        raise TypeError(f"locations must be a sequence of module names, got {type(locations).__name__}")
    checked = tuple(locations)
    for location in checked:
        if not isinstance(location, str) or not location:
            raise TypeError(f"every location must be a module name (str), got {location!r}")
    return checked


def register(
    node: RegistryNode, obj: Any, names: tuple[str, ...] | None, force: bool, frame: FrameType | None
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
        node._index.bump()


def _check_free(node: RegistryNode, name: str, obj: Any, force: bool, frame: FrameType | None) -> None:
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


def check_free_alias(node: RegistryNode, alias: str) -> None:
    """Raise DuplicateNameError when ``alias`` is already a name of ``node``."""
    if alias in node._entries or alias in node._deprecated:
        raise DuplicateNameError(f"{node.label}: {alias!r} is already a name in this registry")


def add_deprecated(node: RegistryNode, alias: str, replacement: str) -> None:
    """Record ``alias`` as a deprecated name of ``replacement`` in ``node``."""
    with node._index.lock:
        check_free_alias(node, alias)  # again: resolving the replacement may have imported locations
        node._deprecated[alias] = replacement
        node._index.bump()
