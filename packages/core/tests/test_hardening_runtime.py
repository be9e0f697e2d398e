"""Runtime promises: no leaks, no silent typos, precise messages, warnings at the caller's line.

- The signature cache holds callables weakly: dropped classes are freed.
- A default scope that nobody registers or declares warns once (UnknownScopeWarning).
- Unknown-scope messages list the declared scopes and their distributions, even first thing.
- DeprecatedNameWarning, ScopeDiscoveryWarning and UnknownScopeWarning point at this file.
- ``deprecate()`` rejects a replacement that resolves to nothing.
"""

from __future__ import annotations

import gc
import sys
import uuid
import warnings
import weakref

import pytest
from sites import BROKEN_REGISTRY

import scopereg
from scopereg import (
    BuildArgumentsError,
    DefaultScope,
    DeprecatedNameWarning,
    NotRegisteredError,
    Registry,
    ScopeDiscoveryWarning,
    UnknownScopeError,
    UnknownScopeWarning,
    init_default_scope,
)


def _unique(stem: str) -> str:
    return f"{stem}_{uuid.uuid4().hex[:8]}"


def _typo(scope: str) -> str:
    """``fakealpha_<tag>`` -> ``fakealpah_<tag>``: one transposition, as a hurried user types."""
    return scope.replace("alpha", "alpah", 1)


# -- the signature cache holds callables weakly ---------------------------------------------


def _rejected(registry: Registry, name: str) -> bool:
    """Build with a misspelt keyword; True when rejected (the exception is not kept alive)."""
    try:
        registry.build({"type": name, "sise": 2})
    except BuildArgumentsError:
        return True
    return False


def test_classes_dropped_after_their_signatures_were_read_are_freed():
    registry = Registry("model", scope=_unique("weak"))
    alive: list[weakref.ref[type]] = []
    for i in range(1000):
        cls = type(f"Throwaway{i}", (), {"__init__": lambda self, size=1: None})
        registry.register_module(module=cls)
        assert type(registry.build({"type": cls.__name__, "size": 2})) is cls
        assert registry.build({"type": cls.__name__, "size": 2, "_partial_": True}).func is cls
        alive.append(weakref.ref(cls))
    assert _rejected(registry, cls.__name__)  # the error path reads the signature too
    assert registry.validate({"type": cls.__name__, "size": 2}) == []
    del cls, registry
    gc.collect()

    assert [ref for ref in alive if ref() is not None] == []


def test_callables_that_cannot_be_weakly_referenced_still_get_their_signature_checked():
    class Slotted:
        __slots__ = ()

        def __call__(self, size: int = 1) -> int:
            return size

    registry = Registry("function", scope=_unique("slots"))
    registry.register_module(name="slotted", module=Slotted())
    assert registry.build({"type": "slotted", "size": 3}) == 3
    assert _rejected(registry, "slotted")
    assert _rejected(registry, "slotted")  # not cached, read again: same answer


# -- a default scope nobody declares warns once -----------------------------------------------


def _set_with_init(scope: str) -> None:
    init_default_scope(scope)


def _set_with_overwrite(scope: str) -> None:
    with DefaultScope.overwrite_default_scope(scope):
        assert DefaultScope.get_current_instance().scope_name == scope


def _set_with_get_instance(scope: str) -> None:
    DefaultScope.get_instance(_unique("run"), scope_name=scope)


SETTERS = {
    "init_default_scope": _set_with_init,
    "overwrite_default_scope": _set_with_overwrite,
    "get_instance": _set_with_get_instance,
}


@pytest.mark.parametrize("set_scope", SETTERS.values(), ids=SETTERS.keys())
def test_setting_an_unknown_default_scope_warns_once_with_did_you_mean_and_the_declaring_distributions(
    site, set_scope
):
    declared = site.distribution("fakealpha")
    typo = _typo(declared)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        set_scope(typo)
        set_scope(typo)

    [warning] = caught
    assert warning.category is UnknownScopeWarning
    message = str(warning.message)
    assert f"default scope {typo!r}" in message
    assert f"Did you mean {declared!r}" in message  # the closest first
    assert f"{declared!r} ({site.dist_name(declared)})" in message
    assert warning.filename == __file__
    assert site.imported == []  # the check reads the entry points, it imports nothing


def test_an_unknown_default_scope_is_still_set_and_builds_fall_back_to_the_registry_asked(tree):
    @tree.root.register_module()
    class Net:
        pass

    with pytest.warns(UnknownScopeWarning, match="mmalpah"):
        init_default_scope("mmalpah")

    assert DefaultScope.get_current_instance().scope_name == "mmalpah"
    assert type(tree.beta.build({"type": "Net"})) is Net


@pytest.mark.parametrize("set_scope", SETTERS.values(), ids=SETTERS.keys())
def test_registered_and_declared_default_scopes_do_not_warn(site, tree, set_scope):
    declared = site.distribution("fakealpha")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", scopereg.DefaultScopeChangeWarning)  # a change, not an unknown
        set_scope(tree.b)
        set_scope(declared)


