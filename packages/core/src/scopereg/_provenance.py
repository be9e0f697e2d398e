"""Where a registered object comes from: module, file, line and distribution."""

from __future__ import annotations

import sys

from ._discovery import distribution_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any


class Provenance:
    """The origin of one registry entry.

    Attributes:
        module: the module that defines the object (``obj.__module__``).
        qualname: the object's qualified name, or its repr for nameless callables.
        file: the source file, when known.
        line: the line of the definition (or of the registration call), when known.
        forced: True when the entry was registered with ``force=True``.
        replaced: the provenance of the entry this one replaced, if any.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> @MODELS.register_module()
        ... def make_thing():
        ...     return "thing"
        >>> MODELS.which("make_thing").provenance.qualname
        'make_thing'
    """

    __slots__ = ("file", "forced", "line", "module", "qualname", "replaced")

    def __init__(
        self,
        module: str,
        qualname: str,
        file: str | None,
        line: int | None,
        *,
        forced: bool = False,
        replaced: Provenance | None = None,
    ) -> None:
        self.module = module
        self.qualname = qualname
        self.file = file
        self.line = line
        self.forced = forced
        self.replaced = replaced

    @property
    def distribution(self) -> str | None:
        """The installed distribution that ships :attr:`module`, or None (looked up lazily)."""
        return distribution_of(self.module)

    @property
    def location(self) -> str:
        """``file:line``, or whatever part of it is known."""
        if self.file is None:
            return "<unknown>"
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def __repr__(self) -> str:
        extra = ", forced" if self.forced else ""
        if self.replaced is not None:
            extra += f", replaced {self.replaced.module}.{self.replaced.qualname}"
        return f"Provenance({self.module}.{self.qualname} at {self.location}{extra})"


def describe(
    obj: Any,
    caller: FrameType | None,
    *,
    forced: bool = False,
    replaced: Provenance | None = None,
) -> Provenance:
    """Work out the provenance of ``obj``, registered from the frame ``caller``.

    Cheap on purpose (it runs at every registration): no source is read. Functions give
    their code object's file and line; classes give their module's file and, before
    Python 3.13, the line of the registration call when it sits in that same file.
    """
    target = obj
    while hasattr(target, "func") and callable(target.func) and hasattr(target, "keywords"):
        target = target.func  # functools.partial and look-alikes
    if (
        not isinstance(target, type)
        and not hasattr(target, "__code__")
        and not hasattr(target, "__qualname__")
    ):
        target = type(target)  # a callable instance
    caller_module = caller.f_globals.get("__name__", "") if caller is not None else ""
    module = getattr(target, "__module__", None) or caller_module or "<unknown>"
    qualname = getattr(target, "__qualname__", None) or repr(obj)
    code = getattr(target, "__code__", None)
    if code is not None:
        file: str | None = code.co_filename
        line: int | None = code.co_firstlineno
    else:
        file = getattr(sys.modules.get(module), "__file__", None)
        line = getattr(target, "__firstlineno__", None)
    if caller is not None:
        caller_file = caller.f_code.co_filename
        if file is None:
            file, line = caller_file, caller.f_lineno
        elif line is None and caller_file == file:
            line = caller.f_lineno
    return Provenance(module, qualname, file, line, forced=forced, replaced=replaced)


def same_definition(old: Any, new: Any) -> bool:
    """True when ``new`` is ``old`` defined again: a re-run cell, a re-imported module.

    Nameless callables, lambdas and objects defined inside functions only match
    themselves: two of those are different definitions even when their names agree.
    """
    if old is new:
        return True
    qualname = getattr(new, "__qualname__", None)
    if not isinstance(qualname, str) or "<" in qualname:
        return False
    if getattr(old, "__qualname__", None) != qualname:
        return False
    if getattr(old, "__module__", None) == getattr(new, "__module__", None):
        return True
    return _source_file(old) is not None and _source_file(old) == _source_file(new)


def _source_file(obj: Any) -> str | None:
    code = getattr(obj, "__code__", None)
    if code is not None:
        return str(code.co_filename)
    module = sys.modules.get(getattr(obj, "__module__", "") or "")
    file = getattr(module, "__file__", None)
    return file if isinstance(file, str) else None
