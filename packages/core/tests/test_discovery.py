"""Scopes declared by installed distributions (entry-point group ``scopereg.scopes``).

Fake distributions are written to a temporary directory on ``sys.path``: a package plus
a ``*.dist-info`` directory with ``METADATA`` and ``entry_points.txt``, which
``importlib.metadata`` finds as it would an installed wheel.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import subprocess
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable

import pytest
from sites import BROKEN_REGISTRY

from scopereg import (
    DefaultScope,
    NotRegisteredError,
    Registry,
    ScopeDiscoveryWarning,
    UnknownScopeError,
    init_default_scope,
)

TIMEOUT = 60.0  # seconds before a barrier or a join gives up: only reached on a deadlock


@pytest.fixture
def entry_point_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Count the calls of ``importlib.metadata.entry_points``."""
    calls: list[object] = []
    real = importlib.metadata.entry_points

    def counting(*args: object, **kwargs: object) -> object:
        calls.append((args, kwargs))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)
    return calls


def _registered_class(module: str) -> type:
    return sys.modules[module].Name  # type: ignore[no-any-return]


# -- scopes are imported on demand ------------------------------------------------------


def test_a_scoped_key_imports_the_declaring_distribution_on_first_lookup(site, entry_point_reads):
    scope = site.distribution("fakealpha")
    module = f"{scope}.registry"
    assert module not in sys.modules
    assert entry_point_reads == []

    found = site.root.get(f"{scope}.Name")

    assert found is _registered_class(module)
    assert site.imported == [module]
    assert len(entry_point_reads) == 1
    assert site.root.children[scope].scope == scope


def _trigger_with_scoped_key(root: Registry, scope: str) -> object:
    return root.get(f"{scope}.Name")


def _trigger_with_cfg_scope(root: Registry, scope: str) -> object:
    return type(root.build({"type": "Name", "_scope_": scope}))


def _trigger_with_init_default_scope(root: Registry, scope: str) -> object:
    init_default_scope(scope)
    assert DefaultScope.get_current_instance().scope_name == scope
    return type(root.build({"type": "Name"}))


def _trigger_with_switch_scope(root: Registry, scope: str) -> object:
    with root.switch_scope_and_registry(scope) as registry:
        assert registry.scope == scope
        assert type(root.build({"type": "Name"})) is registry.get("Name")
        return registry.get("Name")


@pytest.mark.parametrize(
    "trigger",
    [
        _trigger_with_scoped_key,
        _trigger_with_cfg_scope,
        _trigger_with_init_default_scope,
        _trigger_with_switch_scope,
    ],
    ids=["scoped-key", "cfg-_scope_", "init_default_scope", "switch_scope_and_registry"],
)
def test_every_way_of_naming_an_unknown_scope_triggers_discovery(
    site, trigger: Callable[[Registry, str], object]
):
    scope = site.distribution("fakealpha")
    module = f"{scope}.registry"
    assert module not in sys.modules

    assert trigger(site.root, scope) is _registered_class(module)
    assert site.imported == [module]


