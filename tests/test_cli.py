"""The ``scopereg`` command line against the installed scopereg, mmalpha, mmbeta and torch.

Each test runs ``python -I -m scopereg.cli`` (the console script's ``main``) in a fresh
interpreter from an empty directory, as the other integration tests run their snippets.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class Cli:
    """Runs the command line in a fresh isolated interpreter."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(self, *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["SCOPEREG_CACHE_DIR"] = str(self.cwd / "cache")  # the static index's, not the user's
        code = f"{prelude}\nimport sys\nfrom scopereg.cli import main\nsys.exit(main(sys.argv[1:]))"
        return subprocess.run(
            [sys.executable, "-I", "-c", code, *args],
            cwd=self.cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def json(self, *args: str, code: int = 0) -> Any:
        result = self.run(*args, "--json")
        assert result.returncode == code, result.stdout + result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_tree_lists_the_three_installed_scopes(cli):
    data = cli.json("tree", "--import")

    assert data["errors"] == []
    scopes = data["scopes"]
    templates = ["scopereg", "mmalpha", "mmbeta"]  # packages generated beside them may add scopes
    assert [scope for scope in scopes if scope in templates] == templates
    assert {scope: info["distribution"] for scope, info in scopes.items()} == {
        "scopereg": "scopereg",
        "mmalpha": "mmalpha",
        "mmbeta": "mmbeta",
    }
    assert len(scopes["scopereg"]["registries"]) == 23
    assert scopes["scopereg"]["registries"]["MODELS"] > 100  # torch.nn layers
    assert scopes["mmalpha"]["registries"] == {"DATASETS": 1, "TRANSFORMS": 1, "MODELS": 3, "METRICS": 1}
    assert scopes["mmbeta"]["registries"] == {"MODELS": 2}


def test_list_finds_logsoftmax_in_the_three_scopes(cli):
    entries = cli.json("list", "MODELS", "LogSoftmax", "--import")["entries"]

    assert [(e["scope"], e["module"], e["distribution"]) for e in entries] == [
        ("scopereg", "torch.nn.modules.activation", "torch"),
        ("mmalpha", "mmalpha.models", "mmalpha"),
        ("mmbeta", "mmbeta.models", "mmbeta"),
    ]
    file, _, line = entries[2]["location"].rpartition(":")
    assert file.endswith(os.path.join("mmbeta", "models.py"))
    assert line.isdigit()


def test_which_in_mmbeta_shadows_the_roots_logsoftmax(cli):
    data = cli.json("which", "MODELS", "LogSoftmax", "--scope", "mmbeta", "--import")

    assert (data["key"], data["object"], data["distribution"]) == (
        "mmbeta.LogSoftmax",
        "mmbeta.models.LogSoftmax",
        "mmbeta",
    )
    assert [e["key"] for e in data["shadows"]] == ["scopereg.LogSoftmax"]
    assert [e["key"] for e in data["also_in"]] == ["mmalpha.LogSoftmax"]
    assert data["searched"] == ["mmbeta::model"]


def test_tree_from_the_index_counts_what_the_source_says_and_marks_what_it_cannot(cli):
    data = cli.json("tree")

    assert data["source"] == "index"
    scopes = data["scopes"]
    assert scopes["mmalpha"]["registries"] == {"DATASETS": 1, "TRANSFORMS": 1, "MODELS": 3, "METRICS": 1}
    assert scopes["mmbeta"]["registries"] == {"MODELS": 2}
    assert scopes["scopereg"]["registries"]["FUNCTIONS"] == 1  # default_collate
    assert sorted(scopes["scopereg"]["dynamic"]) == [
        "DATA_SAMPLERS",
        "MODELS",
        "OPTIMIZERS",
        "PARAM_SCHEDULERS",
    ]
    assert scopes["scopereg"]["dynamic"]["MODELS"][0]["file"].endswith(
        os.path.join("scopereg", "torch", "models.py")
    )


@pytest.mark.parametrize(
    "argv", [["tree"], ["list", "MODELS"], ["tree", "--json"], ["list", "MODELS", "--json"]]
)
def test_tree_and_list_import_no_torch_and_no_location(python, argv):
    output = python.output(
        f"""
        import contextlib, io, sys
        from scopereg.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main({argv!r})
        print(code, sorted(m for m in ("torch", "mmalpha.models", "mmbeta.models") if m in sys.modules))
        """
    )

    assert output == "0 []"


def test_explain_shows_each_mistake_of_the_broken_example_at_its_node(cli):
    data = cli.json("explain", str(EXAMPLES / "broken_classifier.py"), code=1)

    nodes = {node["path"]: node for node in data["nodes"]}
    assert [p["path"] for p in nodes["model.backbone"]["problems"]] == ["model.backbone.hiden_features"]
    assert [p["kind"] for p in nodes["model.backbone.act_cfg"]["problems"]] == ["unknown-type"]
    assert nodes["model.backbone"]["object"] == "mmalpha.models.MLP"
    assert nodes["model.head"]["resolved_in"] == "scopereg::model"


def test_which_not_found_suggests_across_the_scopes(cli):
    result = cli.run("which", "MODELS", "LogSoftmx")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "scopereg: LogSoftmx is not in the scopereg::model registry. Please check whether the value of "
        "`LogSoftmx` is correct or it was registered as expected. Searched scopereg::model. "
        "Did you mean 'LogSoftmax', 'mmalpha.LogSoftmax' or 'mmbeta.LogSoftmax'?"
    )


