"""Check the shape of scopereg's core: module graph without cycles, and size limits.

Run by the lint session (``python packages/core/tools/structure.py``) with scopereg
installed. It prints scopereg's module import graph (TYPE_CHECKING imports included) and
fails when:

- the graph has a cycle;
- a module of ``scopereg`` has more than 400 lines;
- a function or method body (its docstring left out) has more than 50 lines;
- the ``Registry`` class has more than 250 lines.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50
MAX_REGISTRY_LINES = 250


def import_graph() -> dict[str, set[str]]:
    """Module -> the scopereg modules it imports directly (TYPE_CHECKING imports included)."""
    graph = grimp.build_graph("scopereg", exclude_type_checking_imports=False)
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in sorted(graph.modules)}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search, each as the modules along it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                found.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                visit(imported)
        path.pop()
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module)
    return found


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, its docstring left out."""
    body = node.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and len(body) > 1:
        body = body[1:]
    end = node.end_lineno or body[-1].lineno
    return end - body[0].lineno + 1


def size_problems(package: Path) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text()
        name = path.relative_to(package.parent)
        if len(source.splitlines()) > MAX_MODULE_LINES:
            problems.append(f"{name}: {len(source.splitlines())} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = body_lines(node)
                if lines > MAX_FUNCTION_LINES:
                    problems.append(
                        f"{name}:{node.lineno} {node.name}: {lines} lines (at most {MAX_FUNCTION_LINES})"
                    )
            elif isinstance(node, ast.ClassDef) and node.name == "Registry":
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_REGISTRY_LINES:
                    problems.append(
                        f"{name}: class Registry has {lines} lines (at most {MAX_REGISTRY_LINES})"
                    )
    return problems


def main() -> int:
    import scopereg

    graph = import_graph()
    print(f"scopereg's import graph ({len(graph)} modules):")
    for module, imported in graph.items():
        print(f"  {module} -> {', '.join(sorted(imported)) or '(nothing of scopereg)'}")
    problems = [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    problems += size_problems(Path(scopereg.__file__).parent)
    for problem in problems:
        print(f"structure: {problem}", file=sys.stderr)
    print(f"structure: {len(problems)} problem(s); cycles: {len(cycles(graph))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
