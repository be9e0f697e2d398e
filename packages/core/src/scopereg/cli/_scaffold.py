"""The files of a new downstream package, rendered from the templates in ``templates/``.

The templates are package data, read with :mod:`importlib.resources` and filled by
:class:`string.Template` (``${name}`` placeholders): no dependency, and plain files to
read and diff. The code they produce is formatted as ``ruff format`` formats it at the
monorepo's line length (:data:`LINE_LENGTH`), and typed for ``mypy --strict``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from importlib import resources
from string import Template

from scopereg import root_registries

#: The line length of the monorepo's ruff configuration: longer lines are split as ruff splits them.
LINE_LENGTH = 110


@dataclass(frozen=True)
class Example:
    """The example entry written into one registry, and its test."""

    template: str  # the stem of its two templates in templates/examples/
    module: str  # its module in the location package
    suffix: str  # its name after the package's prefix
    test_needs: tuple[str, ...]  # what its test imports besides the root registry
    builds_bare: bool  # builds with no argument: the contract check builds it, the README shows it


EXAMPLES = {
    "MODELS": Example("models", "net", "Net", ("torch",), builds_bare=True),
    "DATASETS": Example("datasets", "dataset", "Dataset", ("torch",), builds_bare=True),
    "TRANSFORMS": Example("transforms", "scale", "Scale", (), builds_bare=True),
    "METRICS": Example("metrics", "accuracy", "Accuracy", ("pytest",), builds_bare=True),
    "OPTIMIZERS": Example("optimizers", "sgd", "SGD", ("torch",), builds_bare=False),
    "PARAM_SCHEDULERS": Example(
        "param_schedulers", "warmup", "Warmup", ("pytest", "torch"), builds_bare=False
    ),
    "DATA_SAMPLERS": Example("data_samplers", "reverse", "ReverseSampler", (), builds_bare=False),
    "MODEL_WRAPPERS": Example("model_wrappers", "wrapper", "Wrapper", ("torch",), builds_bare=False),
    "FUNCTIONS": Example("functions", "collate", "collate", (), builds_bare=False),  # a function
}


@dataclass
class Spec:
    """What to write: the package and its choices, as the command resolved them."""

    name: str
    description: str
    roots: list[str]  # public names of the root registries it has children of, in order
    parents: dict[str, tuple[str, str]] = field(default_factory=dict)  # root -> (module, variable)
    parent_text: str = "scopereg's root registries"
    dependencies: list[str] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)
    hatch_test: str | None = None  # the pre-install command of hatch's test environment
    license: str | None = None


def camel(text: str) -> str:
    """``"mm_gamma"`` -> ``"MmGamma"``, ``"task util"`` -> ``"TaskUtil"``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[ _]+", text) if part)


