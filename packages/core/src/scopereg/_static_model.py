"""What the static index holds: registries, the names read for them, and what it cannot read.

Plain objects, built by ``scopereg._static`` and read by the command line; they refer to
no live registry, so that an index can also be saved and read back.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ._declared import DeclaredScope


class IndexedEntry:
    """A name the index found in a registry, and where it comes from.

    Attributes:
        name: the registered name.
        registry: the :class:`IndexedRegistry` that holds it.
        module, qualname: the object (``mmalpha.models``, ``MLP``); for an object imported
            into the registering file, the module it is imported from.
        file, line: where the object is defined when the registering file defines it,
            else where it is registered.
        registered_at: ``file:line`` of the registration.
        forced: registered with ``force=True``.
        conditional: registered in an ``if`` or ``try`` block, so maybe not at all.
        source: ``"static"`` (read from source) or ``"registered"`` (already registered in
            this process: a live entry).
        distribution: the distribution whose file registers it (the one declaring the
            scope of that file's package), when known.

    Example:
        >>> from scopereg import IndexedEntry, IndexedRegistry
        >>> models = IndexedRegistry("MODELS", "model", "demo", "demo")
        >>> entry = IndexedEntry("Net", models, module="demo.models", qualname="Net", file="m.py", line=3)
        >>> entry.key, entry.object, entry.location
        ('demo.Net', 'demo.models.Net', 'm.py:3')
    """

    __slots__ = (
        "conditional",
        "distribution",
        "file",
        "forced",
        "line",
        "module",
        "name",
        "qualname",
        "registered_at",
        "registry",
        "source",
    )

    def __init__(
        self,
        name: str,
        registry: IndexedRegistry,
        *,
        module: str,
        qualname: str,
        file: str | None = None,
        line: int | None = None,
        source: str = "static",
        registered_at: str | None = None,
        forced: bool = False,
        conditional: bool = False,
        distribution: str | None = None,
    ) -> None:
        self.name = name
        self.registry = registry
        self.module = module
        self.qualname = qualname
        self.file = file
        self.line = line
        self.source = source
        self.registered_at = registered_at
        self.forced = forced
        self.conditional = conditional
        self.distribution = distribution

    @property
    def key(self) -> str:
        """The scoped key that reaches this entry from anywhere in its tree."""
        return f"{self.registry.path}.{self.name}"

    @property
    def object(self) -> str:
        """``module.qualname``."""
        return f"{self.module}.{self.qualname}" if self.module else self.qualname

    @property
    def location(self) -> str:
        """``file:line``, or whatever part of it is known."""
        if self.file is None:
            return "<unknown>"
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def __repr__(self) -> str:
        return f"IndexedEntry({self.key!r}, {self.object}, {self.location})"


class DynamicRegistration:
    """A place that registers names the index cannot read: a loop, a computed name, a registry passed on.

    Attributes:
        registry: the :class:`IndexedRegistry` it registers into (or whose location it is).
        file, line: where it is.
        reason: what the index saw there.

    Example:
        >>> from scopereg import DynamicRegistration, IndexedRegistry
        >>> models = IndexedRegistry("MODELS", "model", "demo", "demo")
        >>> models.dynamic.append(DynamicRegistration(models, "models.py", 12, "register_module() in a loop"))
        >>> models.dynamic[0].location, models.complete
        ('models.py:12', False)
    """

    __slots__ = ("file", "line", "reason", "registry")

    def __init__(self, registry: IndexedRegistry, file: str, line: int | None, reason: str) -> None:
        self.registry = registry
        self.file = file
        self.line = line
        self.reason = reason

    @property
    def location(self) -> str:
        """``file:line``."""
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def __repr__(self) -> str:
        return f"DynamicRegistration({self.registry.label} at {self.location}: {self.reason})"


class IndexedRegistry:
    """One registry of the index: its place in the tree, the names read for it, what is missing.

    Attributes:
        public: the public name of its root registry (``"MODELS"``).
        name, scope, path, label: as the live :class:`~scopereg.Registry` has them.
        parent, children: its place in the tree (children by scope).
        locations: the modules that fill it.
        entries: the names found, by name.
        deprecated: deprecated names, to their replacements.
        dynamic: the :class:`DynamicRegistration` places of its locations.
        problems: why part of it could not be read (a location without source, a syntax error).
        imported: its locations were imported in this process: ``entries`` are the live ones.

    Example:
        >>> from scopereg import IndexedRegistry
        >>> models = IndexedRegistry("MODELS", "model", "root", "root")
        >>> alpha = IndexedRegistry("MODELS", "model", "alpha", "alpha", parent=models)
        >>> [node.label for node in alpha.chain], [node.scope for node in models.walk()]
        (['alpha::model', 'root::model'], ['root', 'alpha'])
    """

    __slots__ = (
        "children",
        "deprecated",
        "dynamic",
        "entries",
        "imported",
        "label",
        "locations",
        "name",
        "parent",
        "path",
        "problems",
        "public",
        "scope",
    )

    def __init__(
        self,
        public: str,
        name: str,
        scope: str,
        path: str,
        *,
        locations: tuple[str, ...] = (),
        parent: IndexedRegistry | None = None,
        imported: bool = False,
    ) -> None:
        self.public = public
        self.name = name
        self.scope = scope
        self.path = path
        self.label = f"{scope}::{name}"
        self.locations = locations
        self.parent = parent
        self.children: dict[str, IndexedRegistry] = {}
        self.entries: dict[str, IndexedEntry] = {}
        self.deprecated: dict[str, str] = {}
        self.dynamic: list[DynamicRegistration] = []
        self.problems: list[str] = []
        self.imported = imported
        if parent is not None:
            parent.children[scope] = self

    @property
    def complete(self) -> bool:
        """Whether :attr:`entries` are all its names: imported, or nothing dynamic and no problem."""
        return self.imported or not (self.dynamic or self.problems)

    @property
    def chain(self) -> list[IndexedRegistry]:
        """This registry and its ancestors, up to the root: the search order of an unscoped name."""
        chain: list[IndexedRegistry] = []
        node: IndexedRegistry | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def walk(self) -> Iterator[IndexedRegistry]:
        """This registry and its descendants, depth first, parents before children."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(node.children.values())))

    def __repr__(self) -> str:
        return f"IndexedRegistry({self.label}: {len(self.entries)} names, {len(self.dynamic)} dynamic)"


class StaticIndex:
    """What every installed scope registers, read from source: see :func:`scopereg.static_index`.

    Attributes:
        roots: the root registries' trees, by public name (``"MODELS"``).
        scopes: the declared scopes (:class:`~scopereg.DeclaredScope`, with their errors).
        files: how many source files were read, and ``parsed`` of them not from the cache.
        cached: whether the whole index came from the cache (nothing was imported).

    Example:
        >>> from scopereg import static_index
        >>> index = static_index()
        >>> sorted(index.roots["FUNCTIONS"].entries), "scopereg" in {item.scope for item in index.scopes}
        (['default_collate'], True)
    """

    __slots__ = ("cached", "files", "parsed", "roots", "scopes")

    def __init__(
        self,
        roots: dict[str, IndexedRegistry],
        scopes: list[DeclaredScope],
        *,
        files: int = 0,
        parsed: int = 0,
        cached: bool = False,
    ) -> None:
        self.roots = roots
        self.scopes = scopes
        self.files = files
        self.parsed = parsed
        self.cached = cached

    def registries(self) -> Iterator[IndexedRegistry]:
        """Every registry of every tree, root by root."""
        for root in self.roots.values():
            yield from root.walk()

    def __repr__(self) -> str:
        names = sum(len(node.entries) for node in self.registries())
        return f"StaticIndex({len(self.roots)} roots, {names} names, {self.files} files)"
