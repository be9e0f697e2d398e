"""Sessions for the scopereg monorepo: ``nox -l`` lists them.

torch is always pinned: an unpinned torch resolves a multi-GB CUDA build. Here (and by
default) the torch sessions run the pairs of ``LOCAL_TORCH``; the GitHub workflow sets
GITHUB_ACTIONS and gets the wider ``GITHUB_TORCH`` table, with torch from the CPU index.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["tests", "lint", "typecheck", "integration"]

ROOT = Path(__file__).parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
CORE, ALPHA, BETA = "packages/core", "packages/mmalpha", "packages/mmbeta"
TOOLS = {
    "pytest": "pytest>=8",
    "hypothesis": "hypothesis>=6.100",
    "ruff": "ruff>=0.6",
    "mypy": "mypy>=1.11",
    "numpy": "numpy>=1.26",  # torch warns at import without it
    "rich": "rich>=13",
}

#: (python, torch) pairs: the ones this machine runs, and the GitHub workflow's table.
LOCAL_TORCH = [("3.11", "2.13.0")]
GITHUB_TORCH = [("3.10", "2.8.0"), ("3.11", "2.13.0"), ("3.12", "2.13.0"), ("3.13", "2.13.0")]
TORCH_MATRIX = GITHUB_TORCH if os.environ.get("GITHUB_ACTIONS") == "true" else LOCAL_TORCH
TORCH_IDS = [f"{python}-torch{torch}" for python, torch in TORCH_MATRIX]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Core unit tests and doctests, without torch, from an installed (non-editable) scopereg.

    The newest Python also installs rich (``scopereg[cli]``), so that both the plain-text
    and the rich rendering are tested.
    """
    extras = "yaml,toml,cli" if session.python == PYTHONS[-1] else "yaml,toml"
    session.install(f"{CORE}[{extras}]", TOOLS["pytest"], TOOLS["hypothesis"])
    session.run(
        "python", "-m", "pytest", f"{CORE}/tests", "--ignore", f"{CORE}/tests/torch",
        "--doctest-modules", "--pyargs", "scopereg", "--ignore-glob", "*/scopereg/torch/*",
        *session.posargs,
    )  # fmt: skip
    session.run("python", "-c", "import sys, scopereg; assert 'torch' not in sys.modules")


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole repository."""
    session.install(TOOLS["ruff"])
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHONS)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the core sources, on every supported Python."""
    session.install(f"{CORE}[cli,toml,yaml]", "types-PyYAML", TOOLS["mypy"])
    session.run("mypy", "--strict", "--python-version", session.python, f"{CORE}/src")


@nox.session
@nox.parametrize(("python", "torch"), TORCH_MATRIX, ids=TORCH_IDS)
def typecheck_packages(session: nox.Session, torch: str) -> None:
    """mypy --strict on mmalpha, mmbeta and the demo, with torch's own types."""
    session.install(f"torch=={torch}", TOOLS["numpy"], TOOLS["rich"], TOOLS["mypy"])
    session.install(f"{CORE}[torch]", ALPHA, BETA)
    session.run("mypy", "--strict", f"{ALPHA}/src", f"{BETA}/src", "examples")


@nox.session
@nox.parametrize(("python", "torch"), TORCH_MATRIX, ids=TORCH_IDS)
@nox.parametrize("mode", ["editable", "wheel"])
def integration(session: nox.Session, torch: str, mode: str) -> None:
    """The three packages installed for real (editable, or built wheels), tested in fresh interpreters."""
    session.install(f"torch=={torch}", TOOLS["numpy"], TOOLS["pytest"])
    if mode == "editable":
        session.install("-e", f"{CORE}[torch,cli]", "-e", ALPHA, "-e", BETA)
    else:
        wheels = Path(session.create_tmp()) / "wheels"
        shutil.rmtree(wheels, ignore_errors=True)
        session.run(
            "python",
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(wheels),
            CORE,
            ALPHA,
            BETA,
        )
        built = sorted(wheels.glob("*.whl"))
        core = next(path for path in built if path.name.startswith("scopereg-"))
        session.install(f"{core}[torch,cli]", *(str(path) for path in built if path != core))
    suites = [ROOT / "tests", ROOT / CORE / "tests" / "torch", ROOT / ALPHA / "tests", ROOT / BETA / "tests"]
    session.chdir(session.create_tmp())  # no source tree on sys.path: only what was installed
    session.run(
        "python", "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
        "--import-mode", "importlib",  # several suites, several conftest.py
        *map(str, suites), "--doctest-modules", "--pyargs", "mmalpha", "mmbeta", "scopereg.torch",
        *session.posargs, env={"SCOPEREG_INSTALL_MODE": mode},
    )  # fmt: skip


@nox.session(python=LOCAL_TORCH[0][0])
def demo(session: nox.Session) -> None:
    """Install the three packages and train mmbeta's model from examples/mmbeta_classifier.py."""
    session.install(f"torch=={LOCAL_TORCH[0][1]}", TOOLS["numpy"], TOOLS["rich"])
    session.install(f"{CORE}[torch]", ALPHA, BETA)
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Time scopereg against mmengine 0.10.7 on the same operations; print one table."""
    session.install(CORE, "mmengine==0.10.7")
    session.run("python", "bench/bench.py", *session.posargs)
