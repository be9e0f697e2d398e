"""Sessions for the scopereg monorepo: `nox -l` lists them."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["tests", "lint", "typecheck"]

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
CORE = "packages/core"
TOOLS = {
    "pytest": "pytest>=8",
    "hypothesis": "hypothesis>=6.100",
    "ruff": "ruff>=0.6",
    "mypy": "mypy>=1.11",
}


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Core unit tests, without torch, from an installed (non-editable) scopereg."""
    session.install(CORE, TOOLS["pytest"], TOOLS["hypothesis"])
    session.run(
        "python",
        "-m",
        "pytest",
        f"{CORE}/tests",
        "--doctest-modules",
        "--pyargs",
        "scopereg",
        *session.posargs,
    )
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
    session.install(f"{CORE}[rich]", TOOLS["mypy"])
    session.run("mypy", "--strict", "--python-version", session.python, f"{CORE}/src")


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Time scopereg against mmengine 0.10.7 on the same operations; print one table."""
    session.install(CORE, "mmengine==0.10.7")
    session.run("python", "bench/bench.py", *session.posargs)
