"""Concurrency: context-local default scopes in threads and asyncio tasks, lazy locations
imported once however many threads ask at the same time, caches that never hide a later
registration, and failed locations that are tried again."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
import time
import types
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scopereg import (
    DefaultScope,
    LocationImportError,
    NotRegisteredError,
    Registry,
    init_default_scope,
    testing,
)

N_THREADS = 16
ITERATIONS = 300
N_TASKS = 50
TASK_ITERATIONS = 40
TIMEOUT = 60.0  # seconds before a barrier or a join gives up: only reached on a deadlock


def _tag() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads far more often than the default 5 ms, so that they interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def _class_of_scope(scope: str) -> type:
    class Name:
        def __init__(self, **kwargs: object) -> None:
            self.kwargs = kwargs

    Name.scope = scope  # type: ignore[attr-defined]
    return Name


class ScopedTree:
    """A root registry with child scopes ``s0..sN``, each registering its own ``Name``.

    Every child also registers ``Outer``, which builds ``Name`` from the root while it is
    being built: a nested build, resolved in whatever default scope is in force.
    """

    def __init__(self, n_scopes: int) -> None:
        tag = _tag()
        self.root = Registry("model", scope=f"cc_root_{tag}")
        self.root_class = _class_of_scope(self.root.scope)
        self.root.register_module(name="Name", module=self.root_class)
        self.scopes = [f"cc_s{i}_{tag}" for i in range(n_scopes)]
        self.children: dict[str, Registry] = {}
        self.classes: dict[str, type] = {}
        for scope in self.scopes:
            child = Registry("model", parent=self.root, scope=scope)
            self.children[scope] = child
            self.classes[scope] = _class_of_scope(scope)
            child.register_module(name="Name", module=self.classes[scope])
            child.register_module(name="Outer", module=self._outer_class())

    def _outer_class(self) -> type:
        root = self.root

        class Outer:
            def __init__(self) -> None:
                time.sleep(0)  # let another thread run between the outer and the inner build
                self.inner = root.build({"type": "Name"})

        return Outer


def _run_threads(n: int, body: Callable[[int, list[str]], None]) -> list[str]:
    """Run ``body(i, failures)`` in ``n`` threads released together; return the failures."""
    failures: list[str] = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            body(i, failures)
        except BaseException as exc:
            failures.append(f"thread {i} raised {exc!r}")

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not [t for t in threads if t.is_alive()], "threads still running: a deadlock?"
    return failures


def _scope_name() -> str | None:
    current = DefaultScope.get_current_instance()
    return None if current is None else current.scope_name


# -- default scope: threads and tasks ---------------------------------------------------


@pytest.mark.usefixtures("fast_switching")
def test_threads_switching_scope_at_once_each_build_in_their_own_scope():
    tree = ScopedTree(N_THREADS)

    def body(i: int, failures: list[str]) -> None:
        scope = tree.scopes[i]
        mine = tree.classes[scope]
        for iteration in range(ITERATIONS):
            with DefaultScope.overwrite_default_scope(scope):
                time.sleep(0)
                if _scope_name() != scope:
                    failures.append(f"{scope}#{iteration}: overwrite sees {_scope_name()}")
                built = tree.root.build({"type": "Name"})
                if type(built) is not mine:
                    failures.append(f"{scope}#{iteration}: overwrite built {type(built).scope}")
                nested = tree.root.build({"type": "Outer"}).inner
                if type(nested) is not mine:
                    failures.append(f"{scope}#{iteration}: nested build gave {type(nested).scope}")
            with tree.root.switch_scope_and_registry(scope) as registry:
                time.sleep(0)
                if registry is not tree.children[scope]:
                    failures.append(f"{scope}#{iteration}: switch yielded {registry}")
                built = tree.root.build({"type": "Name"})
                if type(built) is not mine:
                    failures.append(f"{scope}#{iteration}: switch built {type(built).scope}")
            nested = tree.root.build({"type": "Outer", "_scope_": scope}).inner
            if type(nested) is not mine:
                failures.append(f"{scope}#{iteration}: _scope_ nested build gave {type(nested).scope}")
            if _scope_name() is not None:
                failures.append(f"{scope}#{iteration}: scope {_scope_name()} leaked out of its block")
            built = tree.root.build({"type": "Name"})
            if type(built) is not tree.root_class:
                failures.append(f"{scope}#{iteration}: outside any scope built {type(built).scope}")

    assert _run_threads(N_THREADS, body) == []


def test_asyncio_tasks_interleaving_between_switch_and_build_keep_their_own_scope():
    tree = ScopedTree(N_THREADS)
    failures: list[str] = []

    async def task(i: int) -> None:
        scope = tree.scopes[i % len(tree.scopes)]
        mine = tree.classes[scope]
        for iteration in range(TASK_ITERATIONS):
            with DefaultScope.overwrite_default_scope(scope):
                await asyncio.sleep(0)
                built = tree.root.build({"type": "Name"})
                if type(built) is not mine:
                    failures.append(f"task {i}#{iteration}: overwrite built {type(built).scope}")
                await asyncio.sleep(0)
                if _scope_name() != scope:
                    failures.append(f"task {i}#{iteration}: overwrite sees {_scope_name()}")
            with tree.root.switch_scope_and_registry(scope) as registry:
                await asyncio.sleep(0)
                built = registry.build({"type": "Outer"}).inner
                if registry is not tree.children[scope] or type(built) is not mine:
                    failures.append(f"task {i}#{iteration}: switch gave {registry}, {type(built).scope}")
            await asyncio.sleep(0)
            built = tree.root.build({"type": "Name"})
            if type(built) is not tree.root_class:
                failures.append(f"task {i}#{iteration}: outside any scope built {type(built).scope}")

    async def main() -> None:
        await asyncio.gather(*(task(i) for i in range(N_TASKS)))

    asyncio.run(main())
    assert failures == []


def test_process_default_reaches_fresh_threads_but_a_thread_overwrite_stays_in_its_thread():
    tree = ScopedTree(2)
    x, y = tree.scopes
    init_default_scope(x)

    def in_fresh_thread(func: Callable[[], object]) -> object:
        result: list[object] = []
        thread = threading.Thread(target=lambda: result.append(func()), daemon=True)
        thread.start()
        thread.join(TIMEOUT)
        assert result, "the thread failed"
        return result[0]

    assert in_fresh_thread(_scope_name) == x
    assert type(in_fresh_thread(lambda: tree.root.build({"type": "Name"}))) is tree.classes[x]

    entered, checked = threading.Event(), threading.Event()
    seen_in_overwriting_thread: list[str | None] = []

    def overwriting_thread() -> None:
        with DefaultScope.overwrite_default_scope(y):
            seen_in_overwriting_thread.append(_scope_name())
            entered.set()
            checked.wait(TIMEOUT)
            seen_in_overwriting_thread.append(_scope_name())
        seen_in_overwriting_thread.append(_scope_name())

    thread = threading.Thread(target=overwriting_thread, daemon=True)
    thread.start()
    try:
        assert entered.wait(TIMEOUT)
        assert _scope_name() == x
        assert type(tree.root.build({"type": "Name"})) is tree.classes[x]
        assert in_fresh_thread(_scope_name) == x
    finally:
        checked.set()
        thread.join(TIMEOUT)
    assert seen_in_overwriting_thread == [y, y, x]


# -- lazy locations -------------------------------------------------------------------


class Site(testing.FakeSite):
    """scopereg.testing's fake site for throwaway packages, plus a holder module.

    The holder module is importable as ``site.holder_name``: location modules import it
    to reach the registry under test and to count how often their body ran.
    """

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(path)
        self.tag = _tag()
        self.holder_name = f"cc_holder_{self.tag}"
        self.holder = types.ModuleType(self.holder_name)
        self.holder.runs = 0  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, self.holder_name, self.holder)

    def package(self, stem: str, modules: dict[str, str]) -> str:
        """Write package ``<stem>_<tag>`` with ``modules`` (name -> source); return its name."""
        name = f"{stem}_{self.tag}"
        files = {f"{name}/__init__.py": ""}
        for module, source in modules.items():
            files[f"{name}/{module}.py"] = textwrap.dedent(source).replace("HOLDER", self.holder_name)
        self.add_files(files)
        return name


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    created = Site(tmp_path, monkeypatch)
    yield created
    created.close()


SLOW_LOCATION = """
    import time
    import HOLDER as holder

    holder.runs += 1
    time.sleep(0.05)  # widen the window in which other threads ask for the registry


    @holder.REGISTRY.register_module()
    class Name:
        pass


    @holder.REGISTRY.register_module()
    class NameFromParentLocation:
        pass
