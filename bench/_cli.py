"""Wall time of ``scopereg tree`` and ``scopereg list MODELS``, whole processes, next to ``--import``.

The bench session installs scopereg, mmalpha, mmbeta and torch as wheels (non-editable),
as a user has them. Each command runs in a fresh process, its output thrown away, in
four ways:

- as a user runs it: from the static index, read back from the cache (a warm-up run writes it);
- with ``--json``: the same, without rich (which costs tens of milliseconds to import);
- with no cache at all (``SCOPEREG_CACHE_DIR=""``): the entry points read, the registry
  modules imported, every location file parsed;
- with ``--import``: every location imported (torch included), the answer of old.

The figure is the median of several runs. Whether a command imported torch is read from
``python -X importtime -m scopereg ...``.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _report import Row, Section, Target
from _timing import format_time, progress

import scopereg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from _timing import Settings

#: Wall time each command may take, from the static index.
LIMIT = 0.150
COMMANDS = {"scopereg tree": ["tree"], "scopereg list MODELS": ["list", "MODELS"]}
#: label -> (extra arguments, use the cache)
WAYS = {
    "static index (cached)": ([], True),
    "static index, --json": (["--json"], True),
    "static index, no cache": ([], False),
    "--import": (["--import"], True),
}
NEEDED = ("mmalpha", "mmbeta", "torch")


@dataclass
class CliResult:
    """Median wall seconds by (command, way), and whether each command imported torch."""

    missing: list[str]
    install: str
    times: dict[tuple[str, str], float] = field(default_factory=dict)
    torch: dict[str, bool] = field(default_factory=dict)

    def section(self) -> Section:
        title = f"command line, whole process (median wall; scopereg {self.install}, output discarded)"
        if self.missing:
            return Section(f"{title}: NOT RUN, {', '.join(self.missing)} not installed", [])
        rows = []
        for command in COMMANDS:
            imported = self.times[command, "--import"]
            for way in WAYS:
                seconds = self.times[command, way]
                note = (
                    "" if way == "--import" else f"--import {imported / seconds:.0f}\N{MULTIPLICATION SIGN}"
                )
                rows.append(Row(f"{command}  {way}", seconds, note=note))
        return Section(title, rows)

    def targets(self) -> list[Target]:
        if self.missing:
            return []
        found = []
        for command in COMMANDS:
            seconds, imported = self.times[command, "static index (cached)"], self.times[command, "--import"]
            detail = f"--import: {format_time(imported)}"
            found.append(Target(f"{command} <= {LIMIT * 1e3:g} ms wall", seconds, LIMIT, detail, unit="ms"))
            torch = 1.0 if self.torch[command] else 0.0
            found.append(Target(f"{command} imports no torch", torch, 0.0, "(-X importtime)", unit="flag"))
        return found


def command_line() -> list[str]:
    """The installed console script, else ``python -m scopereg``."""
    script = Path(sys.executable).with_name("scopereg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scopereg"]


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def imports_torch(args: list[str], env: dict[str, str]) -> bool:
    found = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scopereg", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return any(line.rpartition("|")[2].strip() == "torch" for line in found.stderr.splitlines())


def measure_cli(settings: Settings, env: dict[str, str]) -> CliResult:
    """Time each command each way, runs interleaved; the median of ``settings.import_runs``."""
    install = "editable" if "site-packages" not in Path(scopereg.__file__).parts else "non-editable"
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    result = CliResult(missing, install)
    if missing:
        return result
    progress("timing scopereg tree and list in fresh processes")
    runs: dict[tuple[str, str], list[float]] = {(c, w): [] for c in COMMANDS for w in WAYS}
    with tempfile.TemporaryDirectory(prefix="scopereg-bench-cache-") as cache:
        environments = {True: {**env, "SCOPEREG_CACHE_DIR": cache}, False: {**env, "SCOPEREG_CACHE_DIR": ""}}
        for round_ in range(settings.import_runs + 2):  # two warm-ups: the second reads the saved index
            if round_ == 2 and not any(Path(cache).glob("index-*.json")):
                time.sleep(2.5)  # files installed seconds ago are not saved yet (they could still change)
                wall([*command_line(), "tree"], environments[True])
            for (command, way), times in runs.items():
                extra, cached = WAYS[way]
                seconds = wall([*command_line(), *COMMANDS[command], *extra], environments[cached])
                if round_ >= 2:
                    times.append(seconds)
        for command, args in COMMANDS.items():
            result.torch[command] = imports_torch(args, environments[True])
    result.times = {key: statistics.median(times) for key, times in runs.items()}
    return result
