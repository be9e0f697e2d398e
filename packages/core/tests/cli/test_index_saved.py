"""The saved index: a fresh process reads it back, imports nothing, and never sees a stale one.

Each run is a fresh interpreter, as ``scopereg tree`` is: only a process that imported no
scope yet reads or writes the saved index. The fake distribution lives in a directory on
``PYTHONPATH``; its files are backdated, because a file edited in the last seconds is never
saved (a second edit in the same clock tick would go unseen).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from scopereg.testing import FakeSite

REGISTRY = """
    from scopereg import DATASETS, Registry

    DATASETS = Registry("dataset", parent=DATASETS, scope="SCOPE", locations=["SCOPE.datasets"])
"""
DATASETS_PY = """
    from .registry import DATASETS

    @DATASETS.register_module()
    class Blobs: ...
"""
REPORT = """
    import json, sys
    from scopereg import static_index
    index = static_index()
    names = {node.scope: sorted(node.entries) for node in index.roots["DATASETS"].walk()}
    imported = sorted(m for m in sys.modules if m.startswith(sys.argv[1]))
    print(json.dumps({"cached": index.cached, "names": names, "imported": imported,
                      "metadata": "importlib.metadata" in sys.modules}))
"""


class Environment:
    """A directory of fake distributions on PYTHONPATH, a cache directory, fresh interpreters."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.site_path = path / "site"
        self.cache = path / "cache"
        self.scope = f"saved_{uuid.uuid4().hex[:8]}"
        self.site = FakeSite(self.site_path)

    def install(self, scope: str, registry: str = REGISTRY, datasets: str = DATASETS_PY) -> None:
        files = {
            f"{scope}/__init__.py": "",
            f"{scope}/registry.py": registry,
            f"{scope}/datasets.py": datasets,
        }
        files = {name: textwrap.dedent(text).replace("SCOPE", scope) for name, text in files.items()}
        self.site.install(scope.replace("_", "-"), files, scopes={scope: f"{scope}.registry"})

    def edit(self, relative: str, text: str) -> None:
        (self.site_path / relative).write_text(textwrap.dedent(text).replace("SCOPE", self.scope))

    def backdate(self, seconds: float = 60) -> None:
        when = time.time_ns() - int(seconds * 1e9)
        for folder, directories, files in os.walk(self.site_path):
            for name in [*directories, *files]:
                os.utime(os.path.join(folder, name), ns=(when, when))
        os.utime(self.site_path, ns=(when, when))

    def run(self, code: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(PYTHONPATH=str(self.site_path), SCOPEREG_CACHE_DIR=str(self.cache))
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # a new __pycache__ would change a directory the index read
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def report(self) -> dict:
        result = self.run(REPORT, self.scope)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def environment(tmp_path):
    made = Environment(tmp_path)
    made.install(made.scope)
    made.backdate()
    yield made
    made.site.close()


def test_a_fresh_process_reads_the_saved_index_back_and_imports_nothing(environment):
    first = environment.report()
    second = environment.report()

    assert (first["cached"], second["cached"]) == (False, True)
    assert first["names"] == second["names"]
    assert second["names"][environment.scope] == ["Blobs"]
    assert second["imported"] == []  # not even the registry module
    assert second["metadata"] is False  # entry points were not read


def test_editing_a_file_the_index_read_is_seen_by_the_next_process(environment):
    environment.report()
    environment.edit(
        f"{environment.scope}/datasets.py",
        DATASETS_PY + "\n    @DATASETS.register_module()\n    class Rings: ...\n",
    )
    environment.backdate(30)

    changed, again = environment.report(), environment.report()

    assert changed["cached"] is False
    assert changed["names"][environment.scope] == ["Blobs", "Rings"]
    assert (again["cached"], again["names"]) == (True, changed["names"])


def test_editing_the_registry_module_is_seen_by_the_next_process(environment):
    environment.report()
    environment.edit(f"{environment.scope}/registry.py", REGISTRY.replace('locations=["SCOPE.datasets"]', ""))
    environment.backdate(30)

    changed = environment.report()

    assert changed["cached"] is False
    assert changed["names"][environment.scope] == []


def test_installing_and_removing_a_distribution_are_seen_by_the_next_process(environment):
    environment.report()
    other = f"other_{uuid.uuid4().hex[:8]}"
    environment.install(other)
    environment.backdate(30)

    installed = environment.report()
    shutil.rmtree(next(environment.site_path.glob(f"{other.replace('-', '_')}-*.dist-info")))
    environment.backdate(20)
    removed = environment.report()

    assert installed["cached"] is False
    assert installed["names"][other] == ["Blobs"]
    assert removed["cached"] is False
    assert other not in removed["names"]


def test_a_file_edited_seconds_ago_keeps_the_index_from_being_saved(environment):
    environment.edit(f"{environment.scope}/datasets.py", DATASETS_PY)  # now: a second edit could follow

    assert [environment.report()["cached"] for _ in range(2)] == [False, False]


def test_did_you_mean_offers_names_of_scopes_not_imported_yet_from_the_saved_index(environment):
    scope = environment.scope
    code = f"""
        import sys, scopereg
        try:
            scopereg.DATASETS.build({{"type": "Blob"}})
        except scopereg.NotRegisteredError as exc:
            print(exc)
        print(sorted(m for m in sys.modules if m.startswith({scope!r})))
    """
    before = environment.run(code).stdout.splitlines()
    environment.report()  # saves the index
    after = environment.run(code).stdout.splitlines()

    assert f"'{scope}.Blobs'" not in before[0]
    assert after[0].endswith(f"Did you mean '{scope}.Blobs'?")
    assert before[1] == after[1] == "[]"  # suggesting imported nothing


def test_a_scope_the_program_declares_is_indexed_and_the_saved_index_is_not_used(environment):
    declared = f"declared_{uuid.uuid4().hex[:8]}"
    files = {
        f"{declared}/__init__.py": "",
        f"{declared}/registry.py": REGISTRY,
        f"{declared}/datasets.py": DATASETS_PY,
    }
    environment.site.add_files(
        {name: textwrap.dedent(text).replace("SCOPE", declared) for name, text in files.items()}
    )
    environment.backdate()
    saved = environment.report()  # saves the index, without the program's scope
    declaring = f"import scopereg; scopereg.declare_scope({declared!r}, {declared + '.registry'!r})\n"
    code = declaring + textwrap.dedent(REPORT)

    result = environment.run(code, environment.scope)
    found = json.loads(result.stdout)

    assert (saved["cached"], environment.report()["cached"]) == (False, True)  # it was saved
    assert found["cached"] is False
    assert found["names"][declared] == ["Blobs"]
