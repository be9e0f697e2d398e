"""A distribution whose scope module is broken leaves the others working, with one warning."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

WHEEL = "brokenplug-0.1-py3-none-any.whl"


def build_broken_wheel(directory: Path) -> Path:
    """A minimal wheel declaring scope 'brokenplug' whose module raises on import."""
    dist_info = "brokenplug-0.1.dist-info"
    files = {
        "brokenplug/__init__.py": "",
        "brokenplug/registry.py": "raise RuntimeError('brokenplug is broken on purpose')\n",
        f"{dist_info}/METADATA": "Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n",
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
        f"{dist_info}/entry_points.txt": "[scopereg.scopes]\nbrokenplug = brokenplug.registry\n",
    }
    path = directory / WHEEL
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        record = "".join(f"{name},,\n" for name in files) + f"{dist_info}/RECORD,,\n"
        wheel.writestr(f"{dist_info}/RECORD", record)
    return path


def test_broken_entry_point_warns_once_and_others_keep_working(python, tmp_path):
    target = tmp_path / "site"
    wheel = build_broken_wheel(tmp_path)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", str(target), str(wheel)], check=True)
    result = python.run(
        """
        import warnings
        warnings.simplefilter('always')
        from scopereg import MODELS
        print(MODELS.get('brokenplug.Anything'))
        print(MODELS.get('brokenplug.Other'))
        print(type(MODELS.build(dict(type='mmalpha.LogSoftmax'))).__module__)
        try:
            MODELS.build(dict(type='Thing', _scope_='brokenplug'))
        except KeyError as exc:
            print(type(exc).__name__, exc)
        """,
        extra_path=target,
    )
    lines = result.stdout.splitlines()
    assert lines[:3] == ["None", "None", "mmalpha.models"]
    assert lines[3].startswith(
        "UnknownScopeError scopereg::model: cfg['_scope_'] = 'brokenplug' is declared, but"
    )
    assert (
        "distribution 'brokenplug' failed to import it (RuntimeError: brokenplug is broken on purpose)"
        in lines[3]
    )
    warnings = [line for line in result.stderr.splitlines() if "ScopeDiscoveryWarning" in line]
    assert len(warnings) == 1, result.stderr
    assert "distribution 'brokenplug'" in warnings[0]
    assert "RuntimeError: brokenplug is broken on purpose" in warnings[0]
