"""Fork safety: what a forked child needs so that its first build does not hang.

A child process gets a copy of every lock in the state it had at the fork, but only the
thread that forked. A lock another thread held stays held forever, so each module with a
lock registers a callback (:func:`after_fork_in_child`) that gives it a fresh one.

Imports are the other trap: a thread that was importing a location or a plug-in holds
Python's own per-module import lock, and the half-run module sits in ``sys.modules``.
:func:`forget_imports_of` lets the child import such modules again from the start.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Collection


def after_fork_in_child(callback: Callable[[], None]) -> None:
    """Run ``callback`` in every child forked from now on (no-op where fork does not exist)."""
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=callback)


def forget_imports_of(threads: Collection[int]) -> None:
    """Make the modules that ``threads`` were importing at the fork importable again.

    Call it in the child only, with the idents of the parent's other threads (they do not
    exist in the child). Their half-run modules leave ``sys.modules``, and their import
    locks leave importlib's table, so the next import runs the module afresh instead of
    waiting for a thread that will never finish.
    """
    if not threads:
        return
    try:
        from importlib import _bootstrap

        table: dict[str, Callable[[], object]] = _bootstrap._module_locks  # type: ignore[attr-defined]
        held = [name for name, ref in list(table.items()) if getattr(ref(), "owner", None) in threads]
    except Exception:  # a private table of importlib: best effort only
        return
    for name in held:
        table.pop(name, None)
        module = sys.modules.get(name)
        if getattr(getattr(module, "__spec__", None), "_initializing", False):
            del sys.modules[name]


__all__ = ["after_fork_in_child", "forget_imports_of"]
