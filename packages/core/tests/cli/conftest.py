"""Fixtures of the command-line tests: the fake installation, its two scopes, no rich."""

from __future__ import annotations

import sys

import pytest

from .fakes import ALPHA, BETA, Installed


@pytest.fixture
def two(installed: Installed) -> tuple[str, str]:
    """Scopes alpha and beta, both children of the fake roots."""
    return installed.distribution("alpha", ALPHA), installed.distribution("beta", BETA)


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich is not installed: ``import rich`` fails."""
    for name in [m for m in sys.modules if m == "rich" or m.startswith("rich.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rich", None)


@pytest.fixture(autouse=True)
def _own_index_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The static index caches in a directory of the test's own, never the user's."""
    monkeypatch.setenv("SCOPEREG_CACHE_DIR", str(tmp_path_factory.mktemp("index-cache")))