"""


@pytest.mark.parametrize("ask", ["registry", "child"])
def test_concurrent_first_use_imports_the_location_once_and_every_thread_finds_the_class(site, ask):
    package = site.package("cc_lazy", {"models": SLOW_LOCATION})
    root = Registry("model", scope=f"cc_lazyroot_{site.tag}")
    lazy = Registry("model", parent=root, scope=f"cc_lazy_{site.tag}", locations=[f"{package}.models"])
    child = Registry("model", parent=lazy, scope=f"cc_lazychild_{site.tag}")
    site.holder.REGISTRY = lazy  # type: ignore[attr-defined]
    asked = lazy if ask == "registry" else child
    assert f"{package}.models" not in sys.modules  # nothing is imported before the first use
    results: list[object] = [None] * N_THREADS

    def body(i: int, failures: list[str]) -> None:
        results[i] = asked.get("Name")

    assert _run_threads(N_THREADS, body) == []
    name_class = sys.modules[f"{package}.models"].Name
    assert results == [name_class] * N_THREADS
    assert site.holder.runs == 1
    assert child.get("NameFromParentLocation") is sys.modules[f"{package}.models"].NameFromParentLocation
    assert lazy.get("Missing") is None
    assert site.holder.runs == 1


def test_a_child_imports_its_parents_locations_on_its_own_first_use(site):
    package = site.package("cc_parentloc", {"models": SLOW_LOCATION})
    parent = Registry("model", scope=f"cc_parent_{site.tag}", locations=[f"{package}.models"])
    site.holder.REGISTRY = parent  # type: ignore[attr-defined]
    child = Registry("model", parent=parent, scope=f"cc_child_{site.tag}")
    assert f"{package}.models" not in sys.modules
    found = child.get("NameFromParentLocation")
    assert found is sys.modules[f"{package}.models"].NameFromParentLocation
    assert type(child.build({"type": "NameFromParentLocation"})) is found
    assert site.holder.runs == 1


FAILS_UNTIL_READY = """
    import pathlib

    import HOLDER as holder

    holder.runs += 1
    if not (pathlib.Path(__file__).parent / "ready.flag").exists():
        raise RuntimeError("location not ready yet")


    @holder.REGISTRY.register_module()
    class Late:
        pass
