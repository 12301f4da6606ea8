"""The goal figures of the whole path (issue 12), measured as a user meets them: commands run from
start to exit on synthetic fact files, each in a fresh process.

Each run goes through a small wrapper process that starts the command, waits for it and reports the
wall time and the peak memory of the largest process of its tree (``ru_maxrss`` of the wrapper's
children: the command and its workers). Nothing here is a test; no time is asserted anywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.inputs import synth

CLI = str(Path(sys.executable).parent / "commune-health")

# Runs a command (argv after the code), then prints {"seconds", "peak_mb", "rc", "err"} as JSON.
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rc": p.returncode, "err": p.stderr[-600:]}))
"""

# The appraisal's dossier without the XLSX (which has its own goal): what `appraise --out` writes
# but the workbook, through the same functions.
_APPRAISE = """
import sys
from pathlib import Path
from engine.appraisal.area import appraise
from engine.commands.appraise import write_dossier
a = appraise(Path(sys.argv[1]), workers=int(sys.argv[3]))
write_dossier(a, Path(sys.argv[2]), "vi", ("csv", "html", "json"))
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    rc: int
    err: str


def run(cmd: Sequence[str], ok: Sequence[int] = (0, 1)) -> Run:
    """``cmd`` start to exit (exit status 1, some commune does not qualify, is a result)."""
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True)
    r = Run(**json.loads(done.stdout))
    if r.rc not in ok:
        raise RuntimeError(f"{' '.join(cmd[:4])}…: exit {r.rc}: {r.err}")
    return r


@dataclass
class Goal:
    label: str
    measured: str
    goal: str
    met: bool


@dataclass
class Data:
    """The synthetic fact files: the national set, and the smaller sets of the smaller goals."""

    root: Path
    national: Path
    small: Path  # evaluate --format json
    xlsx: Path  # the XLSX dossier
    one: Path  # evaluate of one file
    count: int
    small_count: int
    xlsx_count: int

    @classmethod
    def write(cls, root: Path, count: int, small: int, xlsx: int, seed: int) -> Data:
        records = list(synth.generate_data(count, seed))
        national = synth.write(records, root / "national")
        synth.write(records[:small], root / "small")
        synth.write(records[:xlsx], root / "xlsx")
        return cls(root, root / "national", root / "small", root / "xlsx", national[0], count, small, xlsx)


def _mb(x: float) -> str:
    return f"{x:.0f} MB"


def measure(data: Data, workers: int, repeats: int, say: Callable[[str], None]) -> list[Goal]:
    """Every goal figure, printed (``say``) as it is measured; the goals with what was measured."""
    out = data.root / "out"
    out.mkdir(exist_ok=True)
    w = ["--workers", str(workers)]
    goals: list[Goal] = []
    n = data.count

    runs = []
    for k in range(repeats):
        target = out / "national.jsonl"
        r = run([CLI, "evaluate", str(data.national), "--format", "jsonl", "--out", str(target), *w])
        kb = target.stat().st_size / 1024 / n
        runs.append((r, kb))
        say(
            f"  evaluate --format jsonl, {n:,} files, run {k + 1}: {r.seconds:6.2f} s, {kb:.2f} KB per commune, peak {_mb(r.peak_mb)}"
        )
    best = min(r.seconds for r, _ in runs)
    peaks = [r.peak_mb for r, _ in runs]
    goals.append(Goal(f"national batch, {n:,} files → jsonl", f"{best:.2f} s", "≤ 5 s", best <= 5))
    goals.append(Goal("  size per commune", f"{runs[0][1]:.2f} KB", "≤ 5 KB", runs[0][1] <= 5))
    flat = max(peaks) - min(peaks) <= 0.1 * max(peaks)
    goals.append(
        Goal(
            "  peak memory, three runs",
            " / ".join(f"{p:.0f}" for p in peaks) + " MB",
            "≤ 300 MB, flat",
            max(peaks) <= 300 and flat,
        )
    )

    r = run([CLI, "evaluate", str(data.small), "--format", "json", "--out", str(out / "small.json"), *w])
    say(f"  evaluate --format json, {data.small_count:,} files: {r.seconds:.2f} s, peak {_mb(r.peak_mb)}")
    goals.append(
        Goal(
            f"evaluate --format json, {data.small_count:,} files",
            f"{r.seconds:.2f} s",
            "≤ 3 s",
            r.seconds <= 3,
        )
    )

    ones = [run([CLI, "evaluate", str(data.one)]) for _ in range(max(repeats, 1))]
    one = min(x.seconds for x in ones)
    say(f"  evaluate of one file, start to exit: best of {len(ones)} {one:.2f} s")
    goals.append(Goal("evaluate of one file, start to exit", f"{one:.2f} s", "≤ 0.3 s", one <= 0.3))

    r = run([sys.executable, "-c", _APPRAISE, str(data.national), str(out / "dossier"), str(workers)])
    say(f"  appraise {n:,} → CSV + HTML + JSON: {r.seconds:.2f} s, peak {_mb(r.peak_mb)}")
    goals.append(Goal(f"appraise {n:,} → CSV + HTML + JSON", f"{r.seconds:.2f} s", "≤ 15 s", r.seconds <= 15))

    r = run([CLI, "appraise", str(data.xlsx), "--format", "xlsx", "--out", str(out / "xlsx"), *w])
    say(f"  appraise {data.xlsx_count:,} → XLSX: {r.seconds:.2f} s, peak {_mb(r.peak_mb)}")
    goals.append(
        Goal(f"XLSX dossier of {data.xlsx_count:,} communes", f"{r.seconds:.2f} s", "≤ 15 s", r.seconds <= 15)
    )

    db = out / "register.sqlite3"
    imp = [CLI, "register", "import", str(data.national), "--year", "2024", "--appraiser", "bench"]
    imp += ["--db", str(db), *w]
    first, again = run(imp, ok=(0,)), run(imp, ok=(0,))
    say(
        f"  register import {n:,}: first {first.seconds:.2f} s (peak {_mb(first.peak_mb)}), again {again.seconds:.2f} s (peak {_mb(again.peak_mb)})"
    )
    goals.append(
        Goal(f"register import {n:,}, first time", f"{first.seconds:.2f} s", "≤ 20 s", first.seconds <= 20)
    )
    goals.append(Goal("  again (nothing new)", f"{again.seconds:.2f} s", "≤ 5 s", again.seconds <= 5))
    peak = max(first.peak_mb, again.peak_mb)
    goals.append(Goal("  peak memory", _mb(peak), "≤ 300 MB", peak <= 300))
    shutil.rmtree(out, ignore_errors=True)
    return goals


def table(goals: Sequence[Goal]) -> list[str]:
    width = max(len(g.label) for g in goals)
    lines = [f"  {'goal':{width}}  {'measured':>22}  {'goal':>15}"]
    for g in goals:
        lines.append(f"  {g.label:{width}}  {g.measured:>22}  {g.goal:>15}  {'met' if g.met else 'SHORT'}")
    return lines


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value
