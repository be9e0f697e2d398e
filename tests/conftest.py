"""Integration suite: every test runs Python code in a fresh interpreter.

The interpreter is the one of the session (``sys.executable``), in isolated mode (``-I``:
no PYTHONPATH, no current directory on sys.path), from an empty temporary directory, so
the three packages are seen exactly as installed: editable or from built wheels.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


class Python:
    """Runs snippets in a fresh isolated interpreter from an empty directory."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(
        self, code: str, *, check: bool = True, extra_path: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
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


@pytest.fixture
def python(tmp_path: Path) -> Python:
    return Python(tmp_path)
