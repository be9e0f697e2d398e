"""Program-side opt-in for dotted import paths (``"torch.optim.SGD"``).

By default a key resolves only among registered names: a config is data and never makes
scopereg import a module. A program may allow dotted paths that match glob patterns,
for a block of code (:class:`allow_imports`) or for a registry
(``Registry(..., allow_imports=[...])``).
"""

from __future__ import annotations

from contextvars import ContextVar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from contextvars import Token
    from typing import Any

_allowed: ContextVar[tuple[str, ...]] = ContextVar("scopereg_allowed_imports", default=())


def check_patterns(patterns: Iterable[str], what: str) -> tuple[str, ...]:
    """Validate allowlist patterns: non-empty dotted strings, globs allowed."""
    if isinstance(patterns, str):
        raise TypeError(f"{what} must be a sequence of patterns, not a str: wrap it in a list")
    checked = tuple(patterns)
    for pattern in checked:
        if not isinstance(pattern, str):
            raise TypeError(f"{what} patterns must be str, got {type(pattern).__name__}")
        if "." not in pattern or pattern.startswith("."):
            raise ValueError(f"{what} pattern {pattern!r} must be a dotted path such as 'torch.optim.*'")
    return checked


class allow_imports:  # noqa: N801 - used like a function, as contextlib helpers are
    """Allow dotted import paths matching ``patterns`` inside a ``with`` block.

    The allowlist is context-local: other threads and tasks keep their own. Patterns
    are shell-style globs matched against the whole key (``*`` also crosses dots).

    Example:
        >>> from scopereg import Registry, allow_imports
        >>> FUNCS = Registry("function", scope="demo")
        >>> FUNCS.get("json.dumps") is None
        True
        >>> with allow_imports("json.dumps"):
        ...     FUNCS.get("json.dumps").__name__
        'dumps'
    """

    __slots__ = ("_patterns", "_token")

    def __init__(self, *patterns: str) -> None:
        self._patterns = check_patterns(patterns, "allow_imports")
        self._token: Token[tuple[str, ...]] | None = None

    def __enter__(self) -> allow_imports:
        self._token = _allowed.set(_allowed.get() + self._patterns)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _allowed.reset(self._token)
            self._token = None


def context_patterns() -> tuple[str, ...]:
    """Patterns allowed in the current context."""
    return _allowed.get()


def import_if_allowed(key: str, patterns: tuple[str, ...]) -> Any:
    """Import the callable at dotted path ``key`` if a pattern allows it, else None."""
    if not patterns:
        return None
    from fnmatch import fnmatchcase

    if not any(fnmatchcase(key, pattern) for pattern in patterns):
        return None
    obj = _locate(key)
    return obj if callable(obj) else None


def _locate(path: str) -> Any:
    from importlib import import_module

    parts = path.split(".")
    if not all(parts):
        return None  # an empty segment: never a valid import path
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            obj: Any = import_module(module_name)
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if module_name == missing or module_name.startswith(missing + "."):
                continue  # that module does not exist: try a shorter prefix
            raise ImportError(f"allowed import path {path!r} failed: {exc}") from exc
        except Exception as exc:
            raise ImportError(f"allowed import path {path!r} failed: {exc}") from exc
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
        return obj
    return None
