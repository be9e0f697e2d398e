"""A plug-in that raises anything at import, ``SystemExit`` included, never ends the host.

Entry points and ``locations`` modules are third-party code: whatever they raise becomes a
warning (entry points) or a :class:`LocationImportError` (locations), and the other scopes
keep working. The error path of an unknown name imports nothing: its suggestions come from
names already registered and from the declared scope names in the entry points.
"""

from __future__ import annotations

import builtins
import importlib
import sys
import textwrap
import warnings

import pytest
from cli.fakes import BETA, run
from sites import HEALTHY_REGISTRY, FakeSite

from scopereg import (
    LocationImportError,
    NotRegisteredError,
    Registry,
    ScopeDiscoveryWarning,
    UnknownScopeError,
    _discovery,
)


class CustomBaseException(BaseException):
    """Derives from BaseException only, as some libraries' cancellation signals do."""


RAISING_REGISTRY = """
    import HOLDER as holder

    holder.imported.append(__name__)
    raise holder.TO_RAISE
"""

FAULTS = {
    "SystemExit(3)": SystemExit(3),
    "SystemExit()": SystemExit(),
    "GeneratorExit": GeneratorExit("closed"),
    "a BaseException subclass": CustomBaseException("cancelled"),
    "MemoryError": MemoryError("out of memory"),
}


def _raising_distribution(site: FakeSite, fault: BaseException) -> str:
    site.holder.TO_RAISE = fault  # type: ignore[attr-defined]
    return site.distribution("fakefault", RAISING_REGISTRY)


# -- entry points ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_an_entry_point_raising_any_base_exception_warns_and_the_others_keep_working(site, fault):
    broken = _raising_distribution(site, fault)
    healthy = site.distribution("fakehealthy")
    root = site.root

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert root.get(f"{broken}.Name") is None
        assert root.get(f"{broken}.Name") is None  # tried once, warned once
        with pytest.raises(UnknownScopeError, match=type(fault).__name__):
            root.build({"type": "Name", "_scope_": broken})
    assert type(root.build({"type": "Name", "_scope_": healthy})).__module__ == f"{healthy}.registry"

    [warning] = [w for w in caught if w.category is ScopeDiscoveryWarning]
    message = str(warning.message)
    assert repr(site.dist_name(broken)) in message
    assert f"{broken} = {broken}.registry" in message  # the entry point
    assert type(fault).__name__ in message
    assert site.imported.count(f"{broken}.registry") == 1
    failures = _discovery.failed_entry_points()
    assert list(failures) == [f"{site.dist_name(broken)}: {broken} = {broken}.registry"]