def test_check_the_broken_example_lists_both_mistakes_with_their_paths(cli):
    data = cli.json("check", str(EXAMPLES / "broken_classifier.py"), code=1)

    problems = [(p["path"], p["kind"]) for p in data["problems"]]
    assert problems == [
        ("model.backbone.hiden_features", "unexpected-keyword"),
        ("model.backbone.act_cfg.type", "unknown-type"),
    ]
    messages = [p["message"] for p in data["problems"]]
    assert "did you mean 'hidden_features'" in messages[0]
    assert "Did you mean 'RReLU'" in messages[1]


def test_build_the_demos_model(cli):
    result = cli.run("build", str(EXAMPLES / "mmbeta_classifier.py"), "--key", "model", "--key", "loss")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("model = BetaNet(\n  (backbone): MLP(")
    assert "(out): LogSoftmax()" in result.stdout
    assert result.stdout.endswith("loss = NLLLoss()\n")


def test_build_the_broken_example_fails_without_a_traceback(cli):
    result = cli.run("build", str(EXAMPLES / "broken_classifier.py"))

    assert result.returncode == 1
    assert result.stderr.splitlines()[:1] == ["scopereg: model: 2 problems, nothing built:"]
    assert "Traceback" not in result.stderr


def test_doctor_warns_of_logsoftmax_in_three_scopes_and_exits_0(cli):
    data = cli.json("doctor")

    assert data["summary"]["errors"] == 0
    [same] = [f for f in data["findings"] if f["kind"] == "same-name" and f["name"] == "LogSoftmax"]
    assert same["keys"] == ["scopereg.LogSoftmax", "mmalpha.LogSoftmax", "mmbeta.LogSoftmax"]


def test_plain_text_without_rich(cli):
    prelude = "import sys; sys.modules['rich'] = None"
    result = cli.run("list", "MODELS", "LogSoftmax", "--import", prelude=prelude)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3 names in the MODELS tree matching 'LogSoftmax'"
    assert lines[1].split() == ["name", "scope", "module", "defined", "at"]
    assert [line.split()[1] for line in lines[3:]] == ["scopereg", "mmalpha", "mmbeta"]


def test_rich_tables_when_rich_is_installed(cli):
    assert importlib.util.find_spec("rich") is not None, "the integration sessions install scopereg[cli]"
    result = cli.run("which", "MODELS", "LogSoftmax", "--scope", "mmbeta")

    assert result.returncode == 0, result.stderr
    assert "│ key          │ mmbeta.LogSoftmax" in result.stdout
    assert "mmbeta.LogSoftmax" in result.stdout


def test_the_console_script(tmp_path):
    script = shutil.which("scopereg", path=str(Path(sys.executable).parent))
    assert script is not None, "installing scopereg puts a scopereg script next to the interpreter"
    result = subprocess.run(
        [script, "which", "MODELS", "mmalpha.MLP", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["object"] == "mmalpha.models.MLP"
