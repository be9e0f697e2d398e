"""Registration: decorator and call forms, names, duplicates, atomicity, provenance."""

from __future__ import annotations

import functools
import sys

import pytest

from scopereg import DuplicateNameError, DuplicateScopeError, Registry


def test_decorator_returns_the_class_and_registers_it(tree):
    @tree.alpha.register_module()
    class Net:
        pass

    assert tree.alpha.get("Net") is Net
    assert tree.alpha.module_dict == {"Net": Net}


def test_call_form_with_functions_partials_and_lambdas(tree):
    def relu(x=0):
        return max(x, 0)

    partial = functools.partial(relu, x=-3)
    tree.alpha.register_module(module=relu)
    tree.alpha.register_module(name="relu_neg", module=partial)
    tree.alpha.register_module(name="double", module=lambda x=1: 2 * x)
    assert tree.alpha.build({"type": "relu", "x": 4}) == 4
    assert tree.alpha.build({"type": "relu_neg"}) == 0
    assert tree.alpha.build({"type": "double", "x": 5}) == 10


def test_callable_instances_can_be_registered(tree):
    class Factory:
        def __call__(self, size=1):
            return [0] * size

    tree.alpha.register_module(name="zeros", module=Factory())
    assert tree.alpha.build({"type": "zeros", "size": 2}) == [0, 0]


def test_a_sequence_of_names_registers_every_alias(tree):
    @tree.alpha.register_module(name=("Linear", "Dense"))
    class Linear:
        pass

    assert tree.alpha.get("Linear") is Linear
    assert tree.alpha.get("Dense") is Linear


def test_a_list_of_names_is_registered_atomically(tree):
    class Taken:
        pass

    class New:
        pass

    tree.alpha.register_module(name="B", module=Taken)
    with pytest.raises(DuplicateNameError):
        tree.alpha.register_module(name=["A", "B", "C"], module=New)
    assert tree.alpha.get("A") is None
    assert tree.alpha.get("C") is None
    assert tree.alpha.get("B") is Taken


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": 3}, TypeError),
        ({"name": ["ok", 3]}, TypeError),
        ({"name": b"bytes"}, TypeError),
        ({"force": 1}, TypeError),
        ({"force": "yes"}, TypeError),
        ({"name": []}, ValueError),
        ({"name": ""}, ValueError),
        ({"name": "a.b"}, ValueError),
        ({"name": " padded"}, ValueError),
        ({"name": ["x", "x"]}, ValueError),
    ],
)
def test_bad_register_arguments_raise_precise_errors(tree, kwargs, error):
    with pytest.raises(error):
        tree.alpha.register_module(module=dict, **kwargs)
    assert len(tree.alpha) == 0


def test_non_callables_are_rejected(tree):
    with pytest.raises(TypeError, match="only callables"):
        tree.alpha.register_module(name="x", module=42)


def test_decorator_without_parentheses_is_explained(tree):
    with pytest.raises(TypeError, match=r"register_module\(\) with parentheses"):

        @tree.alpha.register_module  # type: ignore[arg-type]
        class Net:
            pass


def test_nameless_callables_need_a_name(tree):
    with pytest.raises(TypeError, match="pass name="):
        tree.alpha.register_module(module=lambda: None)
    with pytest.raises(TypeError, match="pass name="):
        tree.alpha.register_module(module=functools.partial(int, "1"))


def test_duplicate_names_raise_keyerror_naming_registry_and_defining_module(tree):
    @tree.alpha.register_module(name="Net")
    class First:
        pass

    class Second:
        pass

    with pytest.raises(KeyError) as info:
        tree.alpha.register_module(name="Net", module=Second)
    message = str(info.value)
    assert f"{tree.a}::model" in message
    assert f"{__name__}." in message
    assert "First" in message
    assert "force=True" in message
    assert tree.alpha.get("Net") is First


def test_registering_the_same_object_again_is_not_an_error(tree):
    class Net:
        pass

    tree.alpha.register_module(module=Net)
    tree.alpha.register_module(module=Net)
    assert tree.alpha.get("Net") is Net
    assert tree.alpha.which("Net").provenance.replaced is None


def test_a_rerun_definition_replaces_the_old_one(tree):
    namespace: dict[str, object] = {"__name__": "notebook_cell"}
    source = "class Net:\n    pass\n"
    exec(compile(source, "<cell-1>", "exec"), namespace)
    first = namespace["Net"]
    tree.alpha.register_module(module=first)
    exec(compile(source, "<cell-2>", "exec"), namespace)
    second = namespace["Net"]
    tree.alpha.register_module(module=second)
    assert tree.alpha.get("Net") is second
    assert tree.alpha.which("Net").provenance.replaced is not None


