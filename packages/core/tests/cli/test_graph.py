"""``scopereg tree --format mermaid|dot``: the scope graph parses, says what it should, and escapes names.

The mermaid CLI is not available offline: :func:`parse_mermaid` checks the flowchart
against the grammar of the subset the command writes (mermaid's ``flowchart`` syntax:
``subgraph id["title"]`` ... ``end``, nodes ``id["label"]`` whose labels hold no ``"``
and only ``#...;`` entity codes, edges ``a --> b``, ``%%`` comments). The dot output is
parsed with pydot.
"""

from __future__ import annotations

import re
import warnings

import pydot
import pytest

from scopereg.cli import _graph

from .fakes import run

with warnings.catch_warnings():  # pydot's parser uses pyparsing's old names: their warnings are not ours
    warnings.simplefilter("ignore", DeprecationWarning)
    import pydot.dot_parser
from .test_index import MODELS_PY, plugin

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
LABEL = r'"((?:[^"#]|#(?:[a-z]+|[0-9]+);)*)"'
HEADER = re.compile(r"flowchart (TD|TB|BT|RL|LR)")
SUBGRAPH = re.compile(rf"subgraph ({IDENT})\[{LABEL}\]")
NODE = re.compile(rf"({IDENT})\[{LABEL}\]")
EDGE = re.compile(rf"({IDENT}) --> ({IDENT})")


ENTITIES = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def decoded(label: str) -> str:
    """A mermaid label as it shows: ``#35;`` and ``#quot;`` back to ``#`` and ``"``."""
    return re.sub(r"#([a-z]+|[0-9]+);", lambda m: ENTITIES.get(m[1]) or chr(int(m[1])), label)


