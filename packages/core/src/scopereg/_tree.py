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

from ._entries import Entry, check_names, register
from ._errors import DuplicateScopeError
from ._index import TreeIndex
from ._safety import check_patterns
from ._scope import check_scope_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from types import FrameType
    from typing import Any, TypeVar, overload

    _N = TypeVar("_N", bound="RegistryNode")  # a node's own class: Registry for a Registry
    _T = TypeVar("_T")

#: The root registries by public name (``"MODELS"``), filled in by ``scopereg._roots``.
ROOTS: dict[str, RegistryNode] = {}


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
        # name -> what Registry.build calls (no scope in force, or this registry's own); None for
        # a constructor Python would not refuse a reserved key to, found in _loose_ctor_cache
        self._ctor_cache: dict[str, Any] = {}
        self._loose_ctor_cache: dict[str, Any] = {}
        self._hot_path = True  # whether Registry.build may call what _ctor_cache remembers
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

    def _get_root_registry(self: _N) -> _N:
        """MMEngine's private name for :attr:`root`, kept for code that calls it."""
        return self.root

    def _search_child(self: _N, scope: str) -> _N | None:
        """The registry of ``scope`` among this one and its descendants, depth first (as MMEngine).

        MMEngine's private helper, kept for code that calls it; scoped keys and
        ``switch_scope_and_registry`` search the whole tree.
        """
        return next((node for node in self.walk() if node._scope == scope), None)

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
