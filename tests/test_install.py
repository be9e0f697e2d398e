"""The packages are really installed, in the mode the session says, with no source on sys.path."""

from __future__ import annotations

import os

import pytest

MODE = os.environ.get("SCOPEREG_INSTALL_MODE", "editable")


def test_install_mode_is_the_one_under_test(python):
    files = python.output(
        "import scopereg, mmalpha, mmbeta\nfor m in (scopereg, mmalpha, mmbeta): print(m.__file__)\n"
    ).splitlines()
    assert len(files) == 3
    if MODE == "wheel":
        assert all("site-packages" in f for f in files), files
    elif MODE == "editable":
        assert all(f"packages{os.sep}" in f and f"{os.sep}src{os.sep}" in f for f in files), files
    else:
        pytest.fail(f"unknown SCOPEREG_INSTALL_MODE={MODE!r}")


def test_importing_a_registry_imports_no_implementation_and_no_torch(python):
    modules = python.output(
        "import mmalpha.registry, mmbeta.registry, sys; print(' '.join(sorted(sys.modules)))"
    ).split()
    assert "mmalpha.registry" in modules
    assert not [m for m in modules if m.startswith(("mmalpha.", "mmbeta.")) and not m.endswith(".registry")]
    assert not [m for m in modules if m.partition(".")[0] in ("torch", "numpy")]


def test_locations_are_imported_on_first_lookup(python):
    out = python.output(
        """
        import sys
        from mmalpha.registry import MODELS
        print('mmalpha.models' in sys.modules)
        MODELS.get('LogSoftmax')
        print('mmalpha.models' in sys.modules, 'mmalpha.datasets' in sys.modules)
        """
    )
    assert out.splitlines() == ["False", "True False"]
