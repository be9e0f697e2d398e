"""A package that declares no scope (every OpenMMLab package today), reached from the program.

The fake distribution ships a package whose only registry module is ``registry.py`` and
no ``scopereg.scopes`` entry point; each snippet runs in a fresh interpreter that sees it
as installed.
"""

from __future__ import annotations

import json

FILES = {
    "mmdetlike/__init__.py": "",
    "mmdetlike/registry.py": """
        from scopereg import MODELS as ROOT_MODELS
        from scopereg import Registry

        MODELS = Registry("model", parent=ROOT_MODELS, scope="mmdetlike")


        @MODELS.register_module()
        class Detector:
            def __init__(self, depth=50):
                self.depth = depth
    """,
}


def test_without_a_declaration_the_scope_is_unknown_and_nothing_is_imported(python, fake_distribution):
    dist_info = fake_distribution("mmdetlike", FILES)  # metadata, but no scopereg.scopes entry point

    out = python.output(
        """
        import sys
        from scopereg import MODELS
        try:
            MODELS.build(dict(type="Detector", _scope_="mmdetlike"))
        except KeyError as exc:
            print(type(exc).__name__)
        print("mmdetlike.registry" in sys.modules)
        """,
        extra_path=dist_info.parent,
    )

    assert out.splitlines() == ["UnknownScopeError", "False"]


def test_declared_scope_serves_scoped_keys_scope_keys_and_default_scopes(python, fake_distribution):
    dist_info = fake_distribution("mmdetlike", FILES)

    out = python.output(
        """
        import scopereg
        from scopereg import MODELS, init_default_scope

        scopereg.declare_scope("mmdetlike", "mmdetlike.registry")
        print(MODELS.build(dict(type="mmdetlike.Detector", depth=101)).depth)
        print(MODELS.build(dict(type="Detector", _scope_="mmdetlike")).depth)
        init_default_scope("mmdetlike")
        print(MODELS.build(dict(type="Detector", depth=18)).depth)
        """,
        extra_path=dist_info.parent,
    )

    assert out.splitlines() == ["101", "50", "18"]


def test_doctor_lists_a_scope_declared_on_the_command_line(python, fake_distribution):
    dist_info = fake_distribution("mmdetlike", FILES)

    result = python.run(
        """
        import sys
        from scopereg.cli import main
        sys.exit(main(["doctor", "--declare-scope", "mmdetlike=mmdetlike.registry", "--json"]))
        """,
        extra_path=dist_info.parent,
        check=False,
    )

    findings = json.loads(result.stdout)["findings"]
    declared = [f for f in findings if f["kind"] == "declared-by-program"]
    assert [f["where"] for f in declared] == ["<declared by the program>: mmdetlike = mmdetlike.registry"]
    assert result.returncode == 0
