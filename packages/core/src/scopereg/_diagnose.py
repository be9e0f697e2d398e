"""Explaining a key: where it was looked for, what was found, what it hides, what was meant.

:func:`explain` gives the whole story of one key as a :class:`Resolution`; the error a
build raises for a missing name (:meth:`Resolution.error`) and the answer of
``scopereg which`` are both written from it, so they never disagree. Suggestions come
from the names the process already knows: nothing is imported to find them.
"""

from __future__ import annotations

from ._discovery import (
    declared_scope_names,
    describe_declared,
    failure_of,
    not_imported_yet,
    scope_suggestions,
)
from ._entries import check_free_alias, check_name
from ._errors import NotRegisteredError
from ._lookup import deprecation_note, resolve, scope_registry
from ._scope import check_scope_name, current_scope, switch_scope
from .text import close_matches, did_you_mean, short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

    from ._entries import Entry
    from ._tree import RegistryNode

#: More names to suggest from, for a registry's tree: functions giving name -> the keys that
#: reach it. ``scopereg._static`` adds the names its saved index holds for the declared scopes
#: not imported yet; like this module, they import nothing.
NAME_SOURCES: list[Callable[[RegistryNode], Mapping[str, list[str]]]] = []


class Resolution:
    """How a key resolves from a registry: where it was looked for, what it found, and why.

    Attributes:
        key: the key asked for.
        registry: the registry asked.
        default: the registry of the default scope, searched before ``registry``; None
            when no default scope is in force or it is ``registry`` itself.
        searched: the registries searched, in order, up to the one that holds the key.
        entry: the entry found, or None.
        notes: what else explains the answer: an unknown or ambiguous scope, a scope
            whose distribution failed to import, a deprecated name.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="root")
        >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
        >>> @MODELS.register_module()
        ... class ReLU:
        ...     pass
        >>> found = ALPHA.explain("ReLU")
        >>> [r.label for r in found.searched], found.entry.registry is MODELS
        (['alpha::model', 'root::model'], True)
    """

    __slots__ = ("default", "entry", "key", "notes", "registry", "searched")

    def __init__(
        self,
        key: str,
        registry: Any,
        *,
        default: Any,
        searched: tuple[RegistryNode, ...],
        entry: Entry | None,
        notes: tuple[str, ...],
    ) -> None:
        self.key = key
        self.registry = registry
        self.default = default
        self.searched = searched
        self.entry = entry
        self.notes = notes

    @property
    def found(self) -> bool:
        """Whether the key names a registered entry."""
        return self.entry is not None

    def shadows(self) -> list[Entry]:
        """Entries of the same name in the ancestors of the holder: the ones it hides."""
        if self.entry is None:
            return []
        return _same_name(self.entry, self.entry.registry._chain[1:])

    def shadowed_by(self) -> list[Entry]:
        """Entries of the same name in the descendants of the holder: the ones that hide it there."""
        if self.entry is None:
            return []
        return _same_name(self.entry, list(self.entry.registry.walk())[1:])

    def also_in(self) -> list[Entry]:
        """Entries of the same name elsewhere in the tree (neither ancestors nor descendants)."""
        if self.entry is None:
            return []
        holder = self.entry.registry
        related = set(holder._chain) | set(holder.walk())
        return _same_name(self.entry, [node for node in holder._chain[-1].walk() if node not in related])

    def aliases(self) -> list[str]:
        """Other names of the same object in the holder."""
        if self.entry is None:
            return []
        entry = self.entry
        return sorted(n for n, e in entry.registry._entries.items() if e.obj is entry.obj and n != entry.name)

    def reason(self) -> str:
        """Why the key resolved where it did, in one sentence."""
        if self.entry is None:
            return f"{self.key!r} is not registered in any registry searched"
        holder = self.entry.registry.label
        scope, dot, _ = self.key.partition(".")
        if dot:
            return f"the key names scope {scope!r}, so it resolves in that scope's registry, {holder}"
        order = " -> ".join(node.label for node in self.searched_from(self.entry))
        if self.entry.registry is self.searched[0]:
            return (
                f"{self.entry.name!r} is registered in {holder} itself, the first registry searched ({order})"
            )
        return f"an unscoped name is searched in {order}; the first holding {self.entry.name!r} is {holder}"

    def searched_from(self, entry: Entry) -> tuple[RegistryNode, ...]:
        """The whole search order of the start that found ``entry``."""
        for node in self.searched:
            if entry.registry in node._chain:
                return node._chain
        return self.searched

    def suggestions(self) -> list[str]:
        """Up to three registered keys that look like the key (for a key not found)."""
        return [] if self.entry is not None else suggest(self)

    def error(self) -> NotRegisteredError | None:
        """The error a build raises for this key, or None when it was found."""
        return None if self.entry is not None else not_registered(self)

    def __repr__(self) -> str:
        found = self.entry.key if self.entry is not None else "nothing"
        return f"Resolution({self.key!r} from {self.registry.label}: {found})"