def parse_mermaid(text: str) -> tuple[dict[str, str], dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """``(subgraphs: id -> title, nodes: id -> (label, subgraph), edges)``; AssertionError if not mermaid."""
    lines = [line.strip() for line in text.splitlines()]
    assert HEADER.fullmatch(lines[0]), lines[0]
    subgraphs: dict[str, str] = {}
    nodes: dict[str, tuple[str, str]] = {}
    edges: list[tuple[str, str]] = []
    inside: list[str] = []
    for line in lines[1:]:
        if not line or line.startswith("%%"):
            continue
        if match := SUBGRAPH.fullmatch(line):
            subgraphs[match[1]] = decoded(match[2])
            inside.append(match[1])
        elif line == "end":
            assert inside, "end without subgraph"
            inside.pop()
        elif match := EDGE.fullmatch(line):
            edges.append((match[1], match[2]))
        elif match := NODE.fullmatch(line):
            assert match[1] not in nodes, f"node {match[1]} defined twice"
            nodes[match[1]] = (decoded(match[2]), inside[-1] if inside else "")
        else:
            raise AssertionError(f"not a flowchart statement: {line!r}")
    assert not inside, "subgraph without end"
    assert all(a in nodes and b in nodes for a, b in edges), "an edge to an undefined node"
    return subgraphs, nodes, edges


@pytest.fixture
def alpha(installed, two) -> str:
    return plugin(installed, "gamma", {"models.py": MODELS_PY})


def test_mermaid_groups_registries_by_scope_with_names_and_parent_arrows(installed, two, alpha, capsys):
    _, beta = two

    result = run(capsys, "tree", "--format", "mermaid")
    subgraphs, nodes, edges = parse_mermaid(result.out)

    assert result.code == 0
    assert set(subgraphs.values()) >= {
        "scope scopereg, declared by scopereg",
        f"scope {beta}, declared by {installed.dist(beta)}",
    }
    by_label = {label.split("<br/>")[0]: ident for ident, (label, _) in nodes.items()}
    assert (by_label["scopereg::model (MODELS)"], by_label[f"{beta}::model (MODELS)"]) in edges
    beta_box = nodes[by_label[f"{beta}::model (MODELS)"]][0]
    assert beta_box == f"{beta}::model (MODELS)<br/>BetaNet, LogSoftmax"
    gamma_box = nodes[by_label[f"{alpha}::model (MODELS)"]][0]
    assert gamma_box.endswith("Net, Network<br/>+ names registered when the code runs")
    assert "OPTIMIZERS" in result.out.splitlines()[1]  # the empty root, named in a comment only
    assert not any("(OPTIMIZERS)" in label for label, _ in nodes.values())


def test_dot_parses_with_pydot_into_clusters_boxes_and_edges(installed, two, capsys):
    _, beta = two

    text = run(capsys, "tree", "--format", "dot").out
    [graph] = pydot.graph_from_dot_data(text)

    clusters = {sub.get_name(): sub for sub in graph.get_subgraphs()}
    labels = {
        node.get_name(): node.get_label().strip('"')
        for sub in clusters.values()
        for node in sub.get_nodes()
        if node.get_label()
    }
    edges = {(edge.get_source(), edge.get_destination()) for edge in graph.get_edges()}
    root = next(name for name, label in labels.items() if label.startswith("scopereg::model (MODELS)"))
    child = next(name for name, label in labels.items() if label.startswith(f"{beta}::model (MODELS)"))
    assert (root, child) in edges
    assert labels[child] == f"{beta}::model (MODELS)\\nBetaNet, LogSoftmax"
    assert all(name.startswith("cluster_") for name in clusters)


HOSTILE_NAMES = ['Quote"]end', "<b>bold</b>", "hash#35;", "back\\slash", "new\nline", "pipe|`tick`", "%%"]


@pytest.mark.parametrize("form", ["mermaid", "dot"])
def test_any_registered_name_is_escaped_so_the_graph_still_parses(installed, capsys, monkeypatch, form):
    monkeypatch.setattr(_graph, "SHOWN_NAMES", 100)
    for name in HOSTILE_NAMES:
        installed.MODELS.register_module(name=name, module=dict)

    text = run(capsys, "tree", "--format", form).out

    if form == "mermaid":
        _, nodes, _ = parse_mermaid(text)
        [models] = [label for label, _ in nodes.values() if label.startswith("scopereg::model")]
        shown = models.split("<br/>")[1].split(", ")
        assert set(HOSTILE_NAMES) - {"new\nline"} < set(shown)
        assert "new line" in shown  # what cannot be printed is a space
    else:
        [graph] = pydot.graph_from_dot_data(text)
        [models] = [
            node.get_label()
            for sub in graph.get_subgraphs()
            for node in sub.get_nodes()
            if (node.get_label() or "").startswith('"scopereg::model')
        ]
        assert 'Quote\\"]end' in models
        assert "back\\\\slash" in models


def test_import_draws_the_names_the_code_registers(installed, alpha, capsys):
    _, nodes, _ = parse_mermaid(run(capsys, "tree", "--format", "mermaid", "--import").out)

    [gamma] = [label for label, _ in nodes.values() if label.startswith(f"{alpha}::model")]
    assert gamma == f"{alpha}::model (MODELS)<br/>A, B, Net, Network"


def test_a_graph_format_with_json_is_a_usage_error_in_json(installed, capsys):
    result = run(capsys, "tree", "--format", "dot", "--json")

    assert result.code == 2
    assert result.json["error"] == "--format dot prints a graph, --json prints data: give one"


@pytest.mark.parametrize(
    "text",
    [
        'flowchart LR\n    a["x"] --> b',
        'flowchart LR\n    subgraph s["t"]\n    a["x"]',
        'flowchart LR\n    a["say "hi""]',
        'graph XY\n    a["x"]',
    ],
    ids=["undefined-node", "unclosed-subgraph", "raw-quote", "bad-header"],
)
def test_the_grammar_check_rejects_what_mermaid_would_reject(text):
    with pytest.raises(AssertionError):
        parse_mermaid(text)