"""


def test_a_failing_location_raises_location_import_error_and_is_retried_on_next_use(site):
    package = site.package("cc_flaky", {"models": FAILS_UNTIL_READY})
    location = f"{package}.models"
    scope = f"cc_flaky_{site.tag}"
    registry = Registry("metric", scope=scope, locations=[location])
    site.holder.REGISTRY = registry  # type: ignore[attr-defined]

    for attempt in (1, 2):
        with pytest.raises(LocationImportError) as info:
            registry.get("Late")
        assert isinstance(info.value, ImportError)
        message = str(info.value)
        assert f"{scope}::metric" in message
        assert repr(location) in message
        assert "location not ready yet" in message
        assert isinstance(info.value.__cause__, RuntimeError)
        assert site.holder.runs == attempt  # tried again on every use, not remembered

    (site.path / package / "ready.flag").write_text("")
    late = registry.get("Late")
    assert late is sys.modules[location].Late
    assert site.holder.runs == 3
    assert "Late" in registry
    assert site.holder.runs == 3  # imported for good now


DEADLOCK_HOLDER = """
    import threading

    from scopereg import Registry

    a_in_first = threading.Event()
    b_in_second = threading.Event()
    FIRST = Registry("model", scope="cc_first", locations=["cycle.first"])
    SECOND = Registry("model", scope="cc_second", locations=["cycle.second"])
"""

DEADLOCK_FIRST = """
    from cycle import holder

    holder.a_in_first.set()
    holder.b_in_second.wait(5)
    holder.SECOND.get("Second")  # a lookup in another lazy registry, while being imported


    @holder.FIRST.register_module()
    class First:
        pass
"""

DEADLOCK_SECOND = """
    from cycle import holder

    holder.b_in_second.set()
    holder.a_in_first.wait(5)
    import cycle.first  # the two locations import each other


    @holder.SECOND.register_module()
    class Second:
        pass
