"""The default scope: context-local, with a process-wide default for fresh threads.

Setting a default scope that no registry has and no installed distribution declares
(a typo such as ``"mmalpah"``) is accepted, as in MMEngine, but warns once per name with
:class:`~scopereg.UnknownScopeWarning`.
"""

from __future__ import annotations

import _thread
import itertools
from contextvars import ContextVar

from ._discovery import ensure_scope, warn_if_unknown_default
from ._errors import DefaultScopeChangeWarning, warn_at_caller
from ._fork import after_fork_in_child

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextvars import Token
    from typing import Any, ClassVar


class _FollowProcess:
    """This context's scope when none was set here: it follows the process-wide default.

    ``_scope_name`` mirrors the process-wide default's scope name (None without one), so
    that ``_current.get()._scope_name`` is the scope name in force here, in one read.
    """

    __slots__ = ("_scope_name",)

    def __init__(self) -> None:
        self._scope_name: str | None = None


#: What ``_current`` holds in a context that set no scope of its own.
FOLLOW = _FollowProcess()
# The scope set for this context by overwrite_default_scope / _scope_, else FOLLOW.
_current: ContextVar[DefaultScope | _FollowProcess] = ContextVar("scopereg_default_scope", default=FOLLOW)
_process: list[DefaultScope | None] = [None]
_lock = _thread.RLock()
_unique = itertools.count()


def _after_fork_in_child() -> None:
    global _lock
    _lock = _thread.RLock()


after_fork_in_child(_after_fork_in_child)


def set_scope(scope: DefaultScope) -> Token[DefaultScope | _FollowProcess]:
    """Make ``scope`` this context's default scope; the token resets it."""
    return _current.set(scope)


def current_scope() -> DefaultScope | None:
    """The default scope in force here: this context's, else the process-wide one."""
    scope = _current.get()
    return _process[0] if scope is FOLLOW else scope  # type: ignore[return-value]


def check_scope_name(scope_name: object, what: str) -> str:
    """Return ``scope_name`` if it is a valid scope name (a non-empty str without '.')."""
    if not isinstance(scope_name, str):
        raise TypeError(f"{what} must be a str, got {type(scope_name).__name__}: {scope_name!r}")
    if not scope_name or "." in scope_name:
        raise ValueError(f"{what} must be a non-empty scope name without '.', got {scope_name!r}")
    return scope_name


def _warn_if_unknown(scope_name: str) -> None:
    """UnknownScopeWarning, once per name, for a scope nobody registers or declares."""
    warn_if_unknown_default(scope_name)


class _Overwrite:
    """Context manager that sets the context's default scope and restores it on exit."""

    __slots__ = ("_scope", "_token")

    def __init__(self, scope: DefaultScope | None) -> None:
        self._scope = scope
        self._token: Token[DefaultScope | _FollowProcess] | None = None

    def __enter__(self) -> None:
        if self._scope is not None:
            self._token = set_scope(self._scope)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None


class DefaultScope:
    """The scope that builds resolve in when a config does not say ``_scope_``.

    MMEngine's classmethod API, with one difference that matters: the current scope is
    context-local (``contextvars``). Switching it in one thread or asyncio task never
    changes what another sees. Creating an instance with :meth:`get_instance` (or calling
    :func:`init_default_scope`) sets the process-wide default, where fresh threads start.

    A scope that no registry has and no installed distribution declares is accepted
    (builds then resolve in the registry asked), with an :class:`~scopereg.UnknownScopeWarning`
    once per scope name.

    Args:
        name: the instance name, as in MMEngine's ``ManagerMixin``.
        scope_name: the scope builds should resolve in, for example ``"mmdet"``.

    Example:
        >>> from scopereg import DefaultScope, Registry
        >>> DET_MODELS = Registry("model", scope="det")
        >>> SEG_MODELS = Registry("model", scope="seg")
        >>> scope = DefaultScope.get_instance("task", scope_name="det")
        >>> DefaultScope.get_current_instance().scope_name
        'det'
        >>> with DefaultScope.overwrite_default_scope("seg"):
        ...     DefaultScope.get_current_instance().scope_name
        'seg'
        >>> DefaultScope.get_current_instance().scope_name
        'det'
    """

    _instances: ClassVar[dict[str, DefaultScope]] = {}
    _ephemeral: ClassVar[dict[str, DefaultScope]] = {}

    __slots__ = ("_instance_name", "_scope_name")

    def __init__(self, name: str, scope_name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"DefaultScope name must be a str, got {type(name).__name__}")
        self._instance_name = name
        self._scope_name = check_scope_name(scope_name, "DefaultScope scope_name")

    @property
    def scope_name(self) -> str:
        """The scope name, for example ``"mmdet"``."""
        return self._scope_name

    @property
    def instance_name(self) -> str:
        """The name the instance was created under."""
        return self._instance_name

    def __repr__(self) -> str:
        return f"DefaultScope({self._instance_name!r}, scope_name={self._scope_name!r})"

    @classmethod
    def get_instance(cls, name: str, **kwargs: Any) -> DefaultScope:
        """Return the instance called ``name``, creating it (and making it current) if new.

        A new instance becomes the process-wide default and this context's current scope.
        Asking for an existing name returns it unchanged; asking with a different
        ``scope_name`` is an error rather than a silent no-op. A new ``scope_name`` that no
        registry has and no installed distribution declares warns once
        (:class:`~scopereg.UnknownScopeWarning`, with did-you-mean) and is used anyway.

        Example:
            >>> from scopereg import DefaultScope, Registry
            >>> DET_MODELS = Registry("model", scope="det")
            >>> DefaultScope.get_instance("run-1", scope_name="det").scope_name
            'det'
            >>> DefaultScope.get_instance("run-1").scope_name
            'det'
        """
        scope_name = kwargs.get("scope_name")
        if isinstance(scope_name, str) and not cls.check_instance_created(name):
            _warn_if_unknown(scope_name)
        with _lock:
            existing = cls._instances.get(name)
            if existing is not None:
                wanted = kwargs.get("scope_name", existing.scope_name)
                if wanted != existing.scope_name or set(kwargs) - {"scope_name"}:
                    raise ValueError(
                        f"DefaultScope {name!r} already exists with scope_name="
                        f"{existing.scope_name!r}; got {kwargs!r}. Use another instance name "
                        "or init_default_scope() to switch scope."
                    )
                return existing
            if "scope_name" not in kwargs:
                raise TypeError(f"DefaultScope {name!r} does not exist yet: pass scope_name=... to create it")
            instance = cls(name, **kwargs)
            cls._instances[name] = instance
            _make_process_default(instance)
            return instance

    @classmethod
    def get_current_instance(cls) -> DefaultScope | None:
        """The default scope in force in this context, or None when none was set.

        Example:
            >>> from scopereg import DefaultScope, Registry
            >>> SEG_MODELS = Registry("model", scope="seg")
            >>> with DefaultScope.overwrite_default_scope("seg"):
            ...     DefaultScope.get_current_instance().scope_name
            'seg'
        """
        return current_scope()

    @classmethod
    def check_instance_created(cls, name: str) -> bool:
        """Whether an instance called ``name`` was created with :meth:`get_instance`."""
        return name in cls._instances

    @classmethod
    def overwrite_default_scope(cls, scope_name: str | None) -> _Overwrite:
        """Context manager: use ``scope_name`` in this context until the block ends.

        ``None`` leaves the current scope as it is, as in MMEngine. Other threads and
        tasks are not affected. A scope that no registry has and no installed
        distribution declares warns once (:class:`~scopereg.UnknownScopeWarning`) and is
        used anyway.

        Example:
            >>> from scopereg import DefaultScope, Registry
            >>> DET_MODELS = Registry("model", scope="det")
            >>> with DefaultScope.overwrite_default_scope("det"):
            ...     DefaultScope.get_current_instance().scope_name
            'det'
        """
        if scope_name is None:
            return _Overwrite(None)
        scope = ephemeral_scope(scope_name)
        _warn_if_unknown(scope_name)
        return _Overwrite(scope)