def _same_name(entry: Entry, nodes: Iterable[RegistryNode]) -> list[Entry]:
    found = []
    for node in nodes:
        if node is entry.registry:
            continue
        other = node._entries.get(entry.name)
        if other is not None:
            found.append(other)
    return found


def explain(node: RegistryNode, key: str, default: RegistryNode | None = None) -> Resolution:
    """The :class:`Resolution` of ``key`` from ``node``, after ``default`` when it is another registry.

    Only registries that the search itself reaches are loaded.
    """
    if not isinstance(key, str):
        raise TypeError(f"{node.label} registry keys are str, got {type(key).__name__}: {key!r}")
    starts = [node] if default is None or default is node else [default, node]
    searched: list[RegistryNode] = []
    notes: list[str] = []
    entry: Entry | None = None
    for start in starts:
        target = _start_of(start, key, notes)
        if target is None:
            continue
        found, _ = resolve(start, key)
        for registry in target._chain:
            if registry not in searched:
                searched.append(registry)
            if found is not None and found.registry is registry:
                break
        if found is not None:
            entry = found
            notes.extend(_alias_notes(target, key, found))
            break
    if entry is None and "." not in key:
        notes.extend(_undiscovered_note(key))
    return Resolution(
        key,
        node,
        default=starts[0] if len(starts) > 1 else None,
        searched=tuple(searched),
        entry=entry,
        notes=tuple(notes),
    )


class switch_registry:  # noqa: N801 - a context manager used like a function
    """``Registry.switch_scope_and_registry``: the scope switched, this tree's registry of it."""

    def __init__(self, node: RegistryNode, scope: str | None) -> None:
        if scope is not None:
            check_scope_name(scope, "scope")
        self._node = node
        self._switch = switch_scope(scope)

    def __enter__(self) -> Any:
        self._switch.__enter__()
        current = current_scope()
        target = None if current is None else scope_registry(self._node, current.scope_name)
        return self._node if target is None else target

    def __exit__(self, *exc_info: object) -> None:
        self._switch.__exit__(*exc_info)


def explain_in_scope(node: RegistryNode, key: str, scope: str | None = None) -> Resolution:
    """:func:`explain` as a build in default scope ``scope`` (None: the current one) would resolve."""
    if scope is None:
        current = current_scope()
        scope = None if current is None else current.scope_name
    return explain(node, key, None if scope is None else scope_registry(node, scope))


def _start_of(start: RegistryNode, key: str, notes: list[str]) -> RegistryNode | None:
    """The registry whose chain a search of ``key`` from ``start`` walks; notes say why not."""
    scope, dot, rest = key.partition(".")
    if not dot:
        return start
    target = scope_registry(start, scope)
    if target is None:
        notes.append(_scope_note(start, scope))
        return None
    for head in rest.split(".")[:-1]:
        child = target._children.get(head)
        if child is None:
            return None  # no such registry: nothing was searched
        target = child
    return target


def _scope_note(node: RegistryNode, scope: str) -> str:
    """Why the scope of a scoped key was not found (the entry points are read by then)."""
    failure = failure_of(scope)
    if failure is not None:
        return f"scope {scope!r} is declared, but {failure}"
    index = node._index
    if len(index.by_scope.get(scope, ())) > 1:
        paths = sorted(other.path for other in index.by_scope[scope])
        return f"scope {scope!r} is ambiguous in this tree: use one of {paths}"
    known = sorted(index.by_scope)
    listed = ", ".join(known) if len(known) <= 12 else f"{len(known)} scopes"
    hint = did_you_mean(scope_suggestions(scope, known), inline=True)
    return f"scope {scope!r} is not in the {node.name!r} tree (scopes: {listed}){hint}; {describe_declared()}"


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