def snake(text: str) -> str:
    """``"ReverseSampler"`` -> ``"reverse_sampler"``, ``"SGD"`` -> ``"sgd"``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text).lower()


def example_of(root: str) -> Example:
    """The example of a root registry: a dedicated one, or a class with one option."""
    generic = Example("generic", "example", camel(root_registries()[root].name), (), builds_bare=True)
    return EXAMPLES.get(root, generic)


def entry_name(spec: Spec, root: str) -> str:
    """The name the example of ``root`` is registered under."""
    example = example_of(root)
    return f"{spec.name}_{example.suffix}" if root == "FUNCTIONS" else camel(spec.name) + example.suffix


def _template(name: str) -> Template:
    return Template((resources.files(__package__) / "templates" / name).read_text(encoding="utf-8"))


def _render(name: str, **values: str) -> str:
    return _template(name).substitute(values).rstrip("\n") + "\n"


def _wrapped(text: str, width: int = 88) -> str:
    """Paragraphs (separated by a blank line) filled to ``width`` columns."""
    return "\n\n".join(textwrap.fill(paragraph, width) for paragraph in text.split("\n\n"))


def _quoted(items: list[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


def package_files(spec: Spec) -> dict[str, str]:
    """Every file of the package: its path in the package folder -> its text."""
    src = f"src/{spec.name}"
    files = {
        "pyproject.toml": _pyproject(spec),
        "README.md": _readme(spec),
        f"{src}/__init__.py": _render("__init__.py.tmpl", package=spec.name, description=spec.description),
        f"{src}/py.typed": "",
        f"{src}/registry.py": _registry_module(spec),
        f"tests/test_{spec.name}.py": _tests(spec),
    }
    if spec.license is not None:
        files["LICENSE"] = spec.license
    for root in spec.roots:
        example = example_of(root)
        location = f"{src}/{root.lower()}"
        values = _example_values(spec, root)
        files[f"{location}/__init__.py"] = _render("location.py.tmpl", **values)
        files[f"{location}/{example.module}.py"] = _render(f"examples/{example.template}.py.tmpl", **values)
    return files


def _example_values(spec: Spec, root: str) -> dict[str, str]:
    example = example_of(root)
    entry = entry_name(spec, root)
    return {
        "package": spec.name,
        "scope": spec.name,
        "registry": root,
        "what": root_registries()[root].name,
        "location": root.lower(),
        "module": example.module,
        "entry": entry,
        "snake": entry if root == "FUNCTIONS" else f"{spec.name}_{snake(example.suffix)}",
    }


def _pyproject(spec: Spec) -> str:
    urls = "".join(f'{label} = "{url}"\n' for label, url in spec.urls)
    hatch_test = ""
    if spec.hatch_test is not None:
        hatch_test = (
            "\n# `hatch test` in this folder: the siblings from their folders first (so that pip does not\n"
            "# look for them on an index), then this package; torch pinned.\n"
            '[tool.hatch.envs.hatch-test]\ninstaller = "pip"\n'
            f"pre-install-commands = [{_quoted([spec.hatch_test])}]\n"
        )
    return _render(
        "pyproject.toml.tmpl",
        package=spec.name,
        scope=spec.name,
        description=spec.description,
        license_files='license-files = ["LICENSE"]\n' if spec.license is not None else "",
        dependencies=_quoted(spec.dependencies),
        urls=f"\n[project.urls]\n{urls}" if urls else "",
        hatch_test=hatch_test,
    )


def parent_label(spec: Spec, root: str) -> str:
    """The registry the child of ``root`` hangs from: ``scopereg.MODELS``, ``mmalpha.registry.MODELS``."""
    if root in spec.parents:
        module, variable = spec.parents[root]
        return f"{module}.{variable}"
    return f"scopereg.{root}"


def _readme(spec: Spec) -> str:
    cells = [
        (root, parent_label(spec, root), f"{spec.name}.{root.lower()}", entry_name(spec, root))
        for root in spec.roots
    ]
    rows = ["| " + " | ".join(f"`{cell}`" for cell in row) + " |" for row in cells]
    bare = [root for root in spec.roots if example_of(root).builds_bare]
    usage = ""
    if bare:
        root = bare[0]
        usage = (
            f"\n```python\nfrom scopereg import {root}\n\n"
            f'built = {root}.build(dict(type="{spec.name}.{entry_name(spec, root)}"))\n```\n'
        )
    return _render(
        "README.md.tmpl",
        package=spec.name,
        scope=spec.name,
        summary=_wrapped(
            "A library built on [scopereg](https://github.com/scopereg/scopereg/tree/main/packages/core) "
            f"that registers its modules into the scope `{spec.name}`; its registries are children of "
            f"{spec.parent_text}."
        ),
        table="\n".join(rows),
        usage=usage,
    )


def _call(target: str, function: str, arguments: list[str]) -> str:
    """``target = function(arguments)`` on one line, or split as ruff format splits it."""
    line = f"{target} = {function}({', '.join(arguments)})"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{target} = {function}(\n" + "".join(f"    {argument},\n" for argument in arguments) + ")"


def _list(target: str, items: list[str]) -> str:
    """``target = [items]`` on one line, or one item per line as ruff format splits it."""
    line = f"{target} = [{', '.join(items)}]"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{target} = [\n" + "".join(f"    {item},\n" for item in items) + "]"


def _registry_module(spec: Spec) -> str:
    imports: dict[tuple[str, str], str] = {}
    lines = []
    for root in spec.roots:
        module, variable = spec.parents.get(root, ("scopereg", root))
        alias = f"PARENT_{root}" if root in spec.parents else f"ROOT_{root}"
        imports[module, variable] = f"from {module} import {variable} as {alias}"
        arguments = [
            f'"{root_registries()[root].name}"',
            f"parent={alias}",
            "scope=SCOPE",
            f'locations=["{spec.name}.{root.lower()}"]',
        ]
        lines.append(_call(root, "Registry", arguments))
    imports["scopereg", "~"] = "from scopereg import Registry"  # after the constants, as isort orders them
    imported = "scopereg and its parents' registry modules" if spec.parents else "scopereg"
    summary = (
        f"{spec.name}'s registries, in scope '{spec.name}'; their parents: {spec.parent_text}.\n\n"
        "Each lists the package that fills it as ``locations``: scopereg imports it on the registry's "
        f"first use. This module imports nothing but {imported}."
    )
    return _render(
        "registry.py.tmpl",
        summary=_wrapped(summary),
        scope=spec.name,
        imports="\n".join(imports[key] for key in sorted(imports, key=lambda key: (key[0], key[1].lower()))),
        registries="\n".join(lines),
        all=_list("__all__", [f'"{name}"' for name in sorted([*spec.roots, "SCOPE"])]),
    )


def _exploded(comment: str, target: str, brackets: str, items: list[str]) -> str:
    """A commented constant, one item per line: ruff format keeps it so (the trailing comma)."""
    body = "".join(f'    "{item}",\n' for item in items)
    return f"#: {comment}\n{target} = {brackets[0]}\n{body}{brackets[1]}"


def _test_imports(spec: Spec) -> str:
    needs = sorted({need for root in spec.roots for need in example_of(root).test_needs})
    roots = sorted(spec.roots, key=str.lower)
    names = "from scopereg import " + ", ".join(roots)
    if len(names) > LINE_LENGTH:
        names = "from scopereg import (\n" + "".join(f"    {root},\n" for root in roots) + ")"
    third_party = "".join(f"import {need}\n" for need in needs)
    return f"{third_party}\n{names}\nfrom scopereg.testing import check_scope".lstrip("\n")


def _tests(spec: Spec) -> str:
    names = sorted(root_registries()[root].name for root in spec.roots)
    constants = _exploded(
        "The names of the scope's registries (their roots' names).", "REGISTRIES", "{}", names
    )
    bare = [f"{spec.name}.{entry_name(spec, root)}" for root in spec.roots if example_of(root).builds_bare]
    if bare:
        constants += "\n\n" + _exploded("The examples that build with no argument.", "BUILT_BARE", "[]", bare)
    tests = "".join(
        _render(f"examples/{example_of(root).template}_test.py.tmpl", **_example_values(spec, root))
        for root in spec.roots
    )
    return _render(
        "test_package.py.tmpl",
        package=spec.name,
        scope=spec.name,
        imports=_test_imports(spec),
        constants=constants,
        built="    assert set(BUILT_BARE) <= set(check.built)\n" if bare else "",
        tests=tests,
    )
