"""Shared fixtures: a clean default scope for every test, fresh trees, fake installations."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from scopereg import DefaultScope, Registry, _discovery, init_default_scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from cli.fakes import Installed
    from sites import FakeSite

_unique = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_global_state() -> Iterator[None]:
    """No default scope, no DefaultScope instances, entry points not read yet."""
    _reset_global_state()
    yield
    _reset_global_state()


def _reset_global_state() -> None:
    init_default_scope(None)
    DefaultScope._instances.clear()
    _discovery._reset()


class Tree:
    """A small tree: root, two siblings and a grandchild, all with unique scopes."""

    def __init__(self) -> None:
        n = next(_unique)
        self.root_scope, self.a, self.b, self.c = (f"root{n}", f"alpha{n}", f"beta{n}", f"gamma{n}")
        self.root = Registry("model", scope=self.root_scope)
        self.alpha = Registry("model", parent=self.root, scope=self.a)
        self.beta = Registry("model", parent=self.root, scope=self.b)
        self.gamma = Registry("model", parent=self.alpha, scope=self.c)


@pytest.fixture
def tree() -> Tree:
    return Tree()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSite]:
    """Fake distributions declaring scopes under the test's own root (see ``sites``)."""
    from sites import FakeSite  # here: the torch tests load this conftest without tests/ on sys.path

    fake = FakeSite(tmp_path, monkeypatch)
    _discovery._reset()  # forget the entry points read before the fake site existed
    yield fake
    fake.forget_packages()
    _discovery._reset()


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Installed]:
    """Fake root registries and fake distributions for the command line (see ``cli.fakes``)."""
    from cli.fakes import Installed  # here: as for ``site``

    fake = Installed(tmp_path, monkeypatch)
    _discovery._reset()
    yield fake
    fake.forget()
    _discovery._reset()
