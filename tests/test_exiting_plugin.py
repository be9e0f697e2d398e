"""Installed plug-ins that call ``sys.exit()`` at import leave the host running.

A real wheel is installed with pip into a throwaway site directory; every snippet runs in
a fresh interpreter with the three packages as installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

DIST_INFO = "exitplug-0.1.dist-info"
FILES = {
    "exitplug/__init__.py": "",
    "exitplug/registry.py": "import sys\nsys.exit('exitplug gives up at import')\n",
    f"{DIST_INFO}/METADATA": "Metadata-Version: 2.1\nName: exitplug\nVersion: 0.1\n",
    f"{DIST_INFO}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    f"{DIST_INFO}/entry_points.txt": "[scopereg.scopes]\nexitplug = exitplug.registry\n",
}


@pytest.fixture
def exitplug_site(tmp_path: Path) -> Path:
    """A site directory holding the installed wheel of 'exitplug', whose scope module exits."""
    wheel = tmp_path / "exitplug-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(name, text)
        record = "".join(f"{name},,\n" for name in [*FILES, f"{DIST_INFO}/RECORD"])
        archive.writestr(f"{DIST_INFO}/RECORD", record)
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", str(target), str(wheel)], check=True)
    return target


def test_a_plug_in_calling_sys_exit_neither_ends_builds_nor_hides_the_other_scopes(python, exitplug_site):
    result = python.run(
        """
        import warnings
        warnings.simplefilter('always')
        from scopereg import MODELS, init_default_scope
        print(MODELS.get('exitplug.Anything'))
        print(type(MODELS.build(dict(type='mmalpha.LogSoftmax'))).__module__)
        try:
            MODELS.build(dict(type='Thing', _scope_='exitplug'))
        except KeyError as exc:
            print(type(exc).__name__, exc)
        init_default_scope('mmbeta')
        print(type(MODELS.build(dict(type='LogSoftmax'))).__module__)
        print('still running')
        """,
        extra_path=exitplug_site,
    )
    lines = result.stdout.splitlines()
    assert lines[:2] == ["None", "mmalpha.models"]
    assert lines[2].startswith("UnknownScopeError ")
    assert "distribution 'exitplug' failed to import it (SystemExit: exitplug gives up at import)" in lines[2]
    assert lines[3:] == ["mmbeta.models", "still running"]
    [warning] = [line for line in result.stderr.splitlines() if "ScopeDiscoveryWarning" in line]
    # Line 6 of the snippet (line 1 adds the site directory) is the lookup that needed the scope.
    assert warning.startswith("<string>:6: ScopeDiscoveryWarning: ")
    assert "'exitplug = exitplug.registry'" in warning


def test_doctor_lists_a_plug_in_calling_sys_exit_and_finishes(python, exitplug_site):
    result = python.run(
        """
        from scopereg.cli import main
        raise SystemExit(main(['doctor', '--json']))
        """,
        check=False,
        extra_path=exitplug_site,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    broken = [f for f in report["findings"] if f["kind"] == "broken-entry-point"]
    assert len(broken) == 1
    assert "exitplug" in broken[0]["where"]
    assert "SystemExit: exitplug gives up at import" in broken[0]["message"]


def test_a_first_unknown_scope_suggests_a_declared_scope_of_an_unimported_distribution(python):
    out = python.output(
        """
        import sys
        from scopereg import MODELS
        try:
            MODELS.build(dict(type='LogSoftmax', _scope_='mmalpah'))
        except KeyError as exc:
            print(exc)
        print(sorted(m for m in sys.modules if m.startswith(('mmalpha', 'mmbeta'))))
        """
    )
    message, imported = out.splitlines()
    assert "Did you mean 'mmalpha'?" in message
    assert "'mmalpha' (mmalpha), 'mmbeta' (mmbeta)" in message
    assert imported == "[]"


def test_an_unknown_name_in_a_fresh_process_imports_no_declared_library(python):
    out = python.output(
        """
        import sys
        from scopereg import MODELS, NotRegisteredError
        MODELS.get('LogSoftmax')  # the root's own locations: what any lookup needs
        before = set(sys.modules)
        try:
            MODELS.build(dict(type='LogSoftmx'))
        except NotRegisteredError as exc:
            print(exc.suggestions[0], [s for s in exc.suggestions if s.startswith('mm')])
            print('mmalpha.LogSoftmx' in str(exc))
        print(sorted(m for m in set(sys.modules) - before if m.startswith(('mmalpha', 'mmbeta', 'torch'))))
        """
    )
    assert out.splitlines() == ["LogSoftmax []", "True", "[]"]


def test_a_typo_in_the_default_scope_warns_at_the_callers_line(python):
    result = python.run(
        """
        import warnings
        warnings.simplefilter('always')
        from scopereg import init_default_scope
        init_default_scope('mmalpah')
        init_default_scope('mmalpah')
        """
    )
    warnings = [line for line in result.stderr.splitlines() if "UnknownScopeWarning" in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("<string>:5: UnknownScopeWarning: scopereg: default scope 'mmalpah'")
    assert "Did you mean 'mmalpha'?" in warnings[0]