"""

DEADLOCK_MAIN = """
    import threading
    import time

    from scopereg import LocationImportError
    from cycle import holder

    outcomes = {}


    def first_use(registry, name):
        try:
            outcomes[name] = registry.get(name).__name__
        except LocationImportError as exc:
            outcomes[name] = type(exc).__name__


    threads = [
        threading.Thread(target=first_use, args=(holder.FIRST, "First"), daemon=True),
        threading.Thread(target=first_use, args=(holder.SECOND, "Second"), daemon=True),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5  # milliseconds are enough unless the two threads deadlock
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    print("hung:", sorted(name for name, t in zip(("First", "Second"), threads) if t.is_alive()))
    if not any(t.is_alive() for t in threads):
        print("outcomes:", sorted(outcomes.items()))
        print("afterwards:", holder.FIRST.get("First").__name__, holder.SECOND.get("Second").__name__)
"""


def test_first_use_of_two_lazy_registries_whose_locations_import_each_other_does_not_deadlock(tmp_path):
    # Thread A imports FIRST's location, which looks SECOND up; thread B imports SECOND's
    # location, which imports FIRST's. Run in a subprocess: a deadlock must not hang pytest.
    package = tmp_path / "cycle"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, source in {
        "holder": DEADLOCK_HOLDER,
        "first": DEADLOCK_FIRST,
        "second": DEADLOCK_SECOND,
    }.items():
        (package / f"{module}.py").write_text(textwrap.dedent(source))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DEADLOCK_MAIN)],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "hung: []", "the two first uses deadlocked"
    # Each thread finds its class, or is told its location failed and may try again...
    assert lines[1] in (
        "outcomes: [('First', 'First'), ('Second', 'Second')]",
        "outcomes: [('First', 'First'), ('Second', 'LocationImportError')]",
        "outcomes: [('First', 'LocationImportError'), ('Second', 'Second')]",
        "outcomes: [('First', 'LocationImportError'), ('Second', 'LocationImportError')]",
    )
    # ...and once both are done, both registries are complete.
    assert lines[2] == "afterwards: First Second"


# -- caches never hide a later change --------------------------------------------------


class _Thing:
    pass


class _Replacement:
    pass


def test_a_registration_after_a_cached_miss_is_seen_at_once_everywhere():
    tree = ScopedTree(2)
    s0, s1 = tree.scopes
    first, sibling = tree.children[s0], tree.children[s1]
    grandchild = Registry("model", parent=first, scope=f"cc_grandchild_{_tag()}")
    misses = [
        (first, "X"),
        (grandchild, "X"),
        (sibling, f"{s0}.X"),
        (tree.root, f"{s0}.X"),
    ]
    for _ in range(2):  # the second round answers from the caches
        for registry, key in misses:
            assert registry.get(key) is None
            assert key not in registry
    with pytest.raises(NotRegisteredError):
        first.build({"type": "X"})

    first.register_module(name="X", module=_Thing)

    for registry, key in misses:
        assert registry.get(key) is _Thing, (registry, key)
        assert key in registry
    assert type(first.build({"type": "X"})) is _Thing
    assert type(grandchild.build({"type": "X"})) is _Thing


def test_force_replacement_is_seen_at_once_from_every_registry_of_the_tree():
    tree = ScopedTree(2)
    s0, s1 = tree.scopes
    tree.root.register_module(name="Shared", module=_Thing)
    askers = [
        (tree.root, "Shared"),
        (tree.children[s0], "Shared"),
        (tree.children[s1], "Shared"),
        (tree.children[s1], f"{tree.root.scope}.Shared"),
        (tree.children[s0], f"{s1}.Shared"),
    ]
    for registry, key in askers:
        assert registry.get(key) is _Thing
        assert registry.get(key) is _Thing  # cached now

    tree.root.register_module(name="Shared", module=_Replacement, force=True)

    for registry, key in askers:
        assert registry.get(key) is _Replacement, (registry, key)
        assert type(registry.build({"type": key})) is _Replacement


def test_a_scope_created_after_a_cached_scope_miss_is_found():
    tree = ScopedTree(1)
    newscope = f"cc_new_{_tag()}"
    key = f"{newscope}.X"
    assert tree.root.get(key) is None
    with tree.root.switch_scope_and_registry(newscope) as registry:
        assert registry is tree.root  # the scope is not in the tree (yet)
    with pytest.raises(KeyError):
        tree.root.build({"type": "X", "_scope_": newscope})

    late = Registry("model", parent=tree.children[tree.scopes[0]], scope=newscope)
    late.register_module(name="X", module=_Thing)

    assert tree.root.get(key) is _Thing
    assert key in tree.root
    with tree.root.switch_scope_and_registry(newscope) as registry:
        assert registry is late
        assert type(tree.root.build({"type": "X"})) is _Thing
    assert type(tree.root.build({"type": "X", "_scope_": newscope})) is _Thing


@pytest.mark.usefixtures("fast_switching")
def test_readers_racing_a_registration_see_it_as_soon_as_it_returns():
    tree = ScopedTree(2)
    s0, s1 = tree.scopes
    owner = tree.children[s0]
    readers = [(owner, "Raced"), (tree.children[s1], f"{s0}.Raced"), (tree.root, f"{s0}.Raced")]
    registered, replaced, stop = threading.Event(), threading.Event(), threading.Event()

    def body(i: int, failures: list[str]) -> None:
        if i == 0:  # the writer
            time.sleep(0.01)  # let the readers cache a few misses first
            owner.register_module(name="Raced", module=_Thing)
            registered.set()
            time.sleep(0.01)
            owner.register_module(name="Raced", module=_Replacement, force=True)
            replaced.set()
            time.sleep(0.01)
            stop.set()
            return
        registry, key = readers[i % len(readers)]
        while not stop.is_set():
            was_replaced, was_registered = replaced.is_set(), registered.is_set()
            found = registry.get(key)
            if was_replaced and found is not _Replacement:
                failures.append(f"{registry} {key}: {found} after the replacement")
            elif was_registered and found not in (_Thing, _Replacement):
                failures.append(f"{registry} {key}: {found} after the registration")

    assert _run_threads(8, body) == []
    for registry, key in readers:
        assert registry.get(key) is _Replacement
