"""``scopereg new NAME``: write a downstream package shaped like mmalpha, ready to install and test.

The package declares scope NAME through its entry point, creates one child registry per
root registry chosen (``--registries``), under those roots or under the registries of
another scope (``--parent``), with one example entry each, a README, and tests calling
:func:`scopereg.testing.check_scope`. The files come from templates shipped with
scopereg (see ``_scaffold``): no dependency beyond scopereg itself. Nothing is
overwritten: the package is written to a temporary folder next to its place, then moved
there in one step.
"""

from __future__ import annotations

import importlib
import importlib.util
import keyword
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

from scopereg import Registry, ScopeDiscoveryWarning, __version__, discover_scopes, root_registries
from scopereg.text import close_matches, did_you_mean, short_repr

from ._inventory import known_scopes, resolve_root
from ._new_arguments import DEFAULT_REGISTRIES
from ._new_arguments import ROOT_SCOPE as _ROOT_SCOPE
from ._output import USAGE, CliError, Report, Table
from ._scaffold import Spec, entry_name, package_files, parent_label
from ._siblings import Siblings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from scopereg import DeclaredScope

#: The longest NAME: it starts every class name and key of the package.
MAX_NAME = 20
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def new(
    name: str, parent: str = _ROOT_SCOPE, registries: str = DEFAULT_REGISTRIES, directory: str | None = None
) -> Report:
    """Write package ``name`` into ``directory``; the report says what was written and what to run next."""
    check_name(name)
    roots = chosen_roots(registries)
    folder = Path(directory) if directory is not None else _default_directory()
    target = folder / name
    if target.exists() or target.is_symlink():
        raise CliError(
            f"{target} already exists: scopereg new writes a new folder only", USAGE, path=str(target)
        )
    siblings = Siblings.read(folder)
    spec = Spec(name, f"Configurable parts registered in the scopereg scope '{name}'.", roots)
    spec.dependencies = [f"scopereg[torch]{bounds(__version__)}"]
    distribution = _parent_into(spec, parent)
    if distribution is not None:
        import importlib.metadata  # here: not for every command line, nor ``scopereg --help``

        spec.dependencies.append(f"{distribution}{bounds(importlib.metadata.version(distribution))}")
    spec.license = _license_text()
    needed = siblings.closure(["scopereg"] if distribution is None else ["scopereg", distribution])
    torch = _torch_version()
    if "scopereg" in needed:  # a monorepo like scopereg's: its URLs, hatch test from the sibling folders
        spec.urls = _urls(name)
        spec.hatch_test = siblings.hatch_pre_install(needed, torch)
    _write(target, package_files(spec))
    return _report(spec, target, siblings.install_command(needed, target, torch))


def _default_directory() -> Path:
    return Path("packages") if Path("packages").is_dir() else Path()


def check_name(name: str) -> None:
    """Raise a usage error unless ``name`` can be a new distribution, import package and scope."""
    problem = None
    if not _NAME.match(name):
        problem = "must be a lowercase Python identifier: a letter, then letters, digits or _"
    elif keyword.iskeyword(name) or name == _ROOT_SCOPE:
        problem = "is reserved"
    elif len(name) > MAX_NAME:
        problem = f"has {len(name)} characters: keep it to {MAX_NAME} (it starts every class name and key)"
    elif name in known_scopes() or name in {item.scope for item in _declared()}:
        problem = "is a scope already: an installed distribution declares it"
    else:
        problem = _importable(name)
    if problem is not None:
        what = "it is the distribution, the import package and the scope"
        raise CliError(f"NAME {short_repr(name, 60)} {problem}; {what}", USAGE)


def _importable(name: str) -> str | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    where = f" (from {spec.origin})" if spec.origin else ""
    return f"is a module that can be imported already{where}: the package would shadow it, or be shadowed"


def _declared() -> list[DeclaredScope]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScopeDiscoveryWarning)  # broken plug-ins are the doctor's business
        return list(discover_scopes())


def chosen_roots(registries: str) -> list[str]:
    """The public names of the roots in ``"MODELS,datasets,..."`` (any case, or registry names), in order."""
    names = [part.strip() for part in registries.split(",") if part.strip()]
    if not names:
        raise CliError("--registries names no registry: give root registries, as in MODELS,DATASETS", USAGE)
    return list(dict.fromkeys(resolve_root(name)[0] for name in names))


