"""What one source file registers, read with :mod:`ast`: nothing in it runs.

:func:`read_facts` turns a module's source into plain JSON data (cached by
``scopereg._static_files``): its module-level names, the registrations it makes
(``@R.register_module(...)``, ``R.register_module(module=X)``, with ``name=``, alias lists
and ``force``), the calls it passes a name to (``register_classes(MODELS, ...)``: what they
register is known only when they run), ``R.deprecate(...)`` calls, and the modules it
imports. Which registry a name such as ``MODELS`` is, is decided later, against the live
registries: this module knows no registry.

A registration is *static* when its registry, name and object are written out at module
level (in an ``if`` or ``try`` block it is also *conditional*). One in a loop, a
comprehension or a function, one with a computed name, and a registry handed to another
function are recorded as *dynamic*: where they are, never guessed names.

Every walk here is iterative: a deeply nested file is a reported problem, never a
``RecursionError``.
"""

from __future__ import annotations

import ast

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

#: Files larger than this are not read: a problem is reported instead.
MAX_SOURCE_BYTES = 4_000_000

#: Contexts of a statement: it runs once at import (``top``), maybe (``conditional``),
#: many times (``loop``), or only when something calls it (``function``, ``class``).
TOP, CONDITIONAL, LOOP, FUNCTION = "top", "conditional", "loop", "function"

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_BRANCHES = (ast.If, ast.Try, ast.With, ast.AsyncWith) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)


def read_facts(source: bytes, module: str, is_package: bool) -> dict[str, Any]:
    """The facts of ``source``, the text of ``module``; ``{"problem": ...}`` when it cannot be parsed.

    Example:
        >>> from scopereg._static_ast import read_facts
        >>> facts = read_facts(b"from .registry import MODELS\\n@MODELS.register_module()\\nclass Net: ...",
        ...                    "pkg.models", False)
        >>> facts["bindings"]["MODELS"], [(r["names"], r["line"]) for r in facts["registrations"]]
        (['from', 'pkg.registry', 'MODELS'], [(['Net'], 2)])
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return {"problem": f"SyntaxError: {exc.msg} (line {exc.lineno})"}
    except Exception as exc:  # too deep (RecursionError, MemoryError), null bytes (ValueError)...
        return {"problem": f"{type(exc).__name__}: {exc}"}
    reader = _Reader(module, is_package)
    for statement, context in _statements(tree):
        reader.statement(statement, context)
    return reader.facts()


def chain_of(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _statements(tree: ast.Module) -> Iterator[tuple[ast.stmt, str]]:
    """Every statement with its context, in source order, without recursion."""
    stack: list[tuple[ast.stmt, str]] = [(statement, TOP) for statement in reversed(tree.body)]
    while stack:
        statement, context = stack.pop()
        yield statement, context
        inner = _inner_context(statement, context)
        blocks: list[list[ast.stmt]] = []
        for field in ("body", "orelse", "finalbody"):
            block = getattr(statement, field, None)
            if isinstance(block, list) and not (field == "body" and _type_checking_only(statement)):
                blocks.append(block)
        for handler in getattr(statement, "handlers", None) or ():
            blocks.append(handler.body)
        for case in getattr(statement, "cases", None) or ():
            blocks.append(case.body)
        for block in reversed(blocks):
            stack.extend((child, inner) for child in reversed(block) if isinstance(child, ast.stmt))


def _type_checking_only(statement: ast.stmt) -> bool:
    """``if TYPE_CHECKING:``: a block that never runs."""
    return isinstance(statement, ast.If) and (chain_of(statement.test) or [""])[-1] == "TYPE_CHECKING"


def _inner_context(statement: ast.stmt, context: str) -> str:
    if isinstance(statement, _DEFS):
        return FUNCTION
    if context in (FUNCTION, LOOP):
        return context
    if isinstance(statement, _LOOPS):
        return LOOP
    if isinstance(statement, (*_BRANCHES, ast.Match)):
        return CONDITIONAL
    return context


def _own_expressions(statement: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself (not the statements of its blocks)."""
    found: list[ast.AST] = []
    for field, value in ast.iter_fields(statement):
        if field in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        items = value if isinstance(value, list) else [value]
        found.extend(item for item in items if isinstance(item, ast.AST))
    return found


