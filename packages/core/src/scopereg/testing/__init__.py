"""Test helpers for packages that declare scopes: a contract check and fake distributions.

- :func:`check_scope` checks that an installed package keeps the scope contract: its
  entry point loads, names the scope its registries use, its registries are children of
  root registries of the same name, their locations import, and what can be built with
  its defaults builds.
- :class:`FakeSite` installs throwaway distributions (a package and a ``.dist-info``
  with entry points) into a directory on ``sys.path``, as pip would.

With pytest, the ``fake_distribution`` and ``fresh_scopes`` fixtures come from the
``scopereg.testing.plugin`` plugin, registered for pytest when scopereg is installed.

Example:
    >>> from scopereg.testing import FakeSite, check_scope
    >>> registry_module = (
    ...     "import scopereg; "
    ...     "DOC = scopereg.Registry('model', parent=scopereg.MODELS, scope='docpkg')"
    ... )
    >>> with FakeSite() as site:
    ...     _ = site.install(
    ...         "docpkg",
    ...         {"docpkg/__init__.py": "", "docpkg/registry.py": registry_module},
    ...         scopes={"docpkg": "docpkg.registry"},
    ...     )
    ...     [registry.label for registry in check_scope("docpkg").registries]
    ['docpkg::model']
"""

from __future__ import annotations

import importlib
import inspect
import shutil
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

import scopereg
from scopereg import _discovery
from scopereg.text import close_matches, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any


class ScopeContractError(AssertionError):
    """A package breaks the scope contract; :attr:`problems` lists every breach."""

    def __init__(self, package: str, problems: list[str]) -> None:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{package} breaks the scopereg scope contract:\n{listing}")
        self.problems = problems


class ScopeCheck:
    """What :func:`check_scope` checked: the scope, its registries, and what it built."""

    __slots__ = ("built", "package", "registries", "scope", "skipped")

    def __init__(self, package: str, scope: str) -> None:
        self.package = package
        self.scope = scope
        self.registries: list[scopereg.Registry] = []
        self.built: list[str] = []  # keys built with their defaults
        self.skipped: list[str] = []  # keys that need arguments a check cannot invent

    def __repr__(self) -> str:
        return f"ScopeCheck({self.scope!r}: {len(self.registries)} registries, built {len(self.built)})"


def check_scope(package: str, *, build: bool = True, skip: Iterable[str] = ()) -> ScopeCheck:
    """Check the scope contract of the installed ``package`` (a distribution or import name).

    - exactly one ``scopereg.scopes`` entry point of the package, whose module imports;
    - the entry point's name is the scope of every registry the module defines;
    - each registry is named like a root registry (``"model"``, the name of ``MODELS``),
      is a child of that root (or of a registry of another scope in its tree, named the
      same), and its ``locations`` import;
    - with ``build``, every registered name whose callable needs no argument builds with
      its defaults (``skip`` lists keys to leave out).

    Raises:
        ScopeContractError: an AssertionError listing every problem found.
    """
    declared = [d for d in scopereg.discover_scopes() if _belongs(d, package)]
    if len(declared) != 1:
        found = ", ".join(d.entry_point for d in declared) or "none"
        raise ScopeContractError(package, [f"expected one 'scopereg.scopes' entry point, found {found}"])
    problems: list[str] = []
    check = ScopeCheck(package, declared[0].scope or "")
    module = _import_entry_point(declared[0].entry_point, problems)
    if module is not None:
        check.registries = _registries_of(module, check.scope, problems)
    for registry in check.registries:
        _check_registry(registry, check, problems, build=build, skip=set(skip))
    if problems:
        raise ScopeContractError(package, problems)
    return check


def _belongs(declared: scopereg.DeclaredScope, package: str) -> bool:
    module = declared.entry_point.partition("=")[2].strip()
    return declared.distribution == package or module.partition(".")[0] == package


def _import_entry_point(entry_point: str, problems: list[str]) -> Any:
    target = entry_point.partition("=")[2].strip().partition(":")[0]
    try:
        return importlib.import_module(target)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        problems.append(f"entry point {entry_point!r} does not import: {type(exc).__name__}: {exc}")
        return None


def _registries_of(module: Any, scope: str, problems: list[str]) -> list[scopereg.Registry]:
    """The registries the module defines.

    The parents it imports are not its own (the roots, another scope's registries),
    unless they are in its scope (the roots, for scopereg's own entry point).
    """
    roots = scopereg.root_registries()
    root_ids = {id(root) for root in roots.values()}
    found = {id(value): value for value in vars(module).values() if isinstance(value, scopereg.Registry)}
    parents = {id(value.parent) for value in found.values()}
    registries = [
        value
        for key, value in found.items()
        if value.scope == scope or (key not in root_ids and key not in parents)
    ]
    if not registries:
        problems.append(f"{module.__name__} defines no Registry")
    for registry in registries:
        if registry.scope != scope:
            problems.append(
                f"{registry.label} is in scope {registry.scope!r}, but the entry point declares {scope!r}: "
                "name the entry point after the scope"
            )
        if id(registry) not in root_ids:
            problems.extend(_placement_problems(registry, roots))
    return registries