def test_the_unknown_scope_warning_is_public_and_a_user_warning():
    assert scopereg.UnknownScopeWarning is UnknownScopeWarning
    assert "UnknownScopeWarning" in scopereg.__all__
    assert issubclass(UnknownScopeWarning, UserWarning)


# -- unknown-scope messages list the declared scopes first thing -------------------------------


def test_the_first_unknown_scope_error_suggests_a_declared_scope_and_names_its_distribution(site):
    declared = site.distribution("fakealpha")
    typo = _typo(declared)

    with pytest.raises(UnknownScopeError) as info:
        site.root.build({"type": "Name", "_scope_": typo})

    message = str(info.value)
    assert f"Did you mean {declared!r}" in message  # the closest first
    assert f"{declared!r} ({site.dist_name(declared)})" in message
    assert site.imported == []


def test_the_first_unknown_scope_in_a_key_suggests_a_declared_scope_and_names_its_distribution(site):
    declared = site.distribution("fakealpha")
    typo = _typo(declared)

    with pytest.raises(NotRegisteredError) as info:
        site.root.build({"type": f"{typo}.Name"})

    message = str(info.value)
    assert f"scope {typo!r} is not in the 'model' tree" in message
    assert f"did you mean {declared!r}" in message
    assert f"{declared!r} ({site.dist_name(declared)})" in message
    assert info.value.suggestions[0] == f"{declared}.Name"
    assert site.imported == []


# -- warnings point at the caller's line ------------------------------------------------------


def test_a_deprecated_name_warns_at_the_line_that_used_it(tree):
    @tree.root.register_module()
    class NewName:
        pass

    tree.alpha.deprecate("OldName", "NewName")
    tree.beta.deprecate("OldName", "NewName")
    tree.gamma.deprecate("OldName", "NewName")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert tree.alpha.get("OldName") is NewName
        assert type(tree.beta.build({"type": "OldName"})) is NewName
        assert type(tree.gamma.build({"type": "OldName"}, recursive=True)) is NewName
        assert tree.gamma.validate({"type": "OldName"}) == []

    assert [w.category for w in caught] == [DeprecatedNameWarning] * 3
    assert [w.filename for w in caught] == [__file__] * 3


def test_a_broken_entry_point_warns_at_the_line_that_needed_its_scope(site):
    broken = site.distribution("fakebroken", BROKEN_REGISTRY)

    with pytest.warns(ScopeDiscoveryWarning) as caught:
        assert site.root.get(f"{broken}.Name") is None

    assert [w.filename for w in caught] == [__file__]


def test_an_unknown_default_scope_warns_at_the_line_that_set_it():
    with pytest.warns(UnknownScopeWarning) as caught:
        init_default_scope(_unique("nowhere"))
    assert [w.filename for w in caught] == [__file__]


# -- deprecate() rejects a replacement that does not exist -------------------------------------


def test_deprecate_rejects_a_replacement_that_resolves_to_nothing_with_did_you_mean(tree):
    @tree.alpha.register_module()
    class ResNetV2:
        pass

    with pytest.raises(NotRegisteredError) as info:
        tree.alpha.deprecate("ResNet2", "ResNetV3")

    message = str(info.value)
    assert message.startswith(f"{tree.a}::model: cannot make 'ResNet2' a deprecated name of 'ResNetV3'")
    assert info.value.key == "ResNetV3"
    assert info.value.suggestions == ("ResNetV2",)
    assert "Did you mean 'ResNetV2'?" in message
    assert tree.alpha.get("ResNet2") is None  # nothing was recorded
    tree.alpha.deprecate("ResNet2", "ResNetV2")  # the alias is still free


@pytest.mark.parametrize("replacement", ["Net", "{b}.Net", "{root}.{a}.Net", "Older"])
def test_deprecate_accepts_replacements_that_resolve(tree, replacement):
    @tree.beta.register_module()
    class Net:
        pass

    tree.alpha.register_module(module=Net)
    tree.alpha.deprecate("Older", "Net")
    if replacement == "Older":
        tree.alpha.deprecate("Oldest", "Older")  # a deprecated name of a deprecated name
        alias = "Oldest"
    else:
        alias = "Old"
        tree.alpha.deprecate(alias, replacement.format(a=tree.a, b=tree.b, root=tree.root_scope))

    with pytest.warns(DeprecatedNameWarning):
        assert tree.alpha.get(alias) is Net


def test_deprecate_imports_the_registrys_locations_to_find_the_replacement(tmp_path, monkeypatch):
    module = _unique("deprecate_location")
    scope = _unique("deprecating")
    (tmp_path / f"{module}.py").write_text(
        f"import sys\nREGISTRY = sys.modules[{__name__!r}].PENDING\n"
        "@REGISTRY.register_module()\nclass Late:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry("model", scope=scope, locations=[module])
    monkeypatch.setattr(sys.modules[__name__], "PENDING", registry, raising=False)

    registry.deprecate("Early", "Late")

    assert module in sys.modules
    with pytest.warns(DeprecatedNameWarning):
        assert registry.get("Early") is sys.modules[module].Late
    sys.modules.pop(module, None)
