"""Registry: a tree of string -> callable tables, one scope per node."""

from __future__ import annotations

import _thread
import sys
import weakref
from collections.abc import Sequence
from contextlib import contextmanager
from types import MappingProxyType

from ._discovery import (
    declared_scope_names,
    describe_declared,
    failure_of,
    load_scope,
    not_imported_yet,
    scope_suggestions,
)
from ._errors import (
    ConfigProblem,
    DeprecatedNameWarning,
    DuplicateNameError,
    DuplicateScopeError,
    LocationImportError,
    NotRegisteredError,
    close_matches,
    did_you_mean,
    warn_at_caller,
)
from ._fork import after_fork_in_child, forget_imports_of
from ._index import TreeIndex
from ._provenance import Provenance, describe, same_definition
from ._safety import check_patterns, context_patterns, import_if_allowed
from ._scope import _check_scope_name, current_scope, switch_scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from types import FrameType
    from typing import Any, TypeVar, overload

    _T = TypeVar("_T")


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

    def __init__(self, name: str, obj: Any, registry: Registry, provenance: Provenance) -> None:
        self.name = name
        self.obj = obj
        self.registry = registry
        self.provenance = provenance

    @property
    def key(self) -> str:
        """The scoped key that reaches this entry from anywhere in its tree."""
        return f"{self.registry._path()}.{self.name}"

    def __repr__(self) -> str:
        return f"Entry({self.key!r}, {self.obj!r}, {self.provenance!r})"


def _check_names(name: object) -> tuple[str, ...] | None:
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
        raise TypeError(f"name must be None, a str or a sequence of str, got {type(name).__name__}")
    if not names:
        raise ValueError("name is an empty sequence: give at least one name")
    for item in names:
        if not isinstance(item, str):
            raise TypeError(f"every name must be a str, got {type(item).__name__}: {item!r}")
        _check_name(item)
    if len(set(names)) != len(names):
        raise ValueError(f"name lists the same name twice: {list(names)!r}")
    return names  # type: ignore[return-value]  # every item was checked to be a str


def _check_name(name: str) -> str:
    if not name or name != name.strip() or "." in name:
        raise ValueError(
            f"invalid registry name {name!r}: names are non-empty, without surrounding "
            "spaces, and without '.', which separates scopes in keys"
        )
    return name


def _check_locations(locations: object) -> tuple[str, ...]:
    if isinstance(locations, str):
        raise TypeError(f"locations must be a sequence of module names; wrap {locations!r} in a list")
    if not isinstance(locations, Sequence) and not isinstance(locations, (set, frozenset)):
        raise TypeError(f"locations must be a sequence of module names, got {type(locations).__name__}")
    checked = tuple(locations)
    for location in checked:
        if not isinstance(location, str) or not location:
            raise TypeError(f"every location must be a module name (str), got {location!r}")
    return checked