def test_locally_defined_twins_are_different_definitions(tree):
    def make():
        class Net:
            pass

        return Net

    tree.alpha.register_module(module=make())
    with pytest.raises(DuplicateNameError):
        tree.alpha.register_module(module=make())


def test_force_replaces_and_provenance_records_the_replacement(tree):
    @tree.alpha.register_module(name="Net")
    class First:
        pass

    @tree.alpha.register_module(name="Net", force=True)
    class Second:
        pass

    entry = tree.alpha.which("Net")
    assert entry.obj is Second
    assert entry.provenance.forced is True
    assert entry.provenance.replaced is not None
    assert entry.provenance.replaced.qualname.endswith("First")


def test_provenance_records_module_file_and_line(tree):
    @tree.alpha.register_module()
    def relu():
        return 0

    provenance = tree.alpha.which("relu").provenance
    assert provenance.module == __name__
    assert provenance.file == __file__
    assert provenance.line == relu.__code__.co_firstlineno
    assert provenance.location == f"{__file__}:{provenance.line}"
    assert provenance.distribution is None  # a test module ships with no distribution


def test_provenance_of_a_class_points_at_its_definition(tree):
    @tree.alpha.register_module()
    class Net:
        pass

    provenance = tree.alpha.which("Net").provenance
    assert provenance.file == __file__
    assert provenance.line is not None
    with open(__file__, encoding="utf-8") as file:
        line = file.read().splitlines()[provenance.line - 1]
    assert "class Net" in line or "register_module" in line


def test_provenance_names_the_distribution_of_installed_code(tree):
    tree.alpha.register_module(name="raises", module=pytest.raises)
    assert tree.alpha.which("raises").provenance.distribution == "pytest"


def test_a_parent_has_one_child_per_scope(tree):
    with pytest.raises(DuplicateScopeError, match=tree.a):
        Registry("model", parent=tree.root, scope=tree.a)
    assert isinstance(DuplicateScopeError("x"), KeyError)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": 3}, TypeError),
        ({"name": ""}, ValueError),
        ({"name": "m", "scope": 3}, TypeError),
        ({"name": "m", "scope": "a.b"}, ValueError),
        ({"name": "m", "scope": ""}, ValueError),
        ({"name": "m", "parent": "MODELS"}, TypeError),
        ({"name": "m", "build_func": 3}, TypeError),
        ({"name": "m", "locations": "pkg.module"}, TypeError),
        ({"name": "m", "locations": [3]}, TypeError),
        ({"name": "m", "allow_imports": "torch.*"}, TypeError),
        ({"name": "m", "allow_imports": ["torch"]}, ValueError),
    ],
)
def test_bad_registry_arguments_raise_precise_errors(kwargs, error):
    with pytest.raises(error):
        Registry(**kwargs)


def test_scope_is_inferred_from_the_creating_package():
    module = type(sys)("somepkg.sub.registry")
    exec("from scopereg import Registry\nREG = Registry('model')\n", module.__dict__)
    assert module.REG.scope == "somepkg"


def test_scope_inference_skips_subclass_constructors():
    module = type(sys)("otherpkg.registry")
    exec(
        "from scopereg import Registry\n"
        "class MyRegistry(Registry):\n"
        "    def __init__(self, name):\n"
        "        super().__init__(name)\n"
        "REG = MyRegistry('model')\n",
        module.__dict__,
    )
    assert module.REG.scope == "otherpkg"


def test_children_inherit_the_build_func(tree):
    def build_twice(cfg, registry, default_args=None):
        return ("built", cfg["type"])

    root = Registry("model", scope="bfroot", build_func=build_twice)
    child = Registry("model", parent=root, scope="bfchild")
    assert child.build_func is build_twice
    assert child.build({"type": "X"}) == ("built", "X")
    own = Registry("model", parent=root, scope="bfown", build_func=lambda cfg, registry: "own")
    assert own.build({"type": "X"}) == "own"


def test_properties(tree):
    assert tree.gamma.name == "model"
    assert tree.gamma.scope == tree.c
    assert tree.gamma.parent is tree.alpha
    assert tree.gamma.root is tree.root
    assert dict(tree.root.children) == {tree.a: tree.alpha, tree.b: tree.beta}
    with pytest.raises(TypeError):
        tree.root.children["x"] = tree.alpha  # type: ignore[index]
    with pytest.raises(TypeError):
        tree.root.module_dict["x"] = int  # type: ignore[index]
