"""What a rejected call means: whether a config's arguments did not fit, and the message that says so.

A ``TypeError`` from calling a callable with a config's keywords is either Python refusing
to bind them (nothing ran: the config is wrong) or an error raised inside the callable
(passed through untouched). :func:`raise_if_rejected` tells the two apart from the
callable's signature.
"""

from __future__ import annotations

from ._errors import BuildArgumentsError
from ._signature import describe_callable, signature_of
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._tree import RegistryNode


def raise_if_rejected(
    exc: TypeError, obj_cls: Any, args: dict[Any, Any], obj_type: Any, registry: RegistryNode
) -> None:
    """Raise BuildArgumentsError when ``exc`` means the arguments do not fit the signature.

    Python binds arguments before any line of a constructor runs, so a rejection found here
    happened before construction: nothing was half-built.
    """
    reason = rejected_arguments(obj_cls, args)
    if reason is None and not all(isinstance(key, str) for key in args):
        reason = "keywords must be str, got " + ", ".join(
            short_repr(k) for k in args if not isinstance(k, str)
        )
    if reason is not None:
        raise BuildArgumentsError(describe_rejection(obj_cls, obj_type, registry, reason)) from exc


def rejected_arguments(obj_cls: Any, args: dict[Any, Any], *, partial: bool = False) -> str | None:
    """Why ``obj_cls(**args)`` cannot bind; None when it can (or cannot be told)."""
    signature = signature_of(obj_cls)
    if signature is None:
        return None
    problems = signature.problems(args, partial=partial)
    return "; ".join(message for _, _, message in problems) or None


def describe_rejection(obj_cls: Any, obj_type: Any, registry: RegistryNode, reason: str) -> str:
    """The message of a :class:`BuildArgumentsError`."""
    signature = signature_of(obj_cls)
    name = obj_type if isinstance(obj_type, str) else getattr(obj_cls, "__qualname__", repr(obj_cls))
    accepts = f" It accepts {signature.text}." if signature is not None else ""
    return (
        f"{registry.label}: {name!r} ({describe_callable(obj_cls)}) rejected the config's arguments: "
        f"{reason}.{accepts}"
    )
