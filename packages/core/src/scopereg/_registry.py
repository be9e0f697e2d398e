"""Registry: MMEngine's registry API, each method delegating to the layer that does the work."""

from __future__ import annotations

from types import MappingProxyType

from . import _lookup
from ._build import build_from_cfg
from ._diagnose import check_deprecation, explain_in_scope, switch_registry
from ._entries import add_deprecated
from ._errors import LocationImportError
from ._fast import registry_build
from ._locations import import_locations
from ._plan import plan
from ._table import render_table
from ._tree import RegistryNode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from contextlib import AbstractContextManager
    from typing import Any

    from ._diagnose import Resolution
    from ._entries import Entry
    from ._errors import ConfigProblem


class Registry(RegistryNode):
    """A table of names to callables that builds objects from configs.

    Registries form trees: a child searches its ancestors for unscoped names, and any
    registry reaches any other of its tree through a scoped key (``"mmalpha.Name"``).

    Args:
        name: what the registry holds, for example ``"model"``.
        build_func: builds from ``(cfg, *args, registry=..., **kwargs)``; the parent's by
            default, :func:`build_from_cfg` at a root.
        parent: the parent registry, usually a root registry.
        scope: the scope; by default the top-level package of the module creating it.
        locations: modules imported on the registry's first use (its registrations).
        allow_imports: dotted import paths keys may name, for this registry and below
            (``["torch.optim.*"]``, see :class:`allow_imports`); else registered names only.

    Example:
        >>> from scopereg import Registry
        >>> MODELS = Registry("model", scope="demo")
        >>> @MODELS.register_module()
        ... class ResNet:
        ...     def __init__(self, depth: int) -> None:
        ...         self.depth = depth
        >>> MODELS.build({"type": "ResNet", "depth": 50}).depth
        50
        >>> DETECTORS = Registry("model", parent=MODELS, scope="det")
        >>> DETECTORS.get("ResNet") is ResNet, DETECTORS.parent is MODELS, DETECTORS.path
        (True, True, 'det')
    """

    def __init__(
        self,
        name: str,
        build_func: Callable[..., Any] | None = None,
        parent: Registry | None = None,
        scope: str | None = None,
        locations: Iterable[str] = (),
        *,
        allow_imports: Iterable[str] = (),
    ) -> None:
        super().__init__(name, parent, scope, locations, allow_imports)
        inherited = build_from_cfg if parent is None else parent._build_func
        self.build_func = inherited if build_func is None else build_func  # the setter checks it

    @property
    def module_dict(self) -> Mapping[str, Any]:
        """Names and objects of this registry alone (read-only), its locations imported."""
        import_locations(self)
        return MappingProxyType(self._objects)

    @property
    def build_func(self) -> Callable[..., Any]:
        """The function :meth:`build` delegates to."""
        return self._build_func

    @build_func.setter
    def build_func(self, func: Callable[..., Any]) -> None:
        if not callable(func):
            raise TypeError(f"build_func must be callable, got {type(func).__name__}")
        self._build_func = func
        self._hot_path = func is build_from_cfg  # another build_func sees every build
        self._index.bump()  # forgets the constructors remembered for the hot path

    def __len__(self) -> int:
        import_locations(self)
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __repr__(self) -> str:
        problem = ""
        try:
            import_locations(self)
        except LocationImportError as exc:
            problem = f"\n(locations failed: {exc})"
        rows = [(name, repr(obj)) for name, obj in sorted(self._objects.items())]
        caption = f"scope: {self.scope}"
        return render_table(f"Registry of {self.name}", ("Names", "Objects"), rows, caption=caption) + problem

    def switch_scope_and_registry(self, scope: str | None) -> AbstractContextManager[Registry]:
        """Switch the default scope for a block and yield this tree's registry of it (else this one).

        A scope missing from the tree is first looked up among the installed
        distributions. ``None`` keeps the current default scope.

        Example:
            >>> from scopereg import Registry, DefaultScope
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> with MODELS.switch_scope_and_registry("alpha") as registry:
            ...     registry is ALPHA, DefaultScope.get_current_instance().scope_name
            (True, 'alpha')
        """
        return switch_registry(self, scope)

    def import_from_location(self) -> None:
        """Import this registry's ``locations`` now, if not done yet.

        Raises:
            LocationImportError: a location failed; it is tried again on the next use.

        Example:
            >>> from scopereg import Registry
            >>> Registry("function", scope="demo", locations=["json"]).import_from_location()
        """
        import_locations(self)

    def get(self, key: str) -> Any:
        """The object registered under ``key`` (``"Name"``, ``"scope.Name"``), or None.

        Dotted import paths resolve only when an allowlist permits them.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> BETA = Registry("model", parent=MODELS, scope="beta")
            >>> @ALPHA.register_module()
            ... class LogSoftmax:
            ...     pass
            >>> BETA.get("alpha.LogSoftmax") is LogSoftmax, BETA.get("LogSoftmax")
            (True, None)
        """
        try:
            return self._cache[key]
        except (KeyError, TypeError):
            return _lookup.lookup(self, key)

    def entries(self) -> Mapping[str, Entry]:
        """This registry's own entries by name (read-only), its own locations imported first.

        Example:
            >>> from scopereg import Registry
            >>> FUNCS = Registry("function", scope="demo")
            >>> _ = FUNCS.register_module(name="double", module=lambda x: 2 * x)
            >>> list(FUNCS.entries()), FUNCS.entries()["double"].key
            (['double'], 'demo.double')
        """
        import_locations(self)  # its own only: a failing ancestor does not hide them
        return MappingProxyType(self._entries)

    def explain(self, key: str, *, scope: str | None = None) -> Resolution:
        """How ``key`` resolves from here, as a build in the current default scope (or ``scope``) would.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="root")
            >>> [r.label for r in MODELS.explain("Missing").searched]
            ['root::model']
        """
        return explain_in_scope(self, key, scope)

    def which(self, key: str) -> Entry | None:
        """The entry ``key`` resolves to from this registry (with its provenance), or None.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="root")
            >>> ALPHA = Registry("model", parent=MODELS, scope="alpha")
            >>> _ = MODELS.register_module(name="relu", module=lambda: "relu")
            >>> ALPHA.which("relu").registry is MODELS
            True
        """
        if not isinstance(key, str):
            raise TypeError(f"{self.label} registry keys are str, got {type(key).__name__}: {key!r}")
        return _lookup.resolve(self, key)[0]

    def deprecate(self, alias: str, replacement: str) -> None:
        """Make ``alias`` a deprecated name of ``replacement`` (which may be scoped).

        Resolving the alias warns once (:class:`DeprecatedNameWarning`) and gives the
        replacement's object; listings and did-you-mean do not show it.

        Raises:
            NotRegisteredError: ``replacement`` does not resolve from this registry.

        Example:
            >>> import warnings
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="demo")
            >>> _ = MODELS.register_module(name="ResNetV2", module=dict)
            >>> MODELS.deprecate("ResNet2", "ResNetV2")
            >>> with warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     MODELS.get("ResNet2") is dict, str(caught[0].message)
            (True, "demo::model: 'ResNet2' is deprecated; use 'ResNetV2' instead.")
        """
        check_deprecation(self, alias, replacement)
        add_deprecated(self, alias, replacement)

    build = registry_build  # MMEngine's build(cfg, *args, **kwargs), with its hot paths

    def validate(
        self,
        cfg: Mapping[str, Any],
        recursive: bool = True,
        *,
        default_args: Mapping[str, Any] | None = None,
        path: str = "",
    ) -> list[ConfigProblem]:
        """Check a whole config without constructing anything; return every problem.

        Each node must resolve as a build would (scopes, ``_scope_``, ``_registry_``)
        and fit its callable's signature; ``path`` prefixes the reported paths. Data
        never makes it raise; a registry whose locations fail raises LocationImportError.

        Example:
            >>> from scopereg import Registry
            >>> MODELS = Registry("model", scope="demo")
            >>> _ = MODELS.register_module(name="ReLU", module=lambda inplace=False: inplace)
            >>> [p.path for p in MODELS.validate({"type": "ReLU", "inplce": True}, path="act")]
            ['act.inplce']
        """
        return plan(cfg, self, default_args=default_args, recursive=recursive, path=path).problems