def _alias_notes(target: RegistryNode, key: str, entry: Entry) -> list[str]:
    name = key.rpartition(".")[2]
    if name == entry.name:
        return []
    for registry in target._chain:
        replacement = registry._deprecated.get(name)
        if replacement is not None:
            return [deprecation_note(registry, name, replacement)]
    return []


def check_deprecation(node: RegistryNode, alias: str, replacement: object) -> None:
    """Check that ``alias`` can become a deprecated name of ``replacement`` in ``node``.

    Raises:
        ValueError, TypeError: a malformed alias or replacement, or the alias itself.
        DuplicateNameError: ``alias`` is a name of ``node`` already.
        NotRegisteredError: ``replacement`` does not resolve from ``node``.
    """
    check_name(alias)
    if not isinstance(replacement, str) or not replacement:
        raise TypeError(f"replacement must be a registered name (str), got {replacement!r}")
    if replacement == alias:
        raise ValueError(f"{node.label}: {alias!r} cannot be a deprecated name of itself")
    check_free_alias(node, alias)
    if resolve(node, replacement, warn=False)[0] is not None:
        return
    missing = explain(node, replacement)
    raise NotRegisteredError(
        f"{node.label}: cannot make {alias!r} a deprecated name of {replacement!r}: {missing.error()}",
        key=replacement,
        searched=[registry.label for registry in missing.searched],
        suggestions=missing.suggestions(),
    )


def not_registered(resolution: Resolution) -> NotRegisteredError:
    """The error for a key that resolved to nothing."""
    suggestions = suggest(resolution)
    return NotRegisteredError(
        not_registered_message(resolution, suggestions),
        key=resolution.key,
        searched=[node.label for node in resolution.searched],
        suggestions=suggestions,
    )


def not_registered_message(resolution: Resolution, suggestions: list[str]) -> str:
    """MMEngine's sentence (``X is not in the scope::name registry. Please check...``), then ours.

    Ours: the registry asked when the default scope's registry came first, the registries
    searched, notes (an unknown, ambiguous or broken scope), and did-you-mean.
    """
    asked, default = resolution.registry, resolution.default
    first = asked if default is None else default
    key = resolution.key if len(resolution.key) <= 200 else short_repr(resolution.key, 200)
    message = (
        f"{key} is not in the {first.label} registry. Please check whether the value of `{key}` is "
        "correct or it was registered as expected."
    )
    if default is not None:
        message += f" Nor is it in {asked.label}, the registry asked ({first.label} is the default scope's)."
    if resolution.searched:
        message += f" Searched {' -> '.join(node.label for node in resolution.searched)}."
    for note in dict.fromkeys(resolution.notes):
        message += f" Note: {note}."
    return message + did_you_mean(suggestions)


def suggest(resolution: Resolution) -> list[str]:
    """Up to three registered keys that look like the one asked for, scoped where needed.

    Names in the registries searched are shown bare, names elsewhere in the tree with
    their scope; they come from what is registered so far (an error path imports
    nothing). For a scoped key whose scope was not found, close declared scope names
    (read from the entry points, not imported) are offered with the same name.
    """
    starts = (
        [resolution.registry] if resolution.default is None else [resolution.default, resolution.registry]
    )
    visible = {node for start in starts for node in start._chain}
    by_name: dict[str, list[str]] = {}
    index = resolution.registry._index
    for node in resolution.registry._chain[-1].walk():
        for name in list(node._entries):
            by_name.setdefault(name, []).append(name if node in visible else f"{node.path}.{name}")
    for source in NAME_SOURCES:
        for name, keys in source(resolution.registry).items():
            by_name.setdefault(name, []).extend(keys)
    key = resolution.key
    suggestions: list[str] = []
    for name in close_matches(key.rpartition(".")[2], by_name):
        suggestions.extend(shown for shown in by_name[name] if shown != key)
    scope, dot, rest = key.partition(".")
    if dot and scope not in index.by_scope:
        undiscovered = set(declared_scope_names()) - set(index.by_scope)
        suggestions.extend(f"{near}.{rest}" for near in close_matches(scope, undiscovered))
    return list(dict.fromkeys(suggestions))[:3]