def test_keyboard_interrupt_in_an_entry_point_is_not_swallowed(site):
    broken = _raising_distribution(site, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        site.root.get(f"{broken}.Name")


def test_unreadable_entry_point_metadata_of_one_distribution_leaves_the_others_declared(site):
    healthy = site.distribution("fakehealthy")
    bad_info = site.path / "fakebadmeta-1.0.dist-info"
    bad_info.mkdir()
    (bad_info / "METADATA").write_text("Metadata-Version: 2.1\nName: fakebadmeta\nVersion: 1.0\n")
    (bad_info / "entry_points.txt").write_text("[scopereg.scopes]\nno equals sign here\n")
    importlib.invalidate_caches()

    with pytest.warns(ScopeDiscoveryWarning, match="'fakebadmeta' has unreadable entry points"):
        found = site.root.get(f"{healthy}.Name")

    assert found is sys.modules[f"{healthy}.registry"].Name  # type: ignore[attr-defined]
    assert "fakebadmeta: entry_points.txt" in _discovery.failed_entry_points()


# -- locations ------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_location_raising_any_base_exception_is_a_location_import_error(tmp_path, monkeypatch, fault):
    module = f"faulty_location_{id(fault)}"
    (tmp_path / f"{module}.py").write_text("import builtins\nraise builtins.FAULT\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("builtins.FAULT", fault, raising=False)
    registry = Registry("model", scope=f"faulty_{id(fault)}", locations=[module])

    with pytest.raises(LocationImportError, match=module) as info:
        registry.build({"type": "Anything"})

    assert info.value.__cause__ is fault
    assert type(fault).__name__ in str(info.value)
    with pytest.raises(LocationImportError):  # tried again on the next use, and contained again
        registry.get("Anything")
    sys.modules.pop(module, None)


def test_keyboard_interrupt_in_a_location_is_not_swallowed(tmp_path, monkeypatch):
    (tmp_path / "interrupted_location.py").write_text("raise KeyboardInterrupt\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry("model", scope="interrupted", locations=["interrupted_location"])
    with pytest.raises(KeyboardInterrupt):
        registry.get("Anything")


# -- doctor ---------------------------------------------------------------------------------

EXITING = """
    import sys

    sys.exit("plug-in gave up")
"""

EXITING_LOCATION = """
    import HOLDER as holder
    from scopereg import Registry

    MODELS = Registry("model", parent=holder.MODELS, scope="SCOPE", locations=["SCOPE.exits"])
"""


def test_doctor_reports_plug_ins_and_locations_that_call_sys_exit(installed, capsys):
    healthy = installed.distribution("beta", BETA)
    exiting = installed.distribution("exiting", EXITING)
    with_location = installed.distribution("lost", EXITING_LOCATION)
    (installed.path / with_location / "exits.py").write_text("raise SystemExit(4)\n")

    result = run(capsys, "doctor", "--json")

    assert result.code == 1
    findings = {f["kind"]: f for f in result.json["findings"]}
    assert exiting in findings["broken-entry-point"]["where"]
    assert "SystemExit: plug-in gave up" in findings["broken-entry-point"]["message"]
    assert findings["failing-location"]["where"] == f"MODELS[{with_location}]"
    assert "SystemExit: 4" in findings["failing-location"]["message"]
    assert installed.MODELS.get(f"{healthy}.BetaNet") is not None


# -- the error path of an unknown name imports nothing ---------------------------------------


def test_an_unknown_name_imports_no_declared_scope_and_no_unloaded_location(site):
    alpha = site.distribution("fakealpha")
    site.distribution("fakebeta")
    unloaded = site.plain_package("unloadedlocation")
    Registry("model", parent=site.root, scope=f"lazy_{site.tag}", locations=[unloaded])
    root = site.root

    @root.register_module()
    class Known:
        pass

    before = set(sys.modules)
    with pytest.raises(NotRegisteredError) as unscoped:
        root.build({"type": "Knwon"})
    with pytest.raises(NotRegisteredError) as typo_in_scope:
        root.build({"type": f"{alpha.replace('alpha', 'alpah')}.Name"})
    with pytest.raises(NotRegisteredError) as unknown_scope:
        root.build({"type": "nowhere.Name"})

    assert set(sys.modules) - before == set()
    assert site.imported == []
    assert unscoped.value.suggestions == ("Known",)
    assert typo_in_scope.value.suggestions[0] == f"{alpha}.Name"  # from the declared scope names
    assert unknown_scope.value.suggestions == ()


def test_an_unscoped_miss_names_the_declared_scopes_not_imported_yet(site):
    alpha = site.distribution("fakealpha")

    with pytest.raises(NotRegisteredError) as info:
        site.root.build({"type": "Name"})

    message = str(info.value)
    assert "declared by installed distributions and not imported yet" in message
    assert f"{alpha!r} ({site.dist_name(alpha)})" in message
    assert f"{alpha}.Name" in message
    assert site.imported == []


def test_a_suggestion_for_a_scope_once_imported_comes_from_its_registry(site):
    alpha = site.distribution("fakealpha", HEALTHY_REGISTRY)
    assert site.root.get(f"{alpha}.Name") is not None  # imported by a lookup that needed it

    with pytest.raises(NotRegisteredError) as info:
        site.root.build({"type": "Nmae"})

    assert info.value.suggestions == (f"{alpha}.Name",)


def test_a_location_module_that_fails_is_not_imported_by_the_error_path(tmp_path, monkeypatch):
    (tmp_path / "counted_location.py").write_text(
        textwrap.dedent(
            """
            import builtins
            builtins.COUNTED_IMPORTS += 1
            raise RuntimeError("broken location")
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("builtins.COUNTED_IMPORTS", 0, raising=False)
    root = Registry("model", scope="counting_root")
    Registry("model", parent=root, scope="counting_child", locations=["counted_location"])

    with pytest.raises(NotRegisteredError):
        root.build({"type": "Missing"})

    assert builtins.COUNTED_IMPORTS == 0  # type: ignore[attr-defined]
