"""pytest fixtures for packages that use scopereg (registered as a pytest plugin).

- ``fake_distribution``: installs throwaway distributions for one test
  (``fake_distribution("name", files, scopes={...})``, see :meth:`FakeSite.install`),
  and removes them afterwards;
- ``fake_site``: the :class:`~scopereg.testing.FakeSite` behind it;
- ``fresh_scopes``: no default scope and no ``DefaultScope`` instance before and after
  the test, and scopereg reads the entry points again.

Example (in a test module; the plugin is active wherever scopereg is installed):

.. code-block:: python

    def test_my_plugin_is_found(fake_distribution):
        fake_distribution("my-plugin", {"my_plugin/__init__.py": "..."}, scopes={"mine": "my_plugin"})
"""

from __future__ import annotations

import pytest

from scopereg import DefaultScope, init_default_scope

from . import FakeSite, reset_discovery

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path


@pytest.fixture
def fake_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeSite]:
    """A :class:`FakeSite` on ``sys.path`` for one test."""
    site = FakeSite(tmp_path_factory.mktemp("site"))
    yield site
    site.close()


@pytest.fixture
def fake_distribution(fake_site: FakeSite) -> Callable[..., Path]:
    """Install a fake distribution for one test: ``fake_distribution(name, files, scopes=...)``."""
    return fake_site.install


@pytest.fixture
def fresh_scopes() -> Iterator[None]:
    """No default scope and no DefaultScope instance; entry points read again."""
    _forget_scopes()
    yield
    _forget_scopes()


def _forget_scopes() -> None:
    init_default_scope(None)
    DefaultScope._instances.clear()
    reset_discovery()