class Registry:
    """A table of names to callables that builds objects from configs.

    Registries form trees: a child searches its ancestors for unscoped names, and any
    registry reaches any other of its tree through a scoped key (``"mmalpha.Name"``).

    Args:
        name: what the registry holds, for example ``"model"``.
        build_func: builds an object from ``(cfg, *args, registry=..., **kwargs)``. A
            child inherits its parent's; the root default is :func:`build_from_cfg`.
        parent: the parent registry, usually one of the root registries.
        scope: the scope name; inferred from the creating module's top-level package
            when not given.
        locations: modules to import on the registry's first use, so that their
            ``register_module`` calls have run by the time a name is looked up. Whatever
            such a module raises at import (``SystemExit`` too; only ``KeyboardInterrupt``
            passes) becomes a :class:`LocationImportError`.
        allow_imports: glob patterns over dotted segments (``"torch.optim.*"`` matches one
            name below torch.optim, ``**`` any depth; see docs/security.md) that keys may
            name directly. Keys resolve only among registered names otherwise.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> @MODELS.register_module()
        ... class ResNet:
        ...     def __init__(self, depth: int) -> None:
        ...         self.depth = depth
        >>> MODELS.build({"type": "ResNet", "depth": 50}).depth
        50
        >>> DETECTORS = Registry("model", parent=MODELS, scope="det")
        >>> DETECTORS.get("ResNet") is ResNet  # found in the parent
        True
    """

    def __init__(
        self,
        name: str,
        build_func: Callable[..., Any] | None = None,
        parent: Registry | None = None,
        scope: str | None = None,
        locations: Iterable[str] = (),
        *,
        allow_imports: Iterable[str] = (),
    ) -> None:
        if not isinstance(name, str):
            raise TypeError(f"Registry name must be a str, got {type(name).__name__}: {name!r}")
        if not name:
            raise ValueError("Registry name must not be empty")
        if build_func is not None and not callable(build_func):
            raise TypeError(f"build_func must be callable or None, got {type(build_func).__name__}")
        if parent is not None and not isinstance(parent, Registry):
            raise TypeError(f"parent must be a Registry or None, got {type(parent).__name__}")
        self._name = name
        self._scope = (
            self._scope_of_creator() if scope is None else _check_scope_name(scope, "Registry scope")
        )
        self._locations = _check_locations(locations)
        self._allow = check_patterns(allow_imports, "Registry allow_imports")
        self._entries: dict[str, Entry] = {}
        self._objects: dict[str, Any] = {}
        self._children: dict[str, Registry] = {}
        self._deprecated: dict[str, str] = {}
        self._warned: set[str] = set()
        self._cache: dict[str, Any] = {}
        self._imported = not self._locations
        self._loading_threads: set[int] = set()
        self._import_lock = _thread.allocate_lock()
        self._parent = parent
        if parent is None:
            from ._build import build_from_cfg

            self._chain: tuple[Registry, ...] = (self,)
            self._index = TreeIndex()
            self._build_func: Callable[..., Any] = build_func or build_from_cfg
            self._index.add(self)
        else:
            self._chain = (self, *parent._chain)
            self._index = parent._index
            self._build_func = build_func or parent._build_func
            with self._index.lock:
                if self._scope in parent._children:
                    raise DuplicateScopeError(
                        f"{parent._label} already has a child registry with scope "
                        f"{self._scope!r} ({parent._children[self._scope]!s}); a parent has one "
                        "child per scope"
                    )
                parent._children[self._scope] = self
                self._index.add(self)
        self._allowed = tuple(p for reg in self._chain for p in reg._allow)
        self.build_func = self._build_func  # the setter picks the fast path for build_from_cfg
        _registries.add(self)

    # -- identity -------------------------------------------------------------------

    @property
    def name(self) -> str:
        """What the registry holds, for example ``"model"``."""
        return self._name

    @property
    def scope(self) -> str:
        """The scope of the registry, for example ``"mmalpha"``."""
        return self._scope

    @property
    def parent(self) -> Registry | None:
        """The parent registry, or None for a root."""
        return self._parent

    @property
    def root(self) -> Registry:
        """The root of the tree."""
        return self._chain[-1]

    @property
    def children(self) -> Mapping[str, Registry]:
        """Child registries by scope (read-only)."""
        return MappingProxyType(self._children)

    @property
    def module_dict(self) -> Mapping[str, Any]:
        """Registered names and objects of this registry alone (read-only).

        Reading it imports the registry's ``locations`` first.
        """
        self._ensure_loaded()
        return MappingProxyType(self._objects)

    @property
    def build_func(self) -> Callable[..., Any]:
        """The function :meth:`build` delegates to."""
        return self._build_func

    @build_func.setter
    def build_func(self, func: Callable[..., Any]) -> None:
        if not callable(func):
            raise TypeError(f"build_func must be callable, got {type(func).__name__}")
        self._build_func = func
        self._fast_build = DEFAULT_BUILD[1] if func is DEFAULT_BUILD[0] else None

    @property
    def _label(self) -> str:
        return f"{self._scope}::{self._name}"

    def __str__(self) -> str:
        return f"{self._label} registry"

    def _path(self) -> str:
        """The shortest scoped prefix that reaches this registry from anywhere in the tree."""
        if self._index.unique(self._scope) is self or self._parent is None:
            return self._scope
        return f"{self._parent._path()}.{self._scope}"

    # -- dunders --------------------------------------------------------------------

    def __len__(self) -> int:
        self._ensure_loaded()
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __repr__(self) -> str:
        from ._table import render_table

        problem = ""
        try:
            self._ensure_loaded()
        except LocationImportError as exc:
            problem = f"\n(locations failed: {exc})"
        rows = [(name, repr(obj)) for name, obj in sorted(self._objects.items())]
        return render_table(f"Registry of {self._label}", ("Names", "Objects"), rows) + problem

    # -- scopes ---------------------------------------------------------------------

    @staticmethod
    def split_scope_key(key: str) -> tuple[str | None, str]:
        """Split the first scope off a key.

        Example:
            >>> from scopereg import Registry
            >>> Registry.split_scope_key("mmdet.ResNet")
            ('mmdet', 'ResNet')
            >>> Registry.split_scope_key("ResNet")
            (None, 'ResNet')
        """
        if not isinstance(key, str):
            raise TypeError(f"key must be a str, got {type(key).__name__}: {key!r}")
        scope, sep, rest = key.partition(".")
        return (scope, rest) if sep else (None, key)

    @staticmethod
    def infer_scope() -> str:
        """The top-level package of the module that called the caller (as in MMEngine).

        ``Registry(...)`` uses it, through its own frame walk, when no scope is given.

        Example:
            >>> from scopereg import Registry
            >>> def make():
            ...     return Registry.infer_scope()
            >>> make() == __name__.partition(".")[0]
            True
        """
        try:
            frame: FrameType | None = sys._getframe(2)
        except ValueError:
            frame = None
        return _package_of(frame)

    def _scope_of_creator(self) -> str:
        frame: FrameType | None = sys._getframe(2)
        # Skip the __init__ of subclasses, so the scope is the package that creates the registry.
        while frame is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is self:
            frame = frame.f_back
        return _package_of(frame)

    @contextmanager
    def switch_scope_and_registry(self, scope: str | None) -> Iterator[Registry]:
        """Switch the default scope for a block and yield this tree's registry of it.

        The registry of ``scope`` in this tree is yielded when there is one, else this
        registry. A scope missing from the tree is first looked up among the installed
        distributions. ``None`` keeps the current default scope.

        Example:
            >>> from scopereg import Registry, DefaultScope
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> with MODELS.switch_scope_and_registry("alpha") as registry:
            ...     registry is ALPHA, DefaultScope.get_current_instance().scope_name
            (True, 'alpha')
        """
        if scope is not None:
            _check_scope_name(scope, "scope")
        with switch_scope(scope):
            current = current_scope()
            if current is None or current.scope_name == self._scope:
                yield self
            else:
                target = self._registry_for_scope(current.scope_name)
                yield self if target is None else target

    def _registry_for_scope(self, scope: str) -> Registry | None:
        """The registry of ``scope`` in this tree (cached), or None."""
        if scope == self._scope:
            return self
        try:
            return self._index.scope_targets[scope]
        except KeyError:
            generation = self._index.generation
            target = self._find_scope(scope)
            self._index.store_scope(scope, target, generation)
            return target

    def _find_scope(self, scope: str) -> Registry | None:
        if scope == self._scope:
            return self
        target = self._index.unique(scope)
        if target is None and scope not in self._index.by_scope and load_scope(scope):
            target = self._index.unique(scope)
        return target

    # -- lazy locations -------------------------------------------------------------

    def import_from_location(self) -> None:
        """Import this registry's ``locations`` now, if not done yet.

        Raises:
            LocationImportError: a location failed; it is tried again on the next use.

        Example:
            >>> from scopereg import Registry
            >>> FUNCS = Registry("function", scope="demo", locations=["json"])
            >>> FUNCS.import_from_location()
        """
        self._import_locations()

    def _ensure_loaded(self) -> bool:
        """Import the locations of this registry and its ancestors.

        Returns False when one of them is being imported by this very thread (a location
        module looking itself up): the view is then partial and must not be cached.
        """
        complete = True
        for registry in self._chain:
            if not registry._imported and not registry._import_locations():
                complete = False
        return complete

    def _import_locations(self) -> bool:
        # No lock is held across the imports: Python's own per-module import locks run
        # each module body once however many threads ask, and they resolve circular
        # imports between threads, which a lock of ours held here would turn into a
        # deadlock. Ours only guards the bookkeeping.
        from importlib import import_module

        me = _thread.get_ident()
        with self._import_lock:
            if self._imported:
                return True
            if me in self._loading_threads:
                return False  # a location module of ours is looking itself up
            self._loading_threads.add(me)
        complete = True
        try:
            for location in self._locations:
                try:
                    module = import_module(location)
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # SystemExit from a location must not end the host
                    raise LocationImportError(
                        f"{self._label} registry could not import its location "
                        f"{location!r}: {type(exc).__name__}: {exc}. It will be tried "
                        "again on the next use of the registry."
                    ) from exc
                # Another thread may still be running it (a circular import across threads).
                if getattr(getattr(module, "__spec__", None), "_initializing", False):
                    complete = False
        finally:
            with self._import_lock:
                self._loading_threads.discard(me)
        if complete:
            self._imported = True
            self._index.bump()
        return complete

    # -- lookup ---------------------------------------------------------------------

    def get(self, key: str) -> Any:
        """Return the object registered under ``key``, or None.

        - ``"Name"`` searches this registry, then its ancestors up to the root.
        - ``"scope.Name"`` searches the registry of that scope anywhere in the tree (an
          unknown scope is looked up among installed distributions first).
        - ``"a.b.Name"`` walks down from scope ``a`` to its child ``b``.

        Dotted import paths resolve only when an allowlist permits them.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> BETA = Registry("model", parent=MODELS, scope="beta")
            >>> @ALPHA.register_module()
            ... class LogSoftmax:
            ...     pass
            >>> BETA.get("alpha.LogSoftmax") is LogSoftmax, BETA.get("LogSoftmax")
            (True, None)
        """
        try:
            return self._cache[key]
        except (KeyError, TypeError):
            return self._lookup(key)

    def _lookup(self, key: object) -> Any:
        if not isinstance(key, str):
            raise TypeError(f"{self._label} registry keys are str, got {type(key).__name__}: {key!r}")
        generation = self._index.generation
        entry, complete = self._resolve(key)
        if entry is not None:
            if complete:
                self._index.store(self._cache, key, entry.obj, generation)
            return entry.obj
        if "." in key:
            # Never cached: whether a dotted path may be imported depends on the context.
            return import_if_allowed(key, self._allowed + context_patterns())
        if complete:
            self._index.store(self._cache, key, None, generation)
        return None

    def _resolve(self, key: str, *, warn: bool = True) -> tuple[Entry | None, bool]:
        """Find the entry for ``key``; the flag says whether every registry was loaded.

        ``warn=False`` follows deprecated names without warning (for checks, not lookups).
        """
        scope, dot, rest = key.partition(".")
        if not dot:
            return self._resolve_local(key, warn=warn)
        target = self._find_scope(scope)
        if target is None:
            return None, False
        while True:
            head, dot, tail = rest.partition(".")
            if not dot:
                return target._resolve_local(rest, warn=warn)
            child = target._children.get(head)
            if child is None:
                return None, False
            target, rest = child, tail

    def _resolve_local(
        self, name: str, seen: frozenset[str] = frozenset(), *, warn: bool = True
    ) -> tuple[Entry | None, bool]:
        complete = self._ensure_loaded()
        for registry in self._chain:
            entry = registry._entries.get(name)
            if entry is not None:
                return entry, complete
        for registry in self._chain:
            replacement = registry._deprecated.get(name)
            if replacement is not None and name not in seen:
                if warn:
                    registry._warn_deprecated(name, replacement)
                if "." in replacement:
                    entry = registry._resolve(replacement, warn=warn)[0]
                else:
                    entry = registry._resolve_local(replacement, seen | {name}, warn=warn)[0]
                return entry, False  # never cached, so that every first use warns
        return None, complete

    def _warn_deprecated(self, alias: str, replacement: str) -> None:
        if alias in self._warned:
            return
        self._warned.add(alias)
        warn_at_caller(
            f"{self._label}: {alias!r} is deprecated; use {replacement!r} instead.", DeprecatedNameWarning
        )

    def deprecate(self, alias: str, replacement: str) -> None:
        """Make ``alias`` a deprecated name of ``replacement``.

        Resolving the alias warns once (:class:`DeprecatedNameWarning`, naming the
        replacement, pointing at the caller's line) and gives the replacement's object.
        Listings (``module_dict``, ``len``, did-you-mean) do not show it. ``replacement``
        may be scoped; it must resolve from this registry now (which imports the
        registry's ``locations``), so register it first.

        Raises:
            NotRegisteredError: ``replacement`` resolves to nothing (with did-you-mean).
            DuplicateNameError: ``alias`` is already a name of this registry.

        Example:
            >>> import warnings
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="demo")
            >>> @MODELS.register_module()
            ... class ResNetV2:
            ...     pass
            >>> MODELS.deprecate("ResNet2", "ResNetV2")
            >>> with warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     MODELS.get("ResNet2") is ResNetV2, str(caught[0].message)
            (True, "demo::model: 'ResNet2' is deprecated; use 'ResNetV2' instead.")
        """
        _check_name(alias)
        if not isinstance(replacement, str) or not replacement:
            raise TypeError(f"replacement must be a registered name (str), got {replacement!r}")
        if replacement == alias:
            raise ValueError(f"{self._label}: {alias!r} cannot be a deprecated name of itself")
        self._check_alias_is_free(alias)
        if self._resolve(replacement, warn=False)[0] is None:
            missing = self._missing(replacement)
            raise NotRegisteredError(
                f"{self._label}: cannot make {alias!r} a deprecated name of {replacement!r}: {missing}",
                key=replacement,
                searched=missing.searched,
                suggestions=missing.suggestions,
            )
        with self._index.lock:
            self._check_alias_is_free(alias)  # again: resolving may have imported locations
            self._deprecated[alias] = replacement
            self._index.bump()

    def _check_alias_is_free(self, alias: str) -> None:
        if alias in self._entries or alias in self._deprecated:
            raise DuplicateNameError(f"{self._label}: {alias!r} is already a name in this registry")

    def validate(
        self,
        cfg: Mapping[str, Any],
        recursive: bool = True,
        *,
        default_args: Mapping[str, Any] | None = None,
        path: str = "",
    ) -> list[ConfigProblem]:
        """Check a whole config without constructing anything; return every problem.

        Each node's ``type`` must resolve (as a build would: scopes, ``_scope_``,
        ``_registry_``) and its keys must fit the callable's signature: no unknown keyword
        (unless it takes ``**kwargs``), no missing required argument (unless
        ``_partial_``). ``path`` prefixes the reported paths (``"model"`` gives
        ``"model.backbone.act_cfg.inplce"``).

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="demo")
            >>> @MODELS.register_module()
            ... class ReLU:
            ...     def __init__(self, inplace=False):
            ...         self.inplace = inplace
            >>> [p.path for p in MODELS.validate({"type": "ReLU", "inplce": True}, path="act")]
            ['act.inplce']
        """
        from ._nested import validate

        return validate(cfg, self, recursive=recursive, default_args=default_args, path=path)

    def which(self, key: str) -> Entry | None:
        """The entry ``key`` resolves to from this registry, with its provenance.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> @MODELS.register_module()
            ... def relu():
            ...     return "relu"
            >>> ALPHA.which("relu").registry is MODELS
            True
        """
        if not isinstance(key, str):
            raise TypeError(f"{self._label} registry keys are str, got {type(key).__name__}: {key!r}")
        return self._resolve(key)[0]

    def _walk(self) -> Iterator[Registry]:
        """This registry and all its descendants, depth first."""
        yield self
        for child in list(self._children.values()):
            yield from child._walk()

    def _missing(self, key: str, default_scope: Registry | None = None) -> NotRegisteredError:
        """The error for ``key`` missing here (and, first, in the default scope's registry)."""
        starts = [self] if default_scope is None or default_scope is self else [default_scope, self]
        searched: list[Registry] = []
        notes: list[str] = []
        scope, dot, rest = key.partition(".")
        for start in starts:
            target: Registry | None = start
            if dot:
                target = start._find_scope(scope)
                if target is None:
                    notes.append(self._scope_note(scope))
                    continue
                for head in rest.split(".")[:-1]:
                    target = target._children.get(head) if target is not None else None
            if target is not None:
                searched.extend(r for r in target._chain if r not in searched)
        if not dot:
            notes.extend(_undiscovered_note(key))
        suggestions = self._suggest(key, starts)
        if default_scope is None or default_scope is self:
            where = self._label
        else:
            where = f"{default_scope._label} (the default scope) nor in {self._label}"
        message = f"{key!r} is not registered in {where}."
        if searched:
            message += f" Searched {' -> '.join(r._label for r in searched)}."
        for note in dict.fromkeys(notes):
            message += f" Note: {note}."
        message += did_you_mean(suggestions)
        return NotRegisteredError(
            message,
            key=key,
            searched=[r._label for r in searched],
            suggestions=suggestions,
        )

    def _scope_note(self, scope: str) -> str:
        """Why the scope of a scoped key was not found (the entry points are read by then)."""
        failure = failure_of(scope)
        if failure is not None:
            return f"scope {scope!r} is declared, but {failure}"
        if len(self._index.by_scope.get(scope, ())) > 1:
            paths = sorted(r._path() for r in self._index.by_scope[scope])
            return f"scope {scope!r} is ambiguous in this tree: use one of {paths}"
        known = sorted(self._index.by_scope)
        listed = ", ".join(known) if len(known) <= 12 else f"{len(known)} scopes"
        hint = did_you_mean(scope_suggestions(scope, known), inline=True)
        where = f"scope {scope!r} is not in the {self._name!r} tree (scopes: {listed}){hint}"
        return f"{where}; {describe_declared()}"

    def _suggest(self, key: str, starts: Sequence[Registry]) -> list[str]:
        """Up to three close keys, from names already registered: an error path imports nothing.

        Registries whose ``locations`` were not imported yet offer what they hold so far;
        for a scoped key whose scope was not found, close declared scope names (read from
        the entry points, not imported) are offered with the same name.
        """
        visible = {r for start in starts for r in start._chain}
        by_name: dict[str, list[str]] = {}
        for registry in self.root._walk():
            for name in list(registry._entries):
                shown = name if registry in visible else f"{registry._path()}.{name}"
                by_name.setdefault(name, []).append(shown)
        suggestions: list[str] = []
        for name in close_matches(key.rpartition(".")[2], by_name):
            suggestions.extend(shown for shown in by_name[name] if shown != key)
        scope, dot, rest = key.partition(".")
        if dot and scope not in self._index.by_scope:
            undiscovered = set(declared_scope_names()) - set(self._index.by_scope)
            suggestions.extend(f"{near}.{rest}" for near in close_matches(scope, undiscovered))
        return list(dict.fromkeys(suggestions))[:3]

    # -- registration ---------------------------------------------------------------

    if TYPE_CHECKING:

        @overload
        def register_module(
            self, name: str | Sequence[str] | None = None, force: bool = False, module: None = None
        ) -> Callable[[_T], _T]: ...

        @overload
        def register_module(
            self, name: str | Sequence[str] | None = None, force: bool = False, *, module: _T
        ) -> _T: ...

    def register_module(
        self,
        name: str | Sequence[str] | None = None,
        force: bool = False,
        module: Any = None,
    ) -> Any:
        """Register a class or any callable, as a decorator or as a call.

        Args:
            name: the name(s) to register under; defaults to ``module.__name__``. A list
                registers every name, atomically: all of them or none.
            force: replace an existing entry of the same name. The new provenance
                records what it replaced.
            module: the object to register; omit it to use the method as a decorator.

        Raises:
            DuplicateNameError: the name holds another object and ``force`` is False.
                Registering the very same object again, or a new version of the same
                definition (a re-run notebook cell, a re-imported module), is not an error.
            TypeError: an argument has the wrong type.

        Example:
            >>> import functools
            >>> from scopereg import Registry
            >>> FUNCS = Registry("function", scope="demo")
            >>> @FUNCS.register_module(name=["add", "plus"])
            ... def add(a, b):
            ...     return a + b
            >>> FUNCS.register_module(name="inc", module=functools.partial(add, 1))
            functools.partial(<function add at ...>, 1)
            >>> FUNCS.build({"type": "plus", "a": 2, "b": 3})
            5
        """
        if not isinstance(force, bool):
            raise TypeError(f"force must be a bool, got {type(force).__name__}: {force!r}")
        names = _check_names(name)
        if module is not None:
            self._register(module, names, force, sys._getframe(1))
            return module

        def register(obj: _T) -> _T:
            self._register(obj, names, force, sys._getframe(1))
            return obj

        return register

    def _register(
        self, obj: Any, names: tuple[str, ...] | None, force: bool, frame: FrameType | None
    ) -> None:
        if not callable(obj):
            raise TypeError(
                f"{self._label}: only callables can be registered, got {type(obj).__name__}: {obj!r}"
            )
        if names is None:
            inferred = getattr(obj, "__name__", None)
            if not isinstance(inferred, str) or inferred == "<lambda>":
                raise TypeError(
                    f"{self._label}: cannot infer a name for {obj!r}; pass name=... to register_module"
                )
            names = (_check_name(inferred),)
        with self._index.lock:
            for name in names:
                if name in self._deprecated:
                    raise DuplicateNameError(
                        f"{self._label}: {name!r} is a deprecated name of {self._deprecated[name]!r}"
                    )
                existing = self._entries.get(name)
                if existing is not None and not force and not same_definition(existing.obj, obj):
                    new = describe(obj, frame)
                    raise DuplicateNameError(
                        f"{self._label}: {name!r} is already registered, by "
                        f"{existing.provenance.module}.{existing.provenance.qualname} "
                        f"({existing.provenance.location}); cannot register "
                        f"{new.module}.{new.qualname} ({new.location}) under it. Pass "
                        "force=True to replace it, or register under another name."
                    )
            for name in names:
                existing = self._entries.get(name)
                if existing is not None and existing.obj is obj and not force:
                    continue
                provenance = describe(
                    obj, frame, forced=force, replaced=None if existing is None else existing.provenance
                )
                self._entries[name] = Entry(name, obj, self, provenance)
                self._objects[name] = obj
            self._index.bump()

    # -- building -------------------------------------------------------------------

    def build(self, cfg: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        """Build an object from ``cfg`` with :attr:`build_func` (also ``build(cfg=...)``).

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="demo")
            >>> @MODELS.register_module()
            ... class Linear:
            ...     def __init__(self, width: int = 1) -> None:
            ...         self.width = width
            >>> MODELS.build(cfg={"type": "Linear"}, default_args={"width": 8}).width
            8
        """
        if args or kwargs:
            return self._build_func(cfg, *args, **kwargs, registry=self)
        fast = self._fast_build
        if fast is not None:
            return fast(cfg, self, None)  # the hot path: no keyword passing, no registry check
        return self._build_func(cfg, registry=self)


#: (build_from_cfg, build_checked), filled in by the _build module, which imports this one.
DEFAULT_BUILD: list[Callable[..., Any]] = []


def _package_of(frame: FrameType | None) -> str:
    module = frame.f_globals.get("__name__") if frame is not None else None
    if not isinstance(module, str) or not module:
        return "__main__"
    return module.partition(".")[0]


def _undiscovered_note(name: str) -> list[str]:
    """A note naming the declared scopes not imported yet: ``name`` may live in one of them."""
    pending = not_imported_yet()
    if not pending:
        return []
    shown = ", ".join(f"{scope!r} ({', '.join(dists)})" for scope, dists in list(pending.items())[:12])
    example = f"{next(iter(pending))}.{name}"
    return [
        f"scopes declared by installed distributions and not imported yet: {shown}; a key naming "
        f"one ({example!r}) or a default scope imports it"
    ]


#: Every live registry, so that a forked child can give each a fresh import lock.
_registries: weakref.WeakSet[Registry] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """Fresh import locks; imports other threads had in flight are retried by the child."""
    me = _thread.get_ident()
    gone: set[int] = set()
    for registry in list(_registries):
        registry._import_lock = _thread.allocate_lock()
        gone.update(registry._loading_threads - {me})
        registry._loading_threads.intersection_update({me})
    forget_imports_of(gone)


after_fork_in_child(_after_fork_in_child)