def bounds(version: str) -> str:
    """``">=0.1,<0.2"`` for ``0.1.3`` (0.x: a minor release may break), ``">=2.1,<3"`` for ``2.1.0``."""
    numbers = [int(part) for part in re.findall(r"\d+", version)[:2]] + [0, 0]
    major, minor = numbers[0], numbers[1]
    upper = f"0.{minor + 1}" if major == 0 else str(major + 1)
    return f">={major}.{minor},<{upper}"


def _parent_into(spec: Spec, parent: str) -> str | None:
    """Point the registries at ``parent``'s (where it has one of that root); the distribution declaring it."""
    if parent == _ROOT_SCOPE:
        return None
    declared = [item for item in _declared() if item.scope == parent]
    if not declared:
        known = {item.scope for item in _declared() if item.scope is not None}
        hint = did_you_mean(close_matches(parent, known))
        raise CliError(
            f"unknown --parent scope {short_repr(parent, 60)}: no installed distribution declares it.{hint}",
            USAGE,
        )
    item = declared[0]
    value = item.entry_point.partition("=")[2].strip().partition(":")[0]
    module = _import_parent(value, parent)
    roots = root_registries()
    for root in spec.roots:
        for variable, registry in sorted(vars(module).items()):
            if isinstance(registry, Registry) and registry.scope == parent and registry.root is roots[root]:
                spec.parents[root] = (value, variable)
                break
    if not spec.parents:
        chosen = ", ".join(spec.roots)
        raise CliError(f"scope {parent!r} has no registry under {chosen}: nothing to be a child of", USAGE)
    spec.parent_text = f"{parent}'s registries (where it has one) and scopereg's root registries"
    return item.distribution


def _import_parent(module: str, parent: str) -> object:
    try:
        return importlib.import_module(module)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a plug-in's fault, SystemExit included: one answer, not a traceback
        raise CliError(
            f"--parent {parent!r}: its module {module!r} failed to import: {type(exc).__name__}: {exc}"
        ) from exc


def _license_text() -> str | None:
    """scopereg's own LICENSE (Apache-2.0, as the template packages), from its installed metadata."""
    import importlib.metadata

    distribution = importlib.metadata.distribution("scopereg")
    for name in ("licenses/LICENSE", "LICENSE"):
        text = distribution.read_text(name)
        if text:
            return text
    return None


def _torch_version() -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version("torch").partition("+")[0]
    except importlib.metadata.PackageNotFoundError:
        return None


def _urls(name: str) -> list[tuple[str, str]]:
    """scopereg's Project-URLs, with ``Source`` pointing at the new package's folder."""
    urls = []
    import importlib.metadata

    for line in importlib.metadata.metadata("scopereg").get_all("Project-URL") or []:
        label, _, url = (part.strip() for part in line.partition(","))
        if label == "Source" and url.endswith("/core"):
            url = f"{url.rpartition('/')[0]}/{name}"
        urls.append((label, url))
    return urls


def _write(target: Path, files: dict[str, str]) -> None:
    """Write every file into a temporary folder beside ``target``, then move it there."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as exc:
        raise CliError(f"cannot write into {target.parent}: {exc}", USAGE) from exc
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.rename(staging, target)  # one step; fails if target appeared meanwhile with files in it
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _report(spec: Spec, target: Path, install: str) -> Report:
    rows = [
        (
            root,
            parent_label(spec, root),
            f"{spec.name}.{root.lower()}",
            f"{spec.name}.{entry_name(spec, root)}",
        )
        for root in spec.roots
    ]
    steps = [install, f"python -m pytest {target / 'tests'}", "scopereg doctor"]
    data = {
        "package": spec.name,
        "scope": spec.name,
        "path": str(target),
        "registries": [
            {"registry": root, "parent": parent, "location": location, "example": key}
            for root, parent, location, key in rows
        ],
        "dependencies": spec.dependencies,
        "license": spec.license is not None,
        "next": steps,
    }
    text = [f"Wrote {target}: scope {spec.name!r}, one example in each registry. Next:"]
    text += [f"  {step}" for step in steps]
    if spec.license is None:
        text.append("No LICENSE was copied (scopereg's metadata has none): add one.")
    if "torch==VERSION" in install:
        text.append(
            "Pick the torch version in that command: an unpinned torch may resolve a multi-GB CUDA build."
        )
    table = Table(f"{spec.name}: registries", ("registry", "parent", "location", "example"), rows)
    return Report(data, [table, *text])
