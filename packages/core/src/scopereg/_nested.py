"""Nested configs: validate a whole config, and build it children first.

A *node* is a mapping with a ``type``. Its special keys: ``_scope_`` (the scope for the
node and its subtree), ``_partial_`` (return a ``functools.partial``) and ``_registry_``
(resolve in another root registry, same scope). Mappings and lists without ``type`` are
plain data, searched for nodes but otherwise kept as they are (copied, never mutated).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._errors import (
    ConfigError,
    ConfigProblem,
    LocationImportError,
    NotRegisteredError,
    ScoperegError,
    UnknownScopeError,
)
from ._limits import join_path, limit_problem, short_repr
from ._scope import _current, current_scope, ephemeral_scope
from ._signature import describe_callable, signature_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextvars import Token
    from typing import Any

    from ._registry import Registry

_SPECIAL = ("type", "_scope_", "_partial_", "_registry_")


def validate(
    cfg: Any, registry: Registry, *, recursive: bool = True, default_args: Mapping[str, Any] | None = None,
    path: str = "",
) -> list[ConfigProblem]:  # fmt: skip
    """Every problem of ``cfg`` as resolved from ``registry``, without building anything.

    Never raises for the config's data: malformed values, cycles, excess depth and size
    are problems with their paths. Only a registry whose locations fail to import raises.
    """
    where = path or "(config)"
    if not isinstance(cfg, Mapping):
        kind = type(cfg).__name__
        return [ConfigProblem(where, "bad-value", f"a config node must be a mapping, got {kind}")]
    if not _mapping_or_none(default_args):
        kind = type(default_args).__name__
        return [ConfigProblem(where, "bad-value", f"default_args must be a mapping or None, got {kind}")]
    if recursive:
        for data in (cfg, default_args):
            limit = limit_problem(data, path)
            if limit is not None:
                return [limit]
    node = dict(cfg)
    for key, value in (default_args or {}).items():
        node.setdefault(key, value)
    problems: list[ConfigProblem] = []
    _validate_node(node, registry, path, problems, recursive)
    return problems


def _mapping_or_none(value: object) -> bool:
    return value is None or isinstance(value, Mapping)


def _validate_node(
    node: Mapping[Any, Any], registry: Registry, path: str, problems: list[ConfigProblem], recursive: bool
) -> None:
    args = {k: v for k, v in node.items() if k not in _SPECIAL}
    partial = node.get("_partial_", False)
    if not isinstance(partial, bool):
        problems.append(
            ConfigProblem(
                join_path(path, "_partial_"), "bad-value", f"must be True or False, got {short_repr(partial)}"
            )
        )
    try:
        registry = _registry_of(node, registry)
        token = _enter_scope(node, registry)
    except ScoperegError as exc:  # a bad _scope_ or _registry_: the subtree cannot be resolved
        problems.append(ConfigProblem(join_path(path, _special_key(exc)), "bad-value", str(exc)))
        return
    try:
        obj_cls = _resolve_type(node, registry, path, problems)
        found = (
            [] if obj_cls is None else _argument_problems(obj_cls, node["type"], args, partial is True, path)
        )
        children = _holder(node, registry)
        for key, value in args.items():  # in the config's order: a key, then what is inside it
            problems.extend(problem for problem in found if problem.path == join_path(path, key))
            if recursive:
                _validate_value(value, children, join_path(path, key), problems)
        problems.extend(problem for problem in found if problem.kind == "missing-argument")
    finally:
        if token is not None:
            _current.reset(token)


def _special_key(exc: Exception) -> str:
    if isinstance(exc, ConfigError) and exc.problems:
        return exc.problems[0].path  # "_scope_" or "_registry_"
    return "_scope_" if isinstance(exc, UnknownScopeError) else "_registry_"


def _validate_value(value: Any, registry: Registry, path: str, problems: list[ConfigProblem]) -> None:
    if isinstance(value, Mapping):
        if "type" in value:
            _validate_node(value, registry, path, problems, recursive=True)
        else:
            for key, item in value.items():
                _validate_value(item, registry, join_path(path, key), problems)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _validate_value(item, registry, join_path(path, index), problems)


def _resolve_type(
    node: Mapping[Any, Any], registry: Registry, path: str, problems: list[ConfigProblem]
) -> Any:
    from ._build import _resolve, _scope_target

    where = join_path(path, "type")
    if "type" not in node:
        problems.append(
            ConfigProblem(path or "(config)", "missing-type", f"{registry._label}: the node has no 'type'")
        )
        return None
    current = current_scope()
    target = registry if current is None else _scope_target(registry, current.scope_name)
    try:
        return _resolve(node["type"], target, registry, {})
    except NotRegisteredError as exc:
        problems.append(ConfigProblem(where, "unknown-type", str(exc)))
    except LocationImportError:
        raise  # the installation is broken, not the config: validate says so by raising
    except (ScoperegError, LookupError, TypeError, ValueError, ImportError) as exc:
        problems.append(ConfigProblem(where, "bad-value", str(exc)))
    return None


def _argument_problems(
    obj_cls: Any, obj_type: Any, args: Mapping[Any, Any], partial: bool, path: str
) -> list[ConfigProblem]:
    signature = signature_of(obj_cls)
    if signature is None:
        return []
    reported = signature.problems(args, partial=partial)
    if not reported:
        return []  # the common case: where the callable is defined is only read for a problem
    name = obj_type if isinstance(obj_type, str) else getattr(obj_cls, "__qualname__", repr(obj_cls))
    what = f"{name!r} ({describe_callable(obj_cls)})"
    found = []
    for key, message in reported:
        kind = "missing-argument" if key is None else "unexpected-keyword"
        where = (path or "(config)") if key is None else join_path(path, key)
        found.append(ConfigProblem(where, kind, f"{message} for {what}; it accepts {signature.text}"))
    return found


def _registry_of(node: Mapping[Any, Any], registry: Registry) -> Registry:
    if "_registry_" not in node:
        return registry
    from ._build import other_root

    return other_root(node["_registry_"], registry)


def _enter_scope(node: Mapping[Any, Any], registry: Registry) -> Token[Any] | None:
    """Switch to the node's ``_scope_`` (checked as a build would); the token to reset, if any."""
    scope = node.get("_scope_")
    if scope is None:
        return None
    from ._build import check_scope

    check_scope(scope, registry)
    return _current.set(ephemeral_scope(scope))


