"""Shared by the torch registration modules: the torch import and class collection."""

from __future__ import annotations

try:
    import torch
except ImportError as exc:  # pragma: no cover - exercised in a process without torch
    raise ImportError(
        "scopereg's torch registrations need PyTorch, which is not installed: pip install 'scopereg[torch]'"
    ) from exc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

    from scopereg._registry import Registry

__all__ = ["register_classes", "torch"]


def register_classes(
    registry: Registry,
    modules: Iterable[ModuleType],
    base: type,
    *,
    exclude: Iterable[str] = (),
    defined_here: bool = True,
) -> None:
    """Register the public subclasses of ``base`` found in ``modules``, by class name.

    ``defined_here`` keeps only classes defined in the module itself, not re-exported.
    """
    skipped = set(exclude)
    for module in modules:
        for name, obj in sorted(vars(module).items()):
            if (
                isinstance(obj, type)
                and issubclass(obj, base)
                and obj is not base
                and not name.startswith("_")
                and name not in skipped
                and (not defined_here or obj.__module__ == module.__name__)
            ):
                registry.register_module(module=obj)