def test_entry_points_are_not_read_by_import_registration_or_known_lookups():
    script = textwrap.dedent(
        """
        import importlib.metadata

        reads = []
        real = importlib.metadata.entry_points
        importlib.metadata.entry_points = lambda *a, **k: reads.append(1) or real(*a, **k)

        import scopereg
        from scopereg import DATASETS, Registry, init_default_scope

        root = Registry("model", scope="subroot")
        child = Registry("model", parent=root, scope="subchild")

        @child.register_module()
        class Net:
            pass

        assert root.get("subchild.Net") is Net and child.get("Net") is Net
        assert type(root.build({"type": "Net", "_scope_": "subchild"})) is Net
        init_default_scope("subchild")
        assert type(root.build({"type": "Net"})) is Net
        assert DATASETS.get("Missing") is None
        print("reads before an unknown scope:", len(reads))
        assert root.get("nosuchscope.Net") is None
        assert root.get("otherscope.Net") is None
        print("reads after unknown scopes:", len(reads))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "reads before an unknown scope: 0",
        "reads after unknown scopes: 1",
    ]


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # undeclared scopes on purpose
def test_entry_points_are_read_once_per_process_not_once_per_lookup(site, entry_point_reads):
    scope = site.distribution("fakealpha")
    root = site.root
    for _ in range(3):
        assert root.get(f"nosuch_a_{site.tag}.Name") is None
        assert root.get(f"nosuch_b_{site.tag}.Name") is None
        with pytest.raises(UnknownScopeError):
            root.build({"type": "Name", "_scope_": f"nosuch_c_{site.tag}"})
        init_default_scope(f"nosuch_d_{site.tag}")
        init_default_scope(None)
        with root.switch_scope_and_registry(f"nosuch_e_{site.tag}") as registry:
            assert registry is root
        assert root.get(f"{scope}.Name") is _registered_class(f"{scope}.registry")
    assert len(entry_point_reads) == 1
    assert site.imported == [f"{scope}.registry"]


def test_threads_asking_for_an_undiscovered_scope_at_once_import_it_once(site):
    scope = site.distribution("fakealpha")
    n_threads = 16
    barrier = threading.Barrier(n_threads)
    results: list[object] = [None] * n_threads
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            results[i] = site.root.get(f"{scope}.Name")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not [t for t in threads if t.is_alive()], "threads still running: a deadlock?"
    assert errors == []
    assert results == [_registered_class(f"{scope}.registry")] * n_threads
    assert site.imported == [f"{scope}.registry"]


DEADLOCK_FILES = {
    "dlholder.py": """
        import threading

        from scopereg import Registry

        a_in_plugin = threading.Event()
        b_in_shared = threading.Event()
        ROOT = Registry("model", scope="dl_root")
    """,
    "dlplugin/__init__.py": "",
    "dlplugin/registry.py": """
        import dlholder as holder
        from scopereg import Registry

        holder.a_in_plugin.set()
        holder.b_in_shared.wait(5)
        import dlshared  # a module that another thread is importing right now

        MODELS = Registry("model", parent=holder.ROOT, scope="dlplugin")


        @MODELS.register_module()
        class Name:
            pass
    """,
    "dlshared.py": """
        import dlholder as holder

        holder.b_in_shared.set()
        holder.a_in_plugin.wait(5)
        FOUND = holder.ROOT.get("dlelsewhere.Name")  # an undiscovered scope, at import time
    """,
    "dlplugin-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: dlplugin\nVersion: 1.0\n",
    "dlplugin-1.0.dist-info/entry_points.txt": "[scopereg.scopes]\ndlplugin = dlplugin.registry\n",
}

DEADLOCK_MAIN = """
    import importlib
    import threading
    import time

    import dlholder as holder

    outcomes = {}
    threads = [
        threading.Thread(
            target=lambda: outcomes.setdefault("lookup", holder.ROOT.get("dlplugin.Name")), daemon=True
        ),
        threading.Thread(
            target=lambda: outcomes.setdefault("import", importlib.import_module("dlshared")), daemon=True
        ),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5  # milliseconds are enough unless the two threads deadlock
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    print("hung:", [name for name, t in zip(("lookup", "import"), threads) if t.is_alive()])
    if not any(t.is_alive() for t in threads):
        print("found:", outcomes["lookup"].__module__, outcomes["lookup"].__name__)
        print("afterwards:", holder.ROOT.get("dlplugin.Name") is outcomes["lookup"])
"""


def test_discovery_importing_a_module_that_another_thread_imports_does_not_deadlock(tmp_path):
    # Thread A discovers 'dlplugin', whose module imports 'dlshared'; thread B is importing
    # 'dlshared', which looks up another undiscovered scope. Run in a subprocess: a
    # deadlock must not hang pytest.
    for name, source in DEADLOCK_FILES.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DEADLOCK_MAIN)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "hung: []", "discovery and the import deadlocked"
    assert lines[1:] == ["found: dlplugin.registry Name", "afterwards: True"]


# -- a broken distribution --------------------------------------------------------------


def test_a_broken_entry_point_warns_once_and_leaves_the_other_scopes_working(site):
    broken = site.distribution("fakebroken", BROKEN_REGISTRY)
    healthy = site.distribution("fakehealthy")
    root = site.root

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")  # count every warning issued, repeats included
        for _ in range(3):
            assert root.get(f"{broken}.Name") is None
            assert f"{broken}.Name" not in root
            with pytest.raises(KeyError):
                root.build({"type": "Name", "_scope_": broken})
            with pytest.raises(KeyError):
                root.build({"type": f"{broken}.Name"})
            with root.switch_scope_and_registry(broken) as registry:
                assert registry is root
            assert root.get(f"{healthy}.Name") is _registered_class(f"{healthy}.registry")

    assert [w.category for w in record] == [ScopeDiscoveryWarning]
    message = str(record[0].message)
    assert repr(site.dist_name(broken)) in message
    assert f"RuntimeError: broken plug-in {broken}" in message
    assert site.imported.count(f"{broken}.registry") == 1  # tried once, not on every lookup
    assert type(root.build({"type": "Name", "_scope_": healthy})) is _registered_class(f"{healthy}.registry")


def test_build_errors_for_a_broken_scope_are_key_errors_naming_the_scope(site):
    broken = site.distribution("fakebroken", BROKEN_REGISTRY)
    with pytest.warns(ScopeDiscoveryWarning), pytest.raises(UnknownScopeError, match=broken):
        site.root.build({"type": "Name", "_scope_": broken})
    with pytest.raises(NotRegisteredError, match=broken):
        site.root.build({"type": f"{broken}.Name"})


# -- nothing is imported on the word of a config ----------------------------------------


@pytest.mark.parametrize("key", ["json.dumps", "os.system", "importlib.import_module", "os.path.join"])
def test_dotted_import_paths_are_not_resolved(site, key):
    root = site.root
    assert root.get(key) is None
    assert key not in root
    with pytest.raises(NotRegisteredError):
        root.build({"type": key})


@pytest.mark.filterwarnings("ignore::scopereg.UnknownScopeWarning")  # undeclared scopes on purpose
def test_a_package_that_declares_no_scope_is_never_imported_on_a_configs_word(site):
    guessme = site.plain_package("guessme")
    root = site.root
    healthy = site.distribution("fakealpha")  # discovery itself does run and works

    assert root.get(f"{guessme}.X") is None
    assert root.get(f"{guessme}.registry.X") is None
    assert f"{guessme}.X" not in root
    with pytest.raises(UnknownScopeError):
        root.build({"type": "X", "_scope_": guessme})
    with pytest.raises(NotRegisteredError):
        root.build({"type": f"{guessme}.X"})
    with root.switch_scope_and_registry(guessme) as registry:
        assert registry is root
    init_default_scope(guessme)
    with pytest.raises(NotRegisteredError):
        root.build({"type": "X"})
    init_default_scope(None)

    assert root.get(f"{healthy}.Name") is _registered_class(f"{healthy}.registry")
    assert guessme not in sys.modules
    assert f"{guessme}.registry" not in sys.modules
    assert site.imported == [f"{healthy}.registry"]


# -- provenance -------------------------------------------------------------------------


@pytest.mark.parametrize("top_level", [False, True], ids=["entry-point-only", "top_level.txt"])
def test_provenance_names_the_fake_distribution(site, top_level):
    scope = site.distribution("fakealpha", top_level=top_level)
    entry = site.root.which(f"{scope}.Name")
    assert entry is not None
    assert entry.provenance.module == f"{scope}.registry"
    assert entry.provenance.distribution == site.dist_name(scope)


def test_provenance_of_a_test_local_class_has_no_distribution(site):
    class Local:
        pass

    site.root.register_module(module=Local)
    assert site.root.which("Local").provenance.distribution is None
