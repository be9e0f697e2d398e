"""What a registered callable accepts, read once per callable, and how to say it."""

from __future__ import annotations

import weakref

from ._provenance import describe
from .text import close_matches, did_you_mean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

#: Signatures by callable, held weakly: the cache never keeps a dropped class alive.
#: Callables that cannot be weakly referenced (or hashed) are read every time instead.
_cache: weakref.WeakKeyDictionary[Any, CallSignature | None] = weakref.WeakKeyDictionary()


class CallSignature:
    """The keyword interface of a callable: accepted names, required names, ``**kwargs``."""

    __slots__ = ("keywords", "names", "required", "takes_any", "text")

    def __init__(
        self, keywords: tuple[str, ...], required: frozenset[str], takes_any: bool, text: str
    ) -> None:
        self.keywords = keywords
        self.names = frozenset(keywords)
        self.required = required
        self.takes_any = takes_any
        self.text = text

    def problems(self, keys: Iterable[object], *, partial: bool = False) -> list[tuple[Any, str, str]]:
        """``(key, kind, message)`` for every keyword that does not fit, and missing argument.

        ``kind`` is ``"unexpected-keyword"`` (a name the callable does not take, or a key
        that is not a str) or ``"missing-argument"``, whose key is None: it belongs to the
        node, not to a key. ``partial`` configs may leave arguments out.
        """
        given = keys if isinstance(keys, (list, tuple, dict)) else list(keys)
        if not self.takes_any and self.names.issuperset(given) and (partial or self.required.issubset(given)):
            return []  # the common case, in C
        if self.takes_any:
            unexpected = [key for key in given if type(key) is not str]
        else:
            names = self.names
            unexpected = [key for key in given if key not in names]
        found = [self._unexpected(key) for key in unexpected]
        if not partial and self.required and not self.required.issubset(given):
            missing = sorted(self.required.difference(given))
            found.extend(
                (None, "missing-argument", f"missing required argument {name!r}") for name in missing
            )
        return found

    def _unexpected(self, key: object) -> tuple[Any, str, str]:
        if not isinstance(key, str):
            return (key, "unexpected-keyword", f"keyword {key!r} is not a str")
        hint = did_you_mean(close_matches(key, self.keywords), inline=True)
        return (key, "unexpected-keyword", f"unexpected keyword {key!r}{hint}")


def signature_of(obj: Any) -> CallSignature | None:
    """The cached :class:`CallSignature` of ``obj``; None when it cannot be introspected.

    Example:
        >>> from scopereg._signature import signature_of
        >>> def relu(inplace=False):
        ...     pass
        >>> signature_of(relu).keywords
        ('inplace',)
    """
    try:
        return _cache[obj]
    except KeyError:
        pass
    except TypeError:  # not weakly referenceable, or unhashable: not cached
        return _read(obj)
    signature = _cache[obj] = _read(obj)
    return signature


def _read(obj: Any) -> CallSignature | None:
    import inspect

    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    params = signature.parameters.values()
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    keywords = tuple(p.name for p in params if p.kind in named)
    required = frozenset(p.name for p in params if p.kind in named and p.default is p.empty)
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    bare = [p.replace(annotation=p.empty) for p in signature.parameters.values()]
    text = str(signature.replace(parameters=bare, return_annotation=inspect.Signature.empty))
    return CallSignature(keywords, required, takes_any, text)


def describe_callable(obj: Any) -> str:
    """``module.qualname (file:line)`` of a callable, as far as it is known (error paths only)."""
    provenance = describe(obj, None)
    location = provenance.location
    if provenance.line is None:  # classes before Python 3.13: ask the source (error paths only)
        import inspect
        from contextlib import suppress

        with suppress(OSError, TypeError):
            location = f"{inspect.getsourcefile(obj)}:{inspect.getsourcelines(obj)[1]}"
    return f"{provenance.module}.{provenance.qualname} ({location})"
