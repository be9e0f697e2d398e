"""The public view of scope discovery: what is declared, and the program's own declarations."""

from __future__ import annotations

from . import _discovery
from ._discovery import declare, distribution_name, failed_entry_points, load_scope
from ._scope import check_scope_name


class DeclaredScope:
    """A scope an installed distribution declares through the ``scopereg.scopes`` entry points.

    Attributes:
        scope: the scope name (the entry point's name); None for a distribution whose
            entry points could not be read at all (``entry_point`` is then
            ``"entry_points.txt"`` and ``error`` says why).
        distribution: the distribution that declares it.
        entry_point: ``"name = value"``, as written in the distribution's metadata.
        error: why its module failed to import, when it was tried and failed; else None.

    Example:
        >>> from scopereg import discover_scopes
        >>> [declared.distribution for declared in discover_scopes() if declared.scope == "scopereg"]
        ['scopereg']
    """

    __slots__ = ("distribution", "entry_point", "error", "scope")

    def __init__(self, scope: str | None, distribution: str, entry_point: str, error: str | None) -> None:
        self.scope = scope
        self.distribution = distribution
        self.entry_point = entry_point
        self.error = error

    def __repr__(self) -> str:
        failed = "" if self.error is None else f", failed: {self.error}"
        return f"DeclaredScope({self.scope!r} by {self.distribution}: {self.entry_point}{failed})"


def discover_scopes(*, load: bool = False) -> list[DeclaredScope]:
    """Every scope the installed distributions declare, one item per entry point, by scope.

    With ``load=True`` each declared scope's module is imported first (as a config
    naming the scope would), so that :attr:`DeclaredScope.error` says which ones fail;
    failures also warn once (:class:`~scopereg.ScopeDiscoveryWarning`), as always.

    Example:
        >>> from scopereg import discover_scopes
        >>> "scopereg" in {declared.scope for declared in discover_scopes()}
        True
    """
    declared = _discovery.declared_scopes()
    if load:
        for scope in sorted(declared):
            load_scope(scope)
    failures = failed_entry_points()
    found = [
        DeclaredScope(None, key.partition(": ")[0], "entry_points.txt", error)
        for key, error in failures.items()
        if key.endswith(": entry_points.txt")  # a distribution whose metadata could not be read
    ]
    for scope in sorted(declared):
        for ep in declared[scope]:
            entry_point = f"{ep.name} = {ep.value}"
            error = failures.get(f"{distribution_name(ep)}: {entry_point}")
            found.append(DeclaredScope(scope, distribution_name(ep), entry_point, error))
    return found


def declare_scope(scope: str, module: str) -> None:
    """Declare, from the program, that ``module`` provides scope ``scope`` (e.g. ``mmdet.registry``).

    For packages that have no ``scopereg.scopes`` entry point yet (every OpenMMLab package
    before it migrates): the module is imported the first time a key, ``_scope_`` or the
    default scope names the scope, exactly as an installed entry point would be. Only the
    program declares scopes: a config never does. ``scopereg doctor`` lists the
    declarations (``--declare-scope SCOPE=MODULE`` on the command line).

    Raises:
        TypeError, ValueError: ``scope`` is not a scope name, or ``module`` not a dotted
            module name.

    Example:
        >>> import scopereg
        >>> scopereg.declare_scope("mmdet_doc", "json")
        >>> [d.distribution for d in scopereg.discover_scopes() if d.scope == "mmdet_doc"]
        ['<declared by the program>']
    """
    check_scope_name(scope, "declare_scope scope")
    if not isinstance(module, str) or not all(part.isidentifier() for part in module.split(".")):
        raise ValueError(
            f"declare_scope module must be a dotted module name such as 'mmdet.registry', got {module!r}"
        )
    declare(scope, module)
