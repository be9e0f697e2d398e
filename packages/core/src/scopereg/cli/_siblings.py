"""The packages beside a new one (``DIR/*/pyproject.toml``), to install together with it.

pip resolves a sibling from its folder only when the folder is in the same command:
otherwise it looks for the sibling on an index. So the commands the generator writes
(hatch's test environment, the install it suggests) name every sibling the new package
needs, directly or through another sibling, and pin torch.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from scopereg import load_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

_REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def normalized(name: str) -> str:
    """A distribution name as indexes compare them (PEP 503): ``"My_Pkg"`` -> ``"my-pkg"``."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Sibling:
    """A package folder beside the new one: its distribution name and what it requires."""

    name: str
    folder: Path
    requires: frozenset[str]


def _load_toml(path: Path) -> dict[str, Any] | None:
    """The TOML file's data (scopereg's config reader: tomllib, or tomli on 3.10); None if unreadable."""
    try:
        return load_config(path)
    except (OSError, ImportError, ValueError):  # ConfigFileError and UnicodeDecodeError are ValueErrors
        return None


def _sibling(path: Path) -> Sibling | None:
    project = (_load_toml(path) or {}).get("project")
    if not isinstance(project, dict) or not isinstance(project.get("name"), str):
        return None
    dependencies = project.get("dependencies")
    names = set()
    for requirement in dependencies if isinstance(dependencies, list) else []:
        match = _REQUIREMENT_NAME.match(requirement) if isinstance(requirement, str) else None
        if match is not None:
            names.add(normalized(match.group()))
    return Sibling(normalized(project["name"]), path.parent, frozenset(names))


class Siblings:
    """The packages of a folder, by normalized distribution name."""

    def __init__(self, found: dict[str, Sibling]) -> None:
        self.found = found

    @classmethod
    def read(cls, folder: Path) -> Siblings:
        """The packages with a ``pyproject.toml`` in a subfolder of ``folder`` (unreadable ones left out)."""
        found: dict[str, Sibling] = {}
        for path in sorted(folder.glob("*/pyproject.toml")) if folder.is_dir() else []:
            sibling = _sibling(path)
            if sibling is not None:
                found.setdefault(sibling.name, sibling)
        return cls(found)

    def closure(self, names: list[str]) -> list[str]:
        """The siblings among ``names`` and those they require, through each other; scopereg first."""
        pending = [normalized(name) for name in names]
        needed: set[str] = set()
        while pending:
            name = pending.pop()
            if name in self.found and name not in needed:
                needed.add(name)
                pending.extend(self.found[name].requires)
        return sorted(needed, key=lambda name: (name != "scopereg", name))

    def _editable(self, name: str, folder: str) -> list[str]:
        return ["-e", f"{folder}[torch]" if name == "scopereg" else folder]

    def hatch_pre_install(self, needed: list[str], torch: str | None) -> str | None:
        """hatch's pre-install command for its test environment: torch pinned, the siblings editable."""
        if torch is None:
            return None  # no torch to pin: hatch's default environment, rather than an unpinned torch
        words = ["python", "-m", "pip", "install", "-q", f"torch=={torch}", "numpy>=1.26"]
        for name in needed:
            words += self._editable(name, f"{{root:parent}}/{self.found[name].folder.name}")
        return " ".join(words)

    def install_command(self, needed: list[str], target: Path, torch: str | None) -> str:
        """One pip command installing the new package with its siblings, torch pinned."""
        words = [
            "python",
            "-m",
            "pip",
            "install",
            f"torch=={torch}" if torch is not None else "torch==VERSION",
        ]
        for name in needed:
            words += self._editable(name, str(self.found[name].folder))
        return shlex.join([*words, "-e", str(target)])
