"""Building the static index from the live trees: see :func:`scopereg.static_index`.

:class:`Builder` copies the root registries' trees (names already registered in the
process come from the live registries), then reads the source of every registry's
``locations`` (and of the not yet imported modules of the same package they import)
with ``scopereg._static_ast``. A name such as ``MODELS`` in a location file is matched to
a live registry by following its imports through ``sys.modules`` and the facts of other
files, never by importing.
"""

from __future__ import annotations

import sys
from collections import deque
from types import ModuleType

from ._static_ast import FUNCTION
from ._static_files import FactsCache, Source, find_source
from ._static_model import DynamicRegistration, IndexedEntry, IndexedRegistry, StaticIndex
from ._tree import RegistryNode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._declared import DeclaredScope

#: How many names (imports, aliases) the index follows to find which registry a name is.
MAX_HOPS = 12
#: At most this many source files are read for one index.
MAX_FILES = 20_000


class _ModuleName(str):
    """A module, named: the value of ``import x`` when ``x`` is not imported."""


class Builder:
    """One index: the live trees copied, then every location file read and matched."""

    def __init__(self, roots: dict[str, Any], declared: list[DeclaredScope], facts: FactsCache) -> None:
        self.live_roots = roots
        self.declared = declared
        self.cache = facts
        self.nodes: dict[int, IndexedRegistry] = {}  # id(live registry) -> its copy
        self.registries: set[int] = set()  # ids of every live registry met (in a tree or not)
        self.distributions = _distributions(declared)
        self.tops = set(self.distributions) | {name.partition(".")[0] for name in _all_locations(roots)}
        self.sources: dict[str, Source] = {}
        self.facts: dict[str, dict[str, Any] | None] = {}
        self.queue: deque[tuple[Source, IndexedRegistry]] = deque()
        self.read: set[str] = set()
        self.marked: set[tuple[int, str, int | None]] = set()

    def build(self) -> StaticIndex:
        roots = {public: self.copy_tree(public, root) for public, root in self.live_roots.items()}
        for root in roots.values():
            for node in root.walk():
                if not node.imported:
                    self.enqueue_locations(node)
        while self.queue and len(self.read) < MAX_FILES:
            source, owner = self.queue.popleft()
            self.read_file(source, owner)
        for _, owner in self.queue:  # left unread: the index would not be complete
            problem = f"more than {MAX_FILES:,} source files: the index stopped reading"
            if problem not in owner.problems:
                owner.problems.append(problem)
        return StaticIndex(roots, self.declared, files=len(self.read), parsed=self.cache.read_count)

    def files(self) -> list[str]:
        """Every source file this index read or consulted."""
        return sorted({source.path for source in self.sources.values() if source.path is not None})

    # -- the live trees --------------------------------------------------------------------

    def copy_tree(self, public: str, root: RegistryNode) -> IndexedRegistry:
        for node in root.walk():
            parent = None if node.parent is None else self.nodes[id(node.parent)]
            copy = IndexedRegistry(
                public,
                node.name,
                node.scope,
                node.path,
                locations=node._locations,
                parent=parent,
                imported=node._imported,
            )
            self.nodes[id(node)] = copy
            copy.deprecated.update(node._deprecated)
            for name, entry in list(node._entries.items()):
                provenance = entry.provenance
                copy.entries[name] = IndexedEntry(
                    name,
                    copy,
                    module=provenance.module,
                    qualname=provenance.qualname,
                    file=provenance.file,
                    line=provenance.line,
                    source="registered",
                    forced=provenance.forced,
                    distribution=self.distributions.get(provenance.module.partition(".")[0]),
                )
        return self.nodes[id(root)]

    def enqueue_locations(self, node: IndexedRegistry) -> None:
        for location in node.locations:
            source = self.source(location)
            if source.path is None:
                node.problems.append(f"location {location!r}: {source.problem}")
            else:
                self.queue.append((source, node))

    def source(self, module: str) -> Source:
        found = self.sources.get(module)
        if found is None:
            found = self.sources[module] = find_source(module)
        return found

    # -- one file ----------------------------------------------------------------------------

    def read_file(self, source: Source, owner: IndexedRegistry) -> None:
        assert source.path is not None
        facts = self.facts_of(source.module)
        if facts is None or "problem" in facts:  # every registry reaching the file fails to import
            problem = f"{source.path}: {'unreadable' if facts is None else facts['problem']}"
            if problem not in owner.problems:
                owner.problems.append(problem)
            return
        if source.path in self.read:
            return
        self.read.add(source.path)
        module, path = source.module, source.path
        for registration in facts.get("registrations", ()):
            self.register(module, path, registration, owner)
        for place in facts.get("dynamic", ()):
            self.dynamic(module, path, place, owner)
        for passed in facts.get("passes", ()):
            target = self.registry(module, passed["chain"])
            if target is not None:
                what = ".".join(passed["chain"])
                reason = (
                    f"{what} is passed to {passed['call']}(): what it registers is known only when it runs"
                )
                self.mark(target, path, passed["line"], reason)
        for deprecation in facts.get("deprecations", ()):
            target = self.registry(module, deprecation["target"])
            if target is not None and not target.imported:
                target.deprecated.setdefault(deprecation["alias"], deprecation["replacement"])
        self.follow(module, facts.get("imports", ()), owner)

    def follow(self, module: str, imports: Any, owner: IndexedRegistry) -> None:
        """Queue the modules of the same package it imports that have not run yet: they will."""
        top = module.partition(".")[0]
        for name in imports:
            if name.partition(".")[0] != top or name in sys.modules:
                continue
            source = self.source(name)
            if source.path is not None:
                self.queue.append((source, owner))

    def register(self, module: str, path: str, registration: dict[str, Any], owner: IndexedRegistry) -> None:
        target = self.registry(module, registration["target"])
        line = registration["call_line"]
        if target is None:
            if not self.is_foreign_registry(module, registration["target"]):
                what = ".".join(registration["target"])
                self.mark(owner, path, line, f"registers into {what}, a registry the index cannot tell")
            return
        if target.imported:
            return
        names, found = self.described(module, path, registration)
        if names is None:
            self.mark(target, path, line, "register_module(module=...): its name is known only at import")
            return
        for name in names:
            if name not in target.entries or registration["force"]:
                target.entries[name] = IndexedEntry(
                    name,
                    target,
                    **found,
                    registered_at=f"{path}:{line}",
                    forced=registration["force"],
                    conditional=registration["conditional"],
                    distribution=self.distributions.get(module.partition(".")[0]),
                )

    def described(
        self, module: str, path: str, registration: dict[str, Any]
    ) -> tuple[list[str] | None, dict[str, Any]]:
        """The names a registration gives (None: known only at import), and its object's
        module, qualname, file and line (of its definition when the index can see it, else of
        the registration)."""
        chain: list[str] = registration["object"]
        names: list[str] | None = registration["names"]
        head = self.binding(module, chain[0])
        where = {"file": path, "line": registration["call_line"]}
        if len(chain) == 1 and head is not None and head[0] == "def":
            return names or chain, {"module": module, "qualname": chain[0], "file": path, "line": head[1]}
        if len(chain) == 1 and head is not None and head[0] == "from":
            source, attribute = head[1], head[2]
            definition = self.binding(source, attribute)
            if definition is not None and definition[0] == "def" and self.source(source).path is not None:
                where = {"file": self.source(source).path, "line": definition[1]}
            return names or [attribute], {"module": source, "qualname": attribute, **where}
        if len(chain) > 1 and head is not None and head[0] == "module":
            module_name = ".".join([head[1], *chain[1:-1]])
            return names or [chain[-1]], {"module": module_name, "qualname": chain[-1], **where}
        return names, {"module": module, "qualname": ".".join(chain), **where}

    def dynamic(self, module: str, path: str, place: dict[str, Any], owner: IndexedRegistry) -> None:
        target = self.registry(module, place["target"]) if place.get("target") else None
        if target is not None:
            self.mark(target, path, place["line"], place["reason"])
        elif (
            place.get("kind") == "register"
            and place.get("context") != FUNCTION
            and not (place.get("target") and self.is_foreign_registry(module, place["target"]))
        ):
            self.mark(owner, path, place["line"], f"{place['reason']}, into a registry the index cannot tell")

    def mark(self, target: IndexedRegistry, path: str, line: int | None, reason: str) -> None:
        if target.imported or (id(target), path, line) in self.marked:
            return
        self.marked.add((id(target), path, line))
        target.dynamic.append(DynamicRegistration(target, path, line, reason))

    # -- which registry a name is ---------------------------------------------------------

    def registry(self, module: str, chain: list[str] | None) -> IndexedRegistry | None:
        """The indexed registry ``chain`` names in ``module``, or None."""
        value = self.resolve(module, chain) if chain else None
        return self.nodes.get(id(value)) if isinstance(value, RegistryNode) else None

    def is_foreign_registry(self, module: str, chain: list[str]) -> bool:
        """Whether ``chain`` names a live registry of no root tree (registrations there are not ours)."""
        return isinstance(self.resolve(module, chain), RegistryNode)

    def resolve(self, module: str, chain: list[str], hops: int = 0) -> object:
        value = self.name_in(module, chain[0], hops)
        for attribute in chain[1:]:
            if isinstance(value, _ModuleName):
                value = self.name_in(value, attribute, hops + 1)
            elif isinstance(value, ModuleType):
                value = self.name_in(getattr(value, "__name__", ""), attribute, hops + 1)
            else:
                return None
        return value

    def name_in(self, module: str, name: str, hops: int) -> object:
        """What ``name`` is in ``module``: a live object, a :class:`_ModuleName`, or None (unknown)."""
        if hops > MAX_HOPS:
            return None
        live = sys.modules.get(module)
        if live is not None:
            value = vars(live).get(name)  # never getattr: a module __getattr__ could import anything
            return value if value is not None else sys.modules.get(f"{module}.{name}")
        binding = self.binding(module, name)
        if binding is None:
            return None
        if binding[0] == "module":
            return sys.modules.get(binding[1]) or _ModuleName(binding[1])
        if binding[0] == "from":
            submodule = f"{binding[1]}.{binding[2]}"
            if submodule in sys.modules:
                return sys.modules[submodule]
            value = self.name_in(binding[1], binding[2], hops + 1)
            if value is None and self.facts_of(submodule) is not None:
                return _ModuleName(submodule)
            return value
        if binding[0] == "alias" and binding[1]:
            return self.resolve(module, binding[1], hops + 1)
        return None

    def binding(self, module: str, name: str) -> list[Any] | None:
        facts = self.facts_of(module)
        bindings = facts.get("bindings") if facts is not None else None
        found = bindings.get(name) if isinstance(bindings, dict) else None
        return found if isinstance(found, list) and found else None

    def facts_of(self, module: str) -> dict[str, Any] | None:
        """The facts of a module of an indexed package (never another's: torch is not read)."""
        if module in self.facts:
            return self.facts[module]
        found = None
        if module.partition(".")[0] in self.tops:
            source = self.source(module)
            if source.path is not None:
                found = self.cache.facts(source)
        self.facts[module] = found
        return found


def _distributions(declared: list[DeclaredScope]) -> dict[str, str]:
    """Top-level package -> the distribution declaring a scope with a module in it."""
    found: dict[str, str] = {}
    for item in declared:
        value = item.entry_point.partition("=")[2].strip()
        top = value.partition(":")[0].partition(".")[0].strip()
        if item.scope is not None and top:
            found.setdefault(top, item.distribution)
    return found


def _all_locations(roots: dict[str, Any]) -> list[str]:
    return [location for root in roots.values() for node in root.walk() for location in node._locations]
