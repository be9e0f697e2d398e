"""Runtime promises: no leaks, no silent typos, precise messages, warnings at the caller's line.

- The signature cache holds callables weakly: dropped classes are freed.
"""

from __future__ import annotations

import gc
import uuid
import weakref

from scopereg import (
    BuildArgumentsError,
    Registry,
)


def _unique(stem: str) -> str:
    return f"{stem}_{uuid.uuid4().hex[:8]}"


# -- the signature cache holds callables weakly ---------------------------------------------


def _rejected(registry: Registry, name: str) -> bool:
    """Build with a misspelt keyword; True when rejected (the exception is not kept alive)."""
    try:
        registry.build({"type": name, "sise": 2})
    except BuildArgumentsError:
        return True
    return False


def test_classes_dropped_after_their_signatures_were_read_are_freed():
    registry = Registry("model", scope=_unique("weak"))
    alive: list[weakref.ref[type]] = []
    for i in range(1000):
        cls = type(f"Throwaway{i}", (), {"__init__": lambda self, size=1: None})
        registry.register_module(module=cls)
        assert type(registry.build({"type": cls.__name__, "size": 2})) is cls
        assert registry.build({"type": cls.__name__, "size": 2, "_partial_": True}).func is cls
        alive.append(weakref.ref(cls))
    assert _rejected(registry, cls.__name__)  # the error path reads the signature too
    assert registry.validate({"type": cls.__name__, "size": 2}) == []
    del cls, registry
    gc.collect()

    assert [ref for ref in alive if ref() is not None] == []


def test_callables_that_cannot_be_weakly_referenced_still_get_their_signature_checked():
    class Slotted:
        __slots__ = ()

        def __call__(self, size: int = 1) -> int:
            return size

    registry = Registry("function", scope=_unique("slots"))
    registry.register_module(name="slotted", module=Slotted())
    assert registry.build({"type": "slotted", "size": 3}) == 3
    assert _rejected(registry, "slotted")
    assert _rejected(registry, "slotted")  # not cached, read again: same answer
