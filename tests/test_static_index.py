"""The static index against the imported truth, for scopereg's roots, mmalpha and mmbeta as installed.

One fresh interpreter builds the index (nothing cached), notes whether torch got imported,
then imports every registry's locations and lists what they really registered. Every name
the index read must be there, in the same registry, with the same file (and line, for an
object its registering file defines); every real name the index did not read must belong
to a registry the index marks as registering names dynamically.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

SNAPSHOT = """
    import json, sys
    from scopereg import root_registries, static_index

    index = static_index(cache=False)
    torch_imported = "torch" in sys.modules
    static = {}
    for node in index.registries():
        static[f"{node.public} {node.path}"] = {
            "label": node.label,
            "entries": {
                name: [e.file, e.line, e.module, e.qualname, e.registered_at]
                for name, e in node.entries.items()
            },
            "dynamic": [[place.file, place.line, place.reason] for place in node.dynamic],
            "problems": node.problems,
        }
    truth = {}
    for public, root in root_registries().items():
        for node in root.walk():
            node.import_from_location()
            truth[f"{public} {node.path}"] = {
                "label": node.label,
                "entries": {
                    name: [e.provenance.file, e.provenance.line, e.provenance.module, e.provenance.qualname]
                    for name, e in node.entries().items()
                },
            }
    print(json.dumps({"torch_imported": torch_imported, "static": static, "truth": truth}))
"""


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The snapshot, taken once for the module, as conftest's ``python`` fixture runs snippets."""
    cwd = tmp_path_factory.mktemp("truth")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [sys.executable, "-I", "-c", textwrap.dedent(SNAPSHOT)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def same_file(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and os.path.realpath(a) == os.path.realpath(b)


def test_building_the_index_imports_no_torch(compared):
    assert compared["torch_imported"] is False


def test_the_index_has_every_registry_of_the_imported_trees_and_no_problem(compared):
    assert set(compared["static"]) == set(compared["truth"])
    assert {key: node["problems"] for key, node in compared["static"].items() if node["problems"]} == {}
    assert {"MODELS mmalpha", "MODELS mmbeta", "DATASETS mmalpha", "METRICS mmalpha"} <= set(
        compared["static"]
    )


def test_every_name_the_index_read_is_registered_there_with_its_file(compared):
    checked = 0
    for key, node in compared["static"].items():
        real = compared["truth"][key]
        assert node["label"] == real["label"]
        for name, (file, line, module, qualname, registered_at) in node["entries"].items():
            assert name in real["entries"], f"{name} is not registered in {key}"
            real_file, real_line, real_module, real_qualname = real["entries"][name]
            assert real_qualname == qualname, (key, name)
            if real_module == module:  # defined where the index says it is: same file, same line
                assert same_file(real_file, file), (key, name, real_file, file)
                assert real_line == line, (key, name)
            else:  # imported into the file that registers it: the index names where it comes from
                assert real_module.partition(".")[0] == module.partition(".")[0], (key, name)
                assert same_file(file, registered_at.rpartition(":")[0]), (key, name)
            checked += 1
    assert checked >= 9  # mmalpha's 6, mmbeta's 2, scopereg's default_collate (and more as it grows)


def test_every_name_the_index_did_not_read_is_in_a_registry_marked_dynamic(compared):
    unread = {
        key: sorted(set(real["entries"]) - set(compared["static"][key]["entries"]))
        for key, real in compared["truth"].items()
    }
    unflagged = {
        key: names for key, names in unread.items() if names and not compared["static"][key]["dynamic"]
    }

    assert unflagged == {}
    assert len(unread["MODELS scopereg"]) > 100  # torch.nn layers: register_classes(MODELS, ...)
    assert [place[1] for place in compared["static"]["MODELS scopereg"]["dynamic"]] == [22]
    assert compared["static"]["FUNCTIONS scopereg"]["dynamic"] == []  # default_collate is read


def test_mmalpha_and_mmbeta_are_read_whole(compared):
    for key in (
        "MODELS mmalpha",
        "DATASETS mmalpha",
        "TRANSFORMS mmalpha",
        "METRICS mmalpha",
        "MODELS mmbeta",
    ):
        assert compared["static"][key]["entries"].keys() == compared["truth"][key]["entries"].keys()
        assert compared["static"][key]["dynamic"] == []