def build_recursive(cfg: Any, registry: Registry, default_args: Mapping[str, Any] | None) -> Any:
    """Validate the whole config, then build its nodes children first."""
    problems = validate(cfg, registry, recursive=True, default_args=default_args)
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise ConfigError(
            f"{registry._label}: the config has {len(problems)} problem(s):\n{listing}", problems
        )
    node = dict(cfg)
    for key, value in (default_args or {}).items():
        node.setdefault(key, value)
    return _build_node(node, registry)


def _build_node(node: Mapping[Any, Any], registry: Registry) -> Any:
    from ._build import build_from_cfg

    target = _registry_of(node, registry)
    token = _enter_scope(node, target)
    try:
        children = _holder(node, target)
        built = {
            key: _build_value(value, children) if key not in _SPECIAL else value
            for key, value in node.items()
        }
    finally:
        if token is not None:
            _current.reset(token)
    return build_from_cfg(built, registry)


def _holder(node: Mapping[Any, Any], registry: Registry) -> Registry:
    """Where a node's children resolve: the registry holding the node's own type.

    So a child of ``mmbeta.BetaNet`` resolves as mmbeta's code would resolve it when
    building its parts itself (in mmbeta's registry, then its ancestors).
    """
    from ._build import _scope_target

    obj_type = node.get("type")
    if not isinstance(obj_type, str):
        return registry
    current = current_scope()
    target = registry if current is None else _scope_target(registry, current.scope_name)
    for start in (target, registry):
        try:
            entry = start._resolve(obj_type)[0]
        except ScoperegError:  # reported where the type is resolved
            return registry
        if entry is not None:
            return entry.registry
    return registry


def _build_value(value: Any, registry: Registry) -> Any:
    if isinstance(value, Mapping):
        if "type" in value:
            return _build_node(value, registry)
        return {key: _build_value(item, registry) for key, item in value.items()}
    if isinstance(value, list):
        return [_build_value(item, registry) for item in value]
    if isinstance(value, tuple):
        return tuple(_build_value(item, registry) for item in value)
    return value