def switch_scope(scope_name: str | None) -> _Overwrite:
    """:meth:`DefaultScope.overwrite_default_scope` without the unknown-scope warning.

    For ``Registry.switch_scope_and_registry``, which MMEngine's runner calls with the
    scope it already set (and warned about) through ``DefaultScope.get_instance``.
    """
    return _Overwrite(None if scope_name is None else ephemeral_scope(scope_name))


def ephemeral_scope(scope_name: str) -> DefaultScope:
    """A shared, unregistered DefaultScope for temporary switches to ``scope_name``."""
    scope = DefaultScope._ephemeral.get(scope_name)
    if scope is None:
        check_scope_name(scope_name, "scope")
        scope = DefaultScope._ephemeral.setdefault(
            scope_name, DefaultScope(f"overwrite-{scope_name}", scope_name)
        )
    return scope


def _make_process_default(instance: DefaultScope | None) -> None:
    _process[0] = instance
    FOLLOW._scope_name = None if instance is None else instance._scope_name
    if _current.get() is not FOLLOW:
        _current.set(FOLLOW)  # this context follows the new default again


def init_default_scope(scope: str | None) -> None:
    """Set the process-wide default scope (and this context's current scope).

    Fresh threads start from it. When no registry declares ``scope`` yet, the installed
    distribution that declares it through the ``scopereg.scopes`` entry points is
    imported. ``None`` clears the default.

    A scope that no registry has and no installed distribution declares (a typo such as
    ``"mmalpah"``) is still set, as MMEngine does, since programs may set their scope
    before creating its registries; it warns once per scope name with an
    :class:`~scopereg.UnknownScopeWarning` that suggests close scope names and says which
    distributions declare scopes. Replacing a different default scope warns, as MMEngine
    does, with a :class:`~scopereg.DefaultScopeChangeWarning`.

    Example:
        >>> from scopereg import DefaultScope, Registry, init_default_scope
        >>> DET_MODELS = Registry("model", scope="det")
        >>> init_default_scope("det")
        >>> DefaultScope.get_current_instance().scope_name
        'det'
        >>> init_default_scope(None)
        >>> DefaultScope.get_current_instance() is None
        True
    """
    if scope is None:
        with _lock:
            _make_process_default(None)
        return
    check_scope_name(scope, "init_default_scope scope")
    current = current_scope()
    if not ensure_scope(scope):
        _warn_if_unknown(scope)  # one warning: the unknown scope says more than the change
    elif current is not None and current.scope_name != scope:
        warn_at_caller(
            f'The current default scope "{current.scope_name}" is not "{scope}", `init_default_scope` will '
            f'force set the current default scope to "{scope}".',
            DefaultScopeChangeWarning,
        )
    with _lock:
        instance = DefaultScope._instances.get(scope)
        if instance is None or instance.scope_name != scope:
            name = scope if instance is None else f"{scope}-{next(_unique)}"
            instance = DefaultScope(name, scope)
            DefaultScope._instances[name] = instance
        _make_process_default(instance)
