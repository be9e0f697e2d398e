"""The static name index: what every installed scope registers, without importing its locations.

:func:`static_index` imports each declared scope's registry module (which imports only
scopereg, by the scope contract), walks the root registries' trees, and reads the source
of every registry's ``locations`` (and of the not yet imported modules of the same
package they import) with ``scopereg._static_ast``. A name such as ``MODELS`` in a
location file is matched to a live registry by following its imports through
``sys.modules``, never by importing.

Registrations that only running the code would reveal (a loop, a computed name, a
registry passed to a helper such as ``register_classes``) are listed as
:class:`~scopereg.DynamicRegistration` places, not guessed. Names already registered in
the process (a registry module's own, or everything of a registry whose locations were
imported) are taken from the live registry.
"""

from __future__ import annotations

import sys
import warnings

from ._declared import DeclaredScope, discover_scopes
from ._diagnose import NAME_SOURCES
from ._errors import ScopeDiscoveryWarning
from ._roots import root_registries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._static_model import StaticIndex
    from ._tree import RegistryNode

#: The saved index, read once per process for suggestions (empty: not read yet).
_SAVED: list[StaticIndex | None] = []


def static_index(*, cache: bool = True) -> StaticIndex:
    r"""What every installed scope registers, read from source: no location module is imported.

    The declared scopes' registry modules are imported (they import only scopereg); the
    source of each registry's locations is read with :mod:`ast` and cached by path, size
    and modification time (``cache=False``: read every file). Names that only running the
    code would reveal are listed as dynamic registrations, with where they are.

    Example:
        >>> import sys
        >>> from scopereg import static_index
        >>> from scopereg.testing import FakeSite
        >>> registry = (
        ...     "import scopereg\n"
        ...     "MODELS = scopereg.Registry('model', parent=scopereg.MODELS, scope='docidx',"
        ...     " locations=['docidx.models'])\n"
        ... )
        >>> models = "from .registry import MODELS\n@MODELS.register_module()\nclass Net: ...\nexit(1)"
        >>> files = {"docidx/__init__.py": "", "docidx/registry.py": registry, "docidx/models.py": models}
        >>> with FakeSite() as site:
        ...     _ = site.install("docidx", files, scopes={"docidx": "docidx.registry"})
        ...     net = static_index(cache=False).roots["MODELS"].children["docidx"].entries["Net"]
        >>> net.key, net.object, net.line, "docidx.models" in sys.modules
        ('docidx.Net', 'docidx.models.Net', 2, False)
    """
    from . import _static_snapshot as snapshot  # the index's modules load when an index is asked for
    from ._static_files import FactsCache, cache_dir

    roots = root_registries()
    directory = cache_dir() if cache else None
    fresh = directory is not None and snapshot.pristine(roots)
    if fresh:
        saved = snapshot.load(directory, roots)  # type: ignore[arg-type]  # fresh: a directory
        if saved is not None:
            return saved
    from ._static_build import Builder  # and the reader only when something must be read

    before = set(sys.modules)
    declared = _load_declared_scopes()
    imported = [module for name, module in list(sys.modules.items()) if name not in before]
    facts = FactsCache(directory)
    builder = Builder(roots, declared, facts)
    index = builder.build()
    facts.save()
    if fresh:
        ours = [module for name, module in list(sys.modules.items()) if name.startswith("scopereg.")]
        files = [
            *builder.files(),
            *(getattr(module, "__file__", None) or "" for module in [*imported, *ours]),
        ]
        snapshot.save(directory, roots, index, [file for file in files if file])  # type: ignore[arg-type]
    return index


def _load_declared_scopes() -> list[DeclaredScope]:
    """Import every declared scope's registry module; failures are in the answer, not warned."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScopeDiscoveryWarning)
        return discover_scopes(load=True)


def names_not_imported(node: RegistryNode) -> dict[str, list[str]]:
    """Names of the saved index in the scopes ``node``'s tree does not have yet: name -> scoped keys.

    What did-you-mean suggestions add to the names a process knows. Only a saved index is
    read (see ``scopereg._static_snapshot``): nothing is imported and no source is read, so
    with no index saved for this environment there is nothing to add.
    """
    try:
        root = node._chain[-1]
        public = next((name for name, registry in root_registries().items() if registry is root), None)
        index = _saved_index()
        if public is None or index is None or public not in index.roots:
            return {}
        present = set(root._index.by_scope)
        found: dict[str, list[str]] = {}
        for registry in index.roots[public].walk():
            if registry.scope not in present:
                for name in registry.entries:
                    found.setdefault(name, []).append(f"{registry.path}.{name}")
        return found
    except Exception:  # a hint, never a new failure on an error path
        return {}


def _saved_index() -> StaticIndex | None:
    if not _SAVED:
        from . import _static_snapshot as snapshot
        from ._static_files import cache_dir

        directory = cache_dir()
        _SAVED.append(None if directory is None else snapshot.load(directory, root_registries()))
    return _SAVED[0]


NAME_SOURCES.append(names_not_imported)