def _walk(root: ast.AST, context: str) -> Iterator[tuple[ast.AST, str, ast.AST | None]]:
    """Every node below ``root`` with its context and parent; comprehensions and lambdas loop."""
    stack: list[tuple[ast.AST, str, ast.AST | None]] = [(root, context, None)]
    while stack:
        node, where, parent = stack.pop()
        yield node, where, parent
        inner = LOOP if isinstance(node, _COMPREHENSIONS) and where != FUNCTION else where
        stack.extend((child, inner, node) for child in ast.iter_child_nodes(node))


class _Reader:
    """Collects the facts of one module, statement by statement."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.bindings: dict[str, list[Any]] = {}
        self.registrations: list[dict[str, Any]] = []
        self.dynamic: list[dict[str, Any]] = []
        self.passes: list[dict[str, Any]] = []
        self.deprecations: list[dict[str, Any]] = []
        self.imports: dict[str, bool] = {}  # module -> imported unconditionally
        self.handled: set[int] = set()  # ids of register_module calls already understood

    def facts(self) -> dict[str, Any]:
        return {
            "bindings": self.bindings,
            "registrations": self.registrations,
            "dynamic": self.dynamic,
            "passes": self.passes,
            "deprecations": self.deprecations,
            "imports": sorted(self.imports),
        }

    def statement(self, statement: ast.stmt, context: str) -> None:
        if context in (TOP, CONDITIONAL):
            self.bind(statement)
            if isinstance(statement, _DEFS):
                self.decorators(statement, context)
            self.registration_call(statement, context)
        for expression in _own_expressions(statement):
            self.expressions(expression, context, statement)

    # -- names bound at module level -----------------------------------------------------

    def bind(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname is None:
                    self.bindings[alias.name.partition(".")[0]] = ["module", alias.name.partition(".")[0]]
                else:
                    self.bindings[alias.asname] = ["module", alias.name]
                self.imports[alias.name] = True
        elif isinstance(statement, ast.ImportFrom):
            self.bind_from(statement)
        elif isinstance(statement, _DEFS):
            self.bindings[statement.name] = ["def", _first_line(statement)]
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            chain = chain_of(value) if value is not None else None
            for target in targets:
                if isinstance(target, ast.Name):
                    self.bindings[target.id] = ["alias", chain] if chain else ["value", statement.lineno]

    def bind_from(self, statement: ast.ImportFrom) -> None:
        source = self.absolute(statement.module, statement.level)
        if source is None:
            return
        self.imports[source] = True
        for alias in statement.names:
            if alias.name == "*":
                continue
            self.bindings[alias.asname or alias.name] = ["from", source, alias.name]
            self.imports[f"{source}.{alias.name}"] = True  # it may be a submodule

    def absolute(self, module: str | None, level: int) -> str | None:
        """The absolute name of a (relative) import, or None when it climbs out of the package."""
        if level == 0:
            return module
        parts = self.package.split(".") if self.package else []
        if level - 1 >= len(parts):
            return None
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, module] if module else base) or None

    # -- registrations -------------------------------------------------------------------

    def decorators(
        self, statement: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, context: str
    ) -> None:
        for decorator in statement.decorator_list:
            if isinstance(decorator, ast.Call) and _is_register_call(decorator):
                self.handled.add(id(decorator))
                self.register(decorator, context, defined=statement)

    def registration_call(self, statement: ast.stmt, context: str) -> None:
        value = statement.value if isinstance(statement, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
        if not isinstance(value, ast.Call):
            return
        if _is_register_call(value) and _keyword(value, "module", 2) is not None:
            self.handled.add(id(value))
            self.register(value, context, obj=_keyword(value, "module", 2))
        elif isinstance(value.func, ast.Call) and _is_register_call(value.func) and len(value.args) == 1:
            self.handled.add(id(value.func))  # R.register_module(...)(obj)
            self.register(value.func, context, obj=value.args[0])

    def register(
        self, call: ast.Call, context: str, *, defined: ast.AST | None = None, obj: ast.expr | None = None
    ) -> None:
        assert isinstance(call.func, ast.Attribute)
        target = chain_of(call.func.value)
        try:
            names = _names(_keyword(call, "name", 0))
            computed = False
        except _ComputedNameError:
            names, computed = None, True
        force = _force(_keyword(call, "force", 1))
        where = {"target": target, "line": call.lineno, "context": context, "kind": "register"}
        if target is None or computed or force is None:
            what = "a computed registry" if target is None else "a computed name or force"
            self.dynamic.append({**where, "reason": f"register_module() with {what}"})
            return
        if isinstance(defined, _DEFS):
            entry = {"names": names or [defined.name], "object": [defined.name], "line": _first_line(defined)}
        else:
            chain = chain_of(obj) if obj is not None else None
            if chain is None:
                self.dynamic.append({**where, "reason": "register_module(module=...) of an expression"})
                return
            entry = {"names": names, "object": chain, "line": call.lineno}
        self.registrations.append(
            {
                **entry,
                "target": target,
                "call_line": call.lineno,
                "force": force,
                "conditional": context != TOP,
            }
        )

    def expressions(self, root: ast.AST, context: str, statement: ast.stmt) -> None:
        """Uses of registries in expressions: stray register_module, deprecate, registries passed on."""
        for node, where, parent in _walk(root, context):
            if isinstance(node, ast.Attribute) and node.attr == "register_module":
                self.stray_register(node, where, parent)
            elif isinstance(node, ast.Call):
                self.call(node, where, statement)

    def stray_register(self, node: ast.Attribute, context: str, parent: ast.AST | None) -> None:
        if isinstance(parent, ast.Call) and parent.func is node and id(parent) in self.handled:
            return
        called = isinstance(parent, ast.Call) and parent.func is node
        if context == FUNCTION:
            reason = "register_module() in a function: it registers when the function is called"
        elif context == LOOP:
            reason = "register_module() in a loop or comprehension"
        elif called:
            reason = "register_module() whose result is used in an expression"
        else:
            reason = "register_module used without being called here"
        where = {"target": chain_of(node.value), "line": node.lineno, "context": context}
        self.dynamic.append({**where, "reason": reason, "kind": "register"})

    def call(self, node: ast.Call, context: str, statement: ast.stmt) -> None:
        func = chain_of(node.func)
        if func is None or context == FUNCTION:
            return
        if func[-1] == "deprecate" and len(func) > 1:
            self.deprecation(node, func[:-1], context)
            return
        if func[-1] in ("Registry", "register_module"):
            return
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            for item in argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument]:
                chain = chain_of(item.value if isinstance(item, ast.Starred) else item)
                if chain is not None:
                    self.passes.append({"chain": chain, "call": ".".join(func), "line": node.lineno})

    def deprecation(self, node: ast.Call, target: list[str], context: str) -> None:
        values = [_constant_str(argument) for argument in node.args[:2]]
        if len(node.args) == 2 and None not in values and context in (TOP, CONDITIONAL):
            alias, replacement = values
            self.deprecations.append(
                {"target": target, "alias": alias, "replacement": replacement, "line": node.lineno}
            )
        else:
            reason = "deprecate() with computed names, or outside module level"
            where = {"target": target, "line": node.lineno, "context": context}
            self.dynamic.append({**where, "reason": reason, "kind": "deprecate"})


def _first_line(definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> int:
    """Where a definition starts, its decorators included (as ``co_firstlineno`` and inspect count)."""
    return min([definition.lineno, *(decorator.lineno for decorator in definition.decorator_list)])


def _is_register_call(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Attribute) and node.func.attr == "register_module"


def _keyword(call: ast.Call, name: str, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _constant_str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names(node: ast.expr | None) -> list[str] | None:
    """``name=``: the names written, or None to infer one; :class:`_ComputedNameError` if computed."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) and node.elts else [node]
    names = [name for name in map(_constant_str, items) if name is not None]
    if len(names) != len(items):
        raise _ComputedNameError
    return names


class _ComputedNameError(Exception):
    """A registration's name is computed: only running the code gives it."""


def _force(node: ast.expr | None) -> bool | None:
    """``force=``: its value, or None when it is computed."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    return None
