"""What a rejected call means: whether a config's arguments did not fit, and the message that says so.

A ``TypeError`` from calling a callable with a config's keywords is either Python refusing
to bind them (nothing ran: the config is wrong) or an error raised inside the callable
(passed through untouched). :func:`raise_if_rejected` tells the two apart from the
callable's signature.
"""

from __future__ import annotations

from types import FunctionType

from ._entries import MANAGED
from ._errors import BuildArgumentsError
from ._signature import describe_callable, signature_of
from .text import short_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._tree import RegistryNode


#: The config keys a build takes for itself; never passed to a callable.
RESERVED_KEYS = frozenset(("type", "_scope_", "_partial_", "_registry_"))
_CO_VARKEYWORDS = 0x08


def refuses_reserved_keys(obj: Any) -> bool:
    """Whether calling ``obj`` with a reserved key raises TypeError before any of its code runs.

    True for a plain Python function, or a class built by ``type.__call__`` and
    ``object.__new__`` (and without ``__del__``) whose ``__init__`` is one, that takes no
    ``**kwargs`` and has no parameter named like a reserved key: Python refuses such a
    keyword while binding the arguments.

    Example:
        >>> from scopereg._rejection import refuses_reserved_keys
        >>> class Net:
        ...     def __init__(self, depth=1):
        ...         self.depth = depth
        >>> class Loose:
        ...     def __init__(self, **kwargs):
        ...         self.kwargs = kwargs
        >>> refuses_reserved_keys(Net), refuses_reserved_keys(Loose), refuses_reserved_keys(dict)
        (True, False, False)
    """
    function = obj
    if isinstance(obj, type):
        cls: Any = obj  # typed Any: its __new__ and __init__ are the class's own, whatever they are
        if type(cls).__call__ is not type.__call__ or cls.__new__ is not object.__new__ or id(cls) in MANAGED:
            return False  # code of its own could run before __init__ refuses a keyword
        if hasattr(cls, "__del__"):
            return False  # it would run on the object __init__ refused to initialise
        function = cls.__init__
    if type(function) is not FunctionType:
        return False
    code = function.__code__
    if code.co_flags & _CO_VARKEYWORDS:
        return False
    names = code.co_varnames[code.co_posonlyargcount : code.co_argcount + code.co_kwonlyargcount]
    return RESERVED_KEYS.isdisjoint(names)


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
