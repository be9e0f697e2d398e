"""A process that forks while another thread holds a scopereg lock gives a working child.

A forked child has only the thread that forked, but a copy of every lock: one that another
thread held stays held forever unless scopereg gives it a fresh state in the child. Each
test holds one lock in a thread, forks, and lets the child build, register and switch
scopes; the parent gives the child 5 seconds (it needs milliseconds unless it hangs).
"""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import threading
import time
import traceback
import types
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from scopereg import DefaultScope, Registry, _discovery, _scope, init_default_scope

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available here")

CHILD_TIMEOUT = 5.0  # seconds: a hang guard, not a speed requirement
THREAD_TIMEOUT = 60.0

LOCATION = """
    import os

    import HOLDER as holder

    if os.getpid() == holder.PARENT_PID and holder.BLOCK_IMPORT:
        holder.importing.set()  # the parent's thread stops here, in the middle of the import
        holder.release.wait(60)


    @holder.LAZY.register_module()
    class Lazy:
        def __init__(self, size=1):
            self.size = size
"""


class LazyTree:
    """A root and a child registry whose ``locations`` register ``Lazy`` on first use."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch, *, block_import: bool = False) -> None:
        tag = uuid.uuid4().hex[:8]
        self.scope = f"fork_child_{tag}"
        self.root = Registry("model", scope=f"fork_root_{tag}")
        location = f"fork_location_{tag}"
        self.lazy = Registry("model", parent=self.root, scope=self.scope, locations=[location])
        self.holder = types.ModuleType(f"fork_holder_{tag}")
        self.holder.__dict__.update(
            LAZY=self.lazy,
            PARENT_PID=os.getpid(),
            BLOCK_IMPORT=block_import,
            importing=threading.Event(),
            release=threading.Event(),
        )
        monkeypatch.setitem(sys.modules, self.holder.__name__, self.holder)
        source = textwrap.dedent(LOCATION).replace("HOLDER", self.holder.__name__)
        (path / f"{location}.py").write_text(source)
        monkeypatch.syspath_prepend(str(path))
        self.location = location

    def use_everything(self) -> None:
        """What the child does: a first (lazy) build, a registration, scope switches, discovery."""
        assert type(self.lazy.build({"type": "Lazy", "size": 2})).__name__ == "Lazy"

        @self.lazy.register_module()
        class Late:
            pass

        assert self.root.get(f"{self.scope}.Late") is Late
        init_default_scope(self.scope)
        assert type(self.root.build({"type": "Lazy"})).__name__ == "Lazy"
        with DefaultScope.overwrite_default_scope(self.scope):
            assert DefaultScope.get_current_instance().scope_name == self.scope
        assert DefaultScope.get_instance(f"run-{self.scope}", scope_name=self.scope).scope_name == self.scope
        assert self.root.get(f"undeclared_{self.scope}.Lazy") is None  # asks the discovery
        init_default_scope(None)


@pytest.fixture
def lazy_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LazyTree]:
    tree = LazyTree(tmp_path, monkeypatch)
    yield tree
    sys.modules.pop(tree.location, None)


@contextmanager
def held_by_another_thread(lock: Any) -> Iterator[None]:
    """``lock`` is acquired by a second thread for the duration of the block."""
    acquired = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with lock:
            acquired.set()
            release.wait(THREAD_TIMEOUT)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert acquired.wait(THREAD_TIMEOUT)
    try:
        yield
    finally:
        release.set()
        thread.join(THREAD_TIMEOUT)


def run_in_forked_child(child: Callable[[], None]) -> int:
    """Fork; the child runs ``child`` and exits 0 (1 on an error). Return the child's exit code."""
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a multi-threaded process may deadlock the child:
        # that risk is exactly what these tests check scopereg against.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
        code = 1
        try:
            child()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    deadline = time.monotonic() + CHILD_TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the forked child did not finish within {CHILD_TIMEOUT} s: it hangs on a lock")


LOCKS: dict[str, Callable[[LazyTree], Any]] = {
    "default-scope lock": lambda tree: _scope._lock,
    "discovery lock": lambda tree: _discovery._lock,
    "tree index lock": lambda tree: tree.root._index.lock,
    "locations import lock": lambda tree: tree.lazy._import_lock,
}


@pytest.mark.parametrize("lock_of", LOCKS.values(), ids=LOCKS.keys())
def test_a_child_forked_while_another_thread_holds_a_lock_builds_registers_and_switches_scope(
    lazy_tree: LazyTree, lock_of: Callable[[LazyTree], Any]
) -> None:
    with held_by_another_thread(lock_of(lazy_tree)):
        code = run_in_forked_child(lazy_tree.use_everything)

    assert code == 0
    lazy_tree.use_everything()  # and the parent, once the thread let go, still works


def test_a_child_forked_while_another_thread_imports_a_location_imports_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = LazyTree(tmp_path, monkeypatch, block_import=True)
    errors: list[BaseException] = []

    def first_use() -> None:
        try:
            tree.lazy.build({"type": "Lazy"})
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=first_use, daemon=True)
    thread.start()
    try:
        assert tree.holder.importing.wait(THREAD_TIMEOUT)
        assert thread.ident in tree.lazy._loading_threads

        code = run_in_forked_child(tree.use_everything)
    finally:
        tree.holder.release.set()
        thread.join(THREAD_TIMEOUT)

    assert code == 0
    assert errors == []
    tree.use_everything()
    sys.modules.pop(tree.location, None)
