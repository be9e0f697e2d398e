"""Fake installed distributions declaring scopes, for the discovery and fault tests.

Fake distributions are written to a temporary directory on ``sys.path``: a package plus
a ``*.dist-info`` directory with ``METADATA`` and ``entry_points.txt``, which
``importlib.metadata`` finds as it would an installed wheel.
"""

from __future__ import annotations

import sys
import textwrap
import types
import uuid
from pathlib import Path

import pytest

from scopereg import Registry, testing

HEALTHY_REGISTRY = """
    import HOLDER as holder
    from scopereg import Registry

    holder.imported.append(__name__)
    MODELS = Registry("model", parent=holder.ROOT, scope="SCOPE")


    @MODELS.register_module()
    class Name:
        pass
"""

BROKEN_REGISTRY = """
    import HOLDER as holder

    holder.imported.append(__name__)
    raise RuntimeError("broken plug-in SCOPE")
"""

GUESSABLE_MODULE = """
    import HOLDER as holder

    holder.imported.append(__name__)
"""


class FakeSite(testing.FakeSite):
    """scopereg.testing's fake site, plus a holder module the fake plug-ins report to.

    Fake registry modules reach the test's tree through a holder module importable as
    ``holder_name``: ``holder.ROOT`` is the root registry, ``holder.imported`` records
    every fake module whose body ran.
    """

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(path)
        self.tag = uuid.uuid4().hex[:8]
        self.root = Registry("model", scope=f"disc_root_{self.tag}")
        self.holder_name = f"disc_holder_{self.tag}"
        self.holder = types.ModuleType(self.holder_name)
        self.holder.ROOT = self.root  # type: ignore[attr-defined]
        self.holder.imported = []  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, self.holder_name, self.holder)

    @property
    def imported(self) -> list[str]:
        return self.holder.imported  # type: ignore[no-any-return]

    def _source(self, source: str, scope: str) -> str:
        return textwrap.dedent(source).replace("HOLDER", self.holder_name).replace("SCOPE", scope)

    def distribution(self, stem: str, source: str = HEALTHY_REGISTRY, *, top_level: bool = False) -> str:
        """Install fake distribution ``<stem>-<tag>`` declaring scope ``<stem>_<tag>``.

        Its package (also ``<stem>_<tag>``) has a ``registry`` module, the entry point.
        Returns the scope name.
        """
        scope = f"{stem}_{self.tag}"
        files = {f"{scope}/__init__.py": "", f"{scope}/registry.py": self._source(source, scope)}
        self.install(self.dist_name(scope), files, scopes={scope: f"{scope}.registry"}, top_level=top_level)
        return scope

    def plain_package(self, stem: str) -> str:
        """A package importable from ``sys.path`` that no distribution declares."""
        package = f"{stem}_{self.tag}"
        source = self._source(GUESSABLE_MODULE, package)
        self.add_files({f"{package}/__init__.py": source, f"{package}/registry.py": source})
        return package

    @staticmethod
    def dist_name(scope: str) -> str:
        return scope.replace("_", "-")

    def forget_packages(self) -> None:
        self.close()
