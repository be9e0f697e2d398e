"""Reading one source file's registrations with ast: what is static, what is dynamic, what is broken."""

from __future__ import annotations

import textwrap

import pytest

from scopereg._static_ast import read_facts


def facts(source: str, module: str = "pkg.models", is_package: bool = False) -> dict:
    return read_facts(textwrap.dedent(source).encode(), module, is_package)


def registered(found: dict) -> list[tuple]:
    return [
        (r["target"], r["names"], r["object"], r["line"], r["force"], r["conditional"])
        for r in found["registrations"]
    ]


def test_a_decorated_class_registers_its_own_name_at_the_first_decorator_line():
    found = facts("""
        from .registry import MODELS

        @MODELS.register_module()
        class Net:
            pass
    """)

    assert registered(found) == [(["MODELS"], ["Net"], ["Net"], 4, False, False)]
    assert found["bindings"]["MODELS"] == ["from", "pkg.registry", "MODELS"]


def test_names_aliases_and_force_are_read_from_keywords_and_positions():
    found = facts("""
        import pkg.registry as reg

        @reg.MODELS.register_module(name=["Linear", "Dense"], force=True)
        def make(): ...

        @reg.MODELS.register_module("Solo", True)
        class Solo: ...
    """)

    assert registered(found) == [
        (["reg", "MODELS"], ["Linear", "Dense"], ["make"], 4, True, False),
        (["reg", "MODELS"], ["Solo"], ["Solo"], 7, True, False),
    ]


@pytest.mark.parametrize(
    "call",
    [
        "MODELS.register_module(module=ReLU)",
        "MODELS.register_module(None, False, ReLU)",
        "MODELS.register_module()(ReLU)",
        "relu = MODELS.register_module(module=ReLU)",
    ],
)
def test_a_call_registers_its_module_argument(call):
    found = facts(f"""
        from torch.nn import ReLU
        from .registry import MODELS
        {call}
    """)

    [(target, names, obj, line, _, _)] = registered(found)
    assert (target, names, obj, line) == (["MODELS"], None, ["ReLU"], 4)  # the name comes from ReLU


def test_a_registration_in_an_if_or_try_block_is_conditional():
    found = facts("""
        try:
            import fancy
        except ImportError:
            fancy = None
        if fancy is not None:
            @MODELS.register_module()
            class Fancy: ...
    """)

    assert registered(found)[0][-1] is True


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("for cls in (A, B):\n    MODELS.register_module(module=cls)", "in a loop or comprehension"),
        ("[MODELS.register_module(module=c) for c in (A, B)]", "in a loop or comprehension"),
        ("def setup():\n    MODELS.register_module(module=A)", "in a function"),
        ("MODELS.register_module(name=NAME, module=A)", "a computed name or force"),
        ("MODELS.register_module(name=f'x{1}', module=A)", "a computed name or force"),
        ("MODELS.register_module(module=A, force=FORCE)", "a computed name or force"),
        ("get_registry().register_module(module=A)", "a computed registry"),
        ("register = MODELS.register_module", "without being called"),
        ("MODELS.register_module(module=make())", "of an expression"),
    ],
)
def test_registrations_the_index_cannot_read_are_dynamic_with_their_line(source, reason):
    found = facts("from .registry import MODELS\n" + source)

    assert found["registrations"] == []
    [place] = found["dynamic"]
    assert reason in place["reason"]
    assert place["line"] >= 2


def test_a_registry_handed_to_a_helper_is_recorded_as_passed():
    found = facts("""
        from scopereg._roots import MODELS
        from ._common import register_classes
        register_classes(MODELS, [activation, conv], base=torch.nn.Module)
    """)

    passed = {(tuple(p["chain"]), p["call"], p["line"]) for p in found["passes"]}
    assert (("MODELS",), "register_classes", 4) in passed
    assert (("torch", "nn", "Module"), "register_classes", 4) in passed


def test_calls_inside_functions_and_registry_constructors_pass_nothing():
    found = facts("""
        CHILD = Registry("model", parent=MODELS)
        def build(cfg):
            return helper(MODELS, cfg)
    """)

    assert found["passes"] == []


def test_deprecations_with_literal_names_are_read():
    found = facts("MODELS.deprecate('Relu', 'ReLU')\nMODELS.deprecate(OLD, 'ReLU')")

    assert found["deprecations"] == [
        {"target": ["MODELS"], "alias": "Relu", "replacement": "ReLU", "line": 1}
    ]
    assert [place["kind"] for place in found["dynamic"]] == ["deprecate"]


def test_imports_are_made_absolute_and_type_checking_blocks_are_skipped():
    found = facts(
        """
        from . import backbones
        from .heads import Head
        from .. import utils
        import pkg.models.necks
        if TYPE_CHECKING:
            from .typing_only import Hint
        """,
        module="pkg.models",
        is_package=True,
    )

    assert set(found["imports"]) >= {
        "pkg.models",
        "pkg.models.backbones",
        "pkg.models.heads",
        "pkg.models.heads.Head",
        "pkg",
        "pkg.utils",
        "pkg.models.necks",
    }
    assert not any("typing_only" in name for name in found["imports"])
    assert found["bindings"]["pkg"] == ["module", "pkg"]


def test_a_relative_import_above_the_top_package_is_ignored():
    found = facts("from ... import nothing", module="pkg.models")

    assert found["imports"] == []
    assert "nothing" not in found["bindings"]


def test_simple_aliases_are_bindings_other_assignments_are_values():
    found = facts("BACKBONES = MODELS\nHEADS = reg.MODELS\nCOUNT = 3\n")

    assert found["bindings"] == {
        "BACKBONES": ["alias", ["MODELS"]],
        "HEADS": ["alias", ["reg", "MODELS"]],
        "COUNT": ["value", 3],
    }


@pytest.mark.parametrize(
    "source",
    [
        b"def broken(:\n",
        b"x = 1\x00\n",
        b"(" * 100_000,
        b"x = " + b"[" * 5_000 + b"]" * 5_000,
        b"\xff\xfe\x00garbage",
        b"# -*- coding: nosuchcodec -*-\nx = 1\n",
    ],
    ids=["syntax", "null-byte", "nested-parens", "deep-list", "binary", "bad-codec"],
)
def test_a_source_that_cannot_be_parsed_is_a_problem_never_an_exception(source):
    found = read_facts(source, "pkg.models", False)

    assert set(found) == {"problem"} or "problem" not in found  # parsed, or one problem
    if "problem" in found:
        assert found["problem"]


def test_a_long_file_with_a_deep_expression_is_read_without_recursion():
    lines = ["from .registry import MODELS"]
    lines += [f"@MODELS.register_module()\nclass C{n}: ...\n" for n in range(3000)]
    lines.append("total = " + " + ".join(["helper(MODELS)"] * 1500))  # a BinOp tree 1,500 deep
    source = "\n".join(lines).encode()

    found = read_facts(source, "pkg.models", False)  # deeper than the recursion limit (1,000)

    assert len(found["registrations"]) == 3000
    assert len(found["passes"]) == 1500