def _placement_problems(registry: scopereg.Registry, roots: dict[str, scopereg.Registry]) -> list[str]:
    """A registry's name must be a root's, and the registry must sit in that root's tree.

    Its parent is the root itself (``parent=scopereg.MODELS``) or, a level deeper, a
    registry of another scope in the same tree (``parent=mmalpha.registry.MODELS``).
    """
    by_name = {root.name: public for public, root in roots.items()}
    public = by_name.get(registry.name)
    if public is None:
        hint = did_you_mean(close_matches(registry.name, by_name), inline=True)
        return [
            f"{registry.label}: {registry.name!r} is the name of no root registry{hint} "
            f"(root names: {', '.join(sorted(by_name))})"
        ]
    ancestors: list[scopereg.Registry] = []
    node = registry.parent
    while node is not None and len(ancestors) <= scopereg.MAX_DEPTH:
        ancestors.append(node)
        node = node.parent
    if not ancestors or ancestors[-1] is not roots[public]:
        return [f"{registry.label} should be a child of scopereg.{public} (or of a registry in its tree)"]
    misnamed = [parent.label for parent in ancestors if parent.name != registry.name]
    if misnamed:
        return [
            f"{registry.label} is under {', '.join(misnamed)}: every registry above it should be named "
            f"{registry.name!r}"
        ]
    return []


def _check_registry(
    registry: scopereg.Registry, check: ScopeCheck, problems: list[str], *, build: bool, skip: set[str]
) -> None:
    try:
        entries = registry.entries()
    except scopereg.LocationImportError as exc:
        problems.append(str(exc))
        return
    if not build:
        return
    for name, entry in sorted(entries.items()):
        key = entry.key
        if key in skip or name in skip:
            continue
        if not _needs_no_argument(entry.obj):
            check.skipped.append(key)
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # deprecations of the built classes are not the contract
                registry.build({"type": name})
        except Exception as exc:
            problems.append(f"{key} does not build with its defaults: {type(exc).__name__}: {exc}")
        else:
            check.built.append(key)


def _needs_no_argument(obj: Any) -> bool:
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return False
    optional = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return all(p.default is not p.empty or p.kind in optional for p in parameters)


class FakeSite:
    """A directory on ``sys.path`` holding fake installed distributions.

    Each :meth:`install` writes a package's files and a ``<name>-<version>.dist-info``
    (``METADATA``, ``entry_points.txt``), which ``importlib.metadata`` reads as it reads
    an installed wheel, and makes scopereg read the entry points again. :meth:`close`
    removes the directory from ``sys.path``, forgets the modules imported from it and
    makes scopereg read the entry points again.

    Example:
        >>> from scopereg.testing import FakeSite
        >>> with FakeSite() as site:
        ...     _ = site.install("fake-doc", {"fake_doc/__init__.py": "VALUE = 1"})
        ...     import fake_doc
        ...     fake_doc.VALUE
        1
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self._owned = path is None
        self.path = Path(tempfile.mkdtemp(prefix="scopereg-site-")) if path is None else Path(path)
        self.packages: set[str] = set()
        sys.path.insert(0, str(self.path))
        reset_discovery()

    def install(
        self,
        name: str,
        files: Mapping[str, str],
        *,
        scopes: Mapping[str, str] | None = None,
        entry_points: str | None = None,
        top_level: bool = False,
        version: str = "1.0",
    ) -> Path:
        """Install distribution ``name``: ``files`` (path -> source), ``scopes`` (scope -> module).

        ``entry_points`` replaces the generated ``entry_points.txt`` text (for broken
        metadata). ``top_level`` also writes ``top_level.txt``. Returns the dist-info path.
        """
        self.add_files(files)
        dist_info = self.path / f"{name.replace('-', '_')}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        if entry_points is None:
            lines = [f"{scope} = {module}" for scope, module in (scopes or {}).items()]
            entry_points = "[scopereg.scopes]\n" + "\n".join(lines) + "\n" if lines else ""
        (dist_info / "entry_points.txt").write_text(entry_points)
        if top_level:
            (dist_info / "top_level.txt").write_text("\n".join(sorted(self.packages)) + "\n")
        importlib.invalidate_caches()
        reset_discovery()
        return dist_info

    def add_files(self, files: Mapping[str, str]) -> None:
        """Write modules (path -> source, dedented) that no distribution declares."""
        for relative, source in files.items():
            target = self.path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(source))
            self.packages.add(Path(relative).parts[0].removesuffix(".py"))
        importlib.invalidate_caches()

    def forget_modules(self) -> None:
        """Forget the modules imported from this site, so that they import afresh."""
        for module in list(sys.modules):
            if module.partition(".")[0] in self.packages:
                del sys.modules[module]

    def close(self) -> None:
        """Uninstall everything: off ``sys.path``, modules forgotten, entry points read again."""
        self.forget_modules()
        if str(self.path) in sys.path:
            sys.path.remove(str(self.path))
        if self._owned:
            shutil.rmtree(self.path, ignore_errors=True)
        importlib.invalidate_caches()
        reset_discovery()

    def __enter__(self) -> FakeSite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def reset_discovery() -> None:
    """Make scopereg read the installed entry points again on the next question.

    Example:
        >>> from scopereg.testing import reset_discovery
        >>> reset_discovery()
    """
    _discovery._reset()


__all__ = ["FakeSite", "ScopeCheck", "ScopeContractError", "check_scope", "reset_discovery"]
