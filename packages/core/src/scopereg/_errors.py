"""Exception and warning types, :class:`ConfigProblem`, and warnings that point at the caller."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Frames whose file lies below this directory are scopereg's own (see :func:`warn_at_caller`).
_PACKAGE_DIR = os.path.dirname(__file__) + os.sep


class ScoperegError(Exception):
    """Base class of every error scopereg raises on purpose."""


class _MessageKeyError(ScoperegError, KeyError):
    """A KeyError whose ``str()`` is the message, not the repr of its key."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class NotRegisteredError(_MessageKeyError):
    """A ``type`` names nothing registered in the scopes that were searched.

    Attributes:
        key: the name that was asked for.
        searched: the registries searched, in order, as ``scope::name`` labels.
        suggestions: up to three close matches, scoped when they live elsewhere.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> try:
        ...     MODELS.build({"type": "Missing"})
        ... except NotRegisteredError as exc:
        ...     exc.searched
        ('demo::model',)
    """

    def __init__(
        self,
        message: str,
        *,
        key: str,
        searched: Sequence[str] = (),
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.key = key
        self.searched = tuple(searched)
        self.suggestions = tuple(suggestions)


class DuplicateNameError(_MessageKeyError):
    """A name is already taken by another object in the same registry."""


class DuplicateScopeError(_MessageKeyError):
    """A parent registry already has a child with this scope."""


class MissingTypeError(_MessageKeyError):
    """Neither the config nor ``default_args`` has a ``type`` key."""


class UnknownRegistryError(_MessageKeyError):
    """``_registry_`` (or a command-line argument) names no root registry."""


class ConfigError(_MessageKeyError, TypeError):
    """A config has problems; :attr:`problems` lists every one with its path.

    It is a KeyError and a TypeError, since it may gather unknown names and rejected
    arguments at once. A plain build raises it with one ``"bad-value"`` problem for a
    malformed value: a cfg that is not a mapping, a ``type`` that is neither a name nor a
    callable, a ``_scope_``, ``_registry_`` or ``_partial_`` of the wrong type.

    Example:
        >>> from scopereg import ConfigError, Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> try:
        ...     MODELS.build({"type": "Net", "act": {"type": "ReLU"}}, recursive=True)
        ... except ConfigError as exc:
        ...     [problem.path for problem in exc.problems]
        ['type', 'act.type']
    """

    def __init__(self, message: str, problems: Sequence[ConfigProblem]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class ConfigFileError(ScoperegError, ValueError):
    """A config file cannot be read: unsupported suffix, syntax error, not a mapping."""


class ConfigProblem:
    """One problem found in a config: where (``path``), what (``kind``), and ``message``.

    ``kind`` is one of ``"unknown-type"``, ``"missing-type"``, ``"unexpected-keyword"``,
    ``"missing-argument"`` and ``"bad-value"``; for a config beyond the limits,
    ``"cycle"``, ``"too-deep"`` (:data:`scopereg.MAX_DEPTH`) or ``"too-large"``
    (:data:`scopereg.MAX_NODES`).

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> [problem] = MODELS.validate({"type": "Missing"}, path="model")
        >>> problem.path, problem.kind
        ('model.type', 'unknown-type')
    """

    __slots__ = ("kind", "message", "path")

    def __init__(self, path: str, kind: str, message: str) -> None:
        self.path = path
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def __repr__(self) -> str:
        return f"ConfigProblem({self.path!r}, {self.kind!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConfigProblem):
            return NotImplemented
        return (self.path, self.kind, self.message) == (other.path, other.kind, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.kind, self.message))


class DeprecatedNameWarning(FutureWarning):
    """A config names a deprecated alias; the message names the replacement."""


class UnknownScopeError(_MessageKeyError):
    """``_scope_`` names a scope that no registry and no installed distribution declares."""


class BuildArgumentsError(ScoperegError, TypeError):
    """The registered callable does not accept the arguments of the config.

    The original TypeError is chained as ``__cause__``.
    """


class LocationImportError(ScoperegError, ImportError):
    """A module listed in a registry's ``locations`` failed to import.

    The original exception is chained as ``__cause__``; the import is tried again on the
    registry's next use.
    """


class ScopeDiscoveryWarning(UserWarning):
    """An installed distribution declares a scope whose module failed to import."""


class DefaultScopeChangeWarning(UserWarning):
    """``init_default_scope`` replaced a different default scope, as MMEngine warns.

    Example:
        >>> import warnings
        >>> from scopereg import DefaultScopeChangeWarning, Registry, init_default_scope
        >>> _ = Registry("model", scope="change_a"), Registry("model", scope="change_b")
        >>> init_default_scope("change_a")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     init_default_scope("change_b")
        >>> caught[0].category is DefaultScopeChangeWarning
        True
        >>> init_default_scope(None)
    """


class UnknownScopeWarning(UserWarning):
    """A default scope was set that no registry has and no installed distribution declares.

    Builds then resolve in the registry asked, as MMEngine does; the warning (once per
    scope name) says which scopes exist, so that a typo does not go unnoticed.

    Example:
        >>> import warnings
        >>> from scopereg import UnknownScopeWarning, init_default_scope
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     init_default_scope("no_such_scope_here")
        >>> caught[0].category is UnknownScopeWarning
        True
        >>> init_default_scope(None)
    """


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """Issue a warning attributed to the first frame outside the scopereg package.

    A fixed ``stacklevel`` cannot do this: the same warning is reached through calls of
    different depth (``get``, ``build``, a nested build, a lazy import). When every frame
    is scopereg's (the command line), the outermost one is used.
    """
    import warnings

    frame = sys._getframe(1)
    while frame.f_back is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
    module_globals = frame.f_globals
    warnings.warn_explicit(
        message,
        category,
        frame.f_code.co_filename,
        frame.f_lineno,
        module=module_globals.get("__name__", "<string>"),
        registry=module_globals.setdefault("__warningregistry__", {}),
    )  # no module_globals: for ``python -c`` code, the loader's get_source() raises ImportError


def _is_internal(filename: str) -> bool:
    """scopereg's own files, and importlib's bootstrap (which ``warnings.warn`` skips too)."""
    return filename.startswith(_PACKAGE_DIR) or ("importlib" in filename and "_bootstrap" in filename)
