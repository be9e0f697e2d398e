"""Registry.build's hot path (no default scope in force, or the registry's own) agrees with the full path.

Each test runs in a fresh interpreter: a default scope set by one test changes which
path the builds of the others take.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

PRELUDE = """
    from scopereg import Registry, init_default_scope
    from scopereg import _scope

    ROOT = Registry("model", scope="hot_root")
    ALPHA = Registry("model", parent=ROOT, scope="hot_alpha")


    class Old:
        def __init__(self, x=1):
            self.x = x


    class New(Old):
        pass


    ROOT.register_module(name="Net", module=Old)
    ALPHA.register_module(name="Net", module=New)
"""


def run(code: str) -> list[str]:
    source = textwrap.dedent(PRELUDE) + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_the_hot_path_is_taken_and_sees_a_forced_replacement_at_once():
    out = run(
        """
        print(_scope.current_scope(), ROOT.build({"type": "Net"}).__class__.__name__)
        ROOT.build({"type": "Net"})
        print("Net" in ROOT._ctor_cache)  # the second build filled the hot path's cache
        ROOT.register_module(name="Net", module=New, force=True)
        print(ROOT.build({"type": "Net", "x": 2}).__class__.__name__)
        """
    )
    assert out == ["None", "Old", "True", "New"]


def test_a_scope_set_later_is_honoured_by_every_build_after_it():
    out = run(
        """
        for _ in range(3):
            ROOT.build({"type": "Net"})
        print(ROOT.build({"type": "Net", "_scope_": "hot_alpha"}).__class__.__name__)
        print(_scope.current_scope(), ROOT.build({"type": "Net"}).__class__.__name__)  # the switch is over
        init_default_scope("hot_alpha")
        print(ROOT.build({"type": "Net"}).__class__.__name__)
        """
    )
    assert out == ["New", "None", "Old", "New"]


def test_the_hot_path_is_taken_under_the_registrys_own_default_scope_and_not_under_another():
    out = run(
        """
        init_default_scope("hot_root")
        ROOT.build({"type": "Net"})
        print(ROOT.build({"type": "Net"}).__class__.__name__, "Net" in ROOT._ctor_cache)
        ROOT.register_module(name="Net", module=New, force=True)
        print(ROOT.build({"type": "Net", "x": 2}).__class__.__name__)
        ROOT.register_module(name="Net", module=Old, force=True)
        init_default_scope("hot_alpha")
        print(ROOT.build({"type": "Net"}).__class__.__name__)  # the scope in force resolves in ALPHA
        """
    )
    assert out == ["Old", "True", "New", "New"]


def test_rejected_arguments_on_the_hot_path_are_a_build_arguments_error():
    out = run(
        """
        from scopereg import BuildArgumentsError
        ROOT.build({"type": "Net"}); ROOT.build({"type": "Net"})
        try:
            ROOT.build({"type": "Net", "y": 1})
        except BuildArgumentsError as exc:
            print(type(exc).__name__, "'y'" in str(exc))
        """
    )
    assert out == ["BuildArgumentsError", "True"]
