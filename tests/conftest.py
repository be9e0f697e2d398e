"""Integration suite: every test runs Python code in a fresh interpreter.

The interpreter is the one of the session (``sys.executable``), in isolated mode (``-I``:
no PYTHONPATH, no current directory on sys.path), from an empty temporary directory, so
the three packages are seen exactly as installed: editable or from built wheels.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator


class Python:
    """Runs snippets in a fresh isolated interpreter from an empty directory."""

    def __init__(self, cwd: Path, tmpdir: Path) -> None:
        self.cwd = cwd
        self.tmpdir = tmpdir

    def run(
        self, code: str, *, check: bool = True, extra_path: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["TMPDIR"] = str(self.tmpdir)
        env["SCOPEREG_CACHE_DIR"] = str(self.cwd / "scopereg-cache")  # the static index's, not the user's
        args = [sys.executable, "-I", "-c", textwrap.dedent(code)]
        if extra_path is not None:  # a throwaway install target, added like a site directory
            args[3] = f"import site; site.addsitedir({str(extra_path)!r})\n" + args[3]
        result = subprocess.run(
            args, cwd=self.cwd, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        if check and result.returncode != 0:
            pytest.fail(f"snippet failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def output(self, code: str, **kwargs: object) -> str:
        return self.run(code, **kwargs).stdout.strip()  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def short_tmpdir() -> Iterator[Path]:
    """A temporary directory with a short path, for the snippets' ``TMPDIR``.

    An AF_UNIX socket path holds at most 107 bytes, and multiprocessing puts the sockets
    through which DataLoader workers pass tensors under ``TMPDIR``. Under a checkout a few
    directories deep, nox's session temporary directory is longer than that: the workers fail
    to connect and torch's DataLoader waits for them forever. Python 3.13 falls back to
    ``/tmp`` on its own; this does the same on every version.
    """
    base = next((d for d in ("/tmp", "/var/tmp") if os.access(d, os.W_OK)), None)
    path = Path(tempfile.mkdtemp(prefix="scopereg-", dir=base))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def python(tmp_path: Path, short_tmpdir: Path) -> Python:
    return Python(tmp_path, short_tmpdir)
