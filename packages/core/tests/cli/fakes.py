"""A fake installation for the command-line tests: three fake roots, fake distributions.

:class:`Installed` replaces the root registries with three fakes in scope ``scopereg``
and installs fake distributions declaring child scopes with
:class:`scopereg.testing.FakeSite` (a package plus a ``*.dist-info`` with
``entry_points.txt`` on ``sys.path``, as ``importlib.metadata`` finds wheels). Only those
scopes (and scopereg's own) are seen as declared, whatever else is installed.

The command line reads the roots with :func:`scopereg.root_registries` at call time,
which copies ``scopereg._roots.ROOT_REGISTRIES``: the fixture replaces that attribute.
"""

from __future__ import annotations

import json
import sys
import textwrap
import types
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scopereg import Registry, _discovery, _roots
from scopereg.cli import main
from scopereg.testing import FakeSite


class RootLogSoftmax:
    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def __repr__(self) -> str:
        return f"RootLogSoftmax(dim={self.dim})"


class ReLU:
    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace

    def __repr__(self) -> str:
        return f"ReLU(inplace={self.inplace})"


class Exploding:
    def __init__(self, size: int) -> None:
        raise ValueError(f"cannot make a thing of size {size}")


ALPHA = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE")
    DATASETS = Registry("dataset", parent=holder.DATASETS, scope="SCOPE")


    @MODELS.register_module(name=["LogSoftmax", "LogSoftMax"])
    class LogSoftmax:
        def __init__(self, dim=None):
            self.dim = dim

        def __repr__(self):
            return f"AlphaLogSoftmax(dim={self.dim})"


    @MODELS.register_module()
    class MLP:
        def __init__(self, in_features, hidden_features=32, act_cfg=None):
            self.args = (in_features, hidden_features, act_cfg)

        def __repr__(self):
            return "MLP(%r, %r, act=%r)" % self.args


    @DATASETS.register_module()
    class Blobs:
        def __init__(self, size):
            self.size = size

        def __repr__(self):
            return f"Blobs(size={self.size})"
"""

BETA = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE")


    @MODELS.register_module()
    class LogSoftmax:
        def __init__(self, temperature=1.0):
            self.temperature = temperature

        def __repr__(self):
            return f"BetaLogSoftmax(temperature={self.temperature})"


    @MODELS.register_module()
    class BetaNet:
        def __init__(self, backbone, out=None):
            self.backbone, self.out = backbone, out

        def __repr__(self):
            return f"BetaNet({self.backbone!r}, out={self.out!r})"
"""

BROKEN = """
    raise RuntimeError("broken on purpose")
"""

MISSING_LOCATION = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE", locations=["SCOPE.nowhere"])
"""


class Installed:
    """Fake root registries and fake distributions declaring child scopes."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.path = path
        self.tag = uuid.uuid4().hex[:8]
        self.MODELS = Registry("model", scope="scopereg")
        self.DATASETS = Registry("dataset", scope="scopereg")
        self.OPTIMIZERS = Registry("optimizer", scope="scopereg")
        self.MODELS.register_module(name="LogSoftmax", module=RootLogSoftmax)
        self.MODELS.register_module(module=ReLU)
        self.MODELS.register_module(module=Exploding)
        roots = {"MODELS": self.MODELS, "DATASETS": self.DATASETS, "OPTIMIZERS": self.OPTIMIZERS}
        monkeypatch.setattr(_roots, "ROOT_REGISTRIES", roots)  # what scopereg.root_registries() copies
        self.holder_name = f"cli_holder_{self.tag}"
        holder = types.ModuleType(self.holder_name)
        holder.__dict__.update(roots)
        monkeypatch.setitem(sys.modules, self.holder_name, holder)
        self.site = FakeSite(path)
        self.scopes: list[str] = []
        real = _discovery.declared_scopes

        def declared() -> dict[str, Any]:
            return {s: eps for s, eps in real().items() if s == "scopereg" or s in self.scopes}

        monkeypatch.setattr(_discovery, "declared_scopes", declared)

    def distribution(self, stem: str, source: str, *, declared_as: str | None = None) -> str:
        """Install distribution ``<stem>-<tag>`` declaring scope ``<stem>_<tag>``; return the scope.

        ``declared_as`` names the entry point differently (``<declared_as>_<tag>``).
        """
        scope = f"{stem}_{self.tag}"
        code = textwrap.dedent(source).replace("HOLDER", self.holder_name).replace("SCOPE", scope)
        files = {f"{scope}/__init__.py": "", f"{scope}/registry.py": code}
        declared = scope if declared_as is None else f"{declared_as}_{self.tag}"
        self.site.install(self.dist(scope), files, scopes={declared: f"{scope}.registry"})
        self.scopes.append(declared)
        return scope

    def declare_again(self, scope: str, dist: str) -> None:
        """Another distribution, ``dist``, declaring the same ``scope`` with the same module."""
        self.site.install(dist, {}, scopes={scope: f"{scope}.registry"})

    @staticmethod
    def dist(scope: str) -> str:
        return scope.replace("_", "-")

    def registry_file(self, scope: str) -> str:
        return str(self.path / scope / "registry.py")

    def forget(self) -> None:
        """Uninstall the fake distributions and forget their modules."""
        self.site.close()


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def write(tmp_path: Path, name: str, cfg: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(cfg) if name.endswith(".json") else str(cfg))
    return str(path)
