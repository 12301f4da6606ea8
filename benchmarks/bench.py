"""National-scale benchmark of the whole path: the product beside plain Python, zen-engine and durable_rules.

    make bench                                   # = .venv/bin/python benchmarks/bench.py
    .venv/bin/python benchmarks/bench.py --count 10600 --seed 1 --repeats 3
    .venv/bin/python benchmarks/bench.py --quick # small counts: the harness works (tests run this)

On the same synthetic communes (engine/inputs/synth.py) and criteria/national-2030.yaml it prints:

1. the whole evaluation, facts in memory → scored and judged communes (benchmarks/whole.py: a
   verdict per indicator, its points, criterion scores against their floors, total, knockouts,
   qualified, a record per indicator), for the product (Evaluator.evaluate, one process and all
   cores), a plain-Python floor, a zen-engine graph that also scores and decides, and durable_rules
   used the straightforward way; with the ratios the issue sets goals for;
2. the verdict step alone (facts in memory → one verdict per indicator), as before
   (benchmarks/contenders.py);
3. the goal figures of the commands, start to exit, on fact files on disk (benchmarks/commands.py):
   the national batch to --format jsonl (three runs: time, size, peak memory), evaluate --format json
   of 1,000 files, evaluate of one file, the appraisal to CSV + HTML + JSON and to XLSX, register
   import the first time and again; then where the batch's time goes, per stage, in one process;
4. a table of every goal with what was measured, and the load average (other work slows every figure).

Every in-memory contender runs in a fresh process (so that its peak memory, ru_maxrss, is its own),
first checks that its answers are identical to the floor's, and only then is timed (best of
--repeats). Times are wall clock on this machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import pickle
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import commands, contenders, whole  # noqa: E402
from engine.evaluation.batch import default_workers  # noqa: E402
from engine.evaluation.evaluator import Evaluator  # noqa: E402
from engine.inputs import synth  # noqa: E402
from engine.inputs.criteria import CriteriaSet  # noqa: E402
from engine.inputs.discovery import discover  # noqa: E402
from engine.inputs.facts import CommuneFacts  # noqa: E402
from engine.inputs.loader import load_criteria  # noqa: E402

CRITERIA = ROOT / "criteria" / "national-2030.yaml"
WHOLE = {
    "wa": "(a)  product, Evaluator.evaluate, 1 process",
    "waN": "(a)  product, Evaluator.evaluate, {n} processes",
    "wb": "(b)  plain Python (floor), 1 process",
    "wc": "(c)  zen-engine, graph that scores, per commune",
    "wd": "(d)  durable_rules, straightforward, + Python scoring",
}
LABELS = {
    "a": "(a)  product, Evaluator.verdicts, 1 process",
    "aN": "(a)  product, Evaluator.verdicts, {n} processes",
    "b": "(b)  plain Python (floor), 1 process",
    "c": "(c)  zen-engine, decision graph, per commune",
    "cB": "(c') zen-engine, evaluate_batch",
    "d": "(d)  durable_rules, straightforward, 1 process",
}


def digest(verdicts: contenders.Verdicts, ids: Sequence[str]) -> str:
    rows = [[v[i] for i in ids] for v in verdicts]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def digest_whole(summaries: Sequence[whole.Summary]) -> str:
    return hashlib.sha256(json.dumps(list(summaries)).encode()).hexdigest()[:16]


def rss_mb() -> float:
    """Resident memory now (not the peak), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KB


# --- one contender, in its own process --------------------------------------------------------------

_shared: dict[str, Any] = {}  # the parallel contender's communes, inherited by forked workers


def _init_part(cs: CriteriaSet) -> None:
    _shared["ev"] = Evaluator(cs)


def _part(bounds: tuple[int, int]) -> list[tuple[contenders.Verdict, ...]]:
    got = _shared["ev"].verdicts(_shared["communes"][bounds[0] : bounds[1]])
    return [tuple(v.values()) for v in got]  # values in indicator order: less to pickle


def _whole_part(bounds: tuple[int, int]) -> list[whole.Summary]:
    return whole.of_results(_shared["ev"].evaluate(_shared["communes"][bounds[0] : bounds[1]]))


class Parallel:
    """The product's Evaluator on all cores: one forked worker per core, contiguous shares."""

    def __init__(self, cs: CriteriaSet, communes: list[CommuneFacts], workers: int) -> None:
        _shared["communes"] = communes
        self.ids = [i.id for _, i in cs.indicators()]
        self.workers = workers
        ctx = multiprocessing.get_context("fork")
        self.pool = ctx.Pool(workers, initializer=_init_part, initargs=(cs,))

    def _bounds(self, n: int) -> list[tuple[int, int]]:
        return [(n * k // self.workers, n * (k + 1) // self.workers) for k in range(self.workers)]

    def verdicts(self, communes: Sequence[CommuneFacts]) -> contenders.Verdicts:
        out: contenders.Verdicts = []
        for part in self.pool.map(_part, self._bounds(len(communes))):
            out.extend(dict(zip(self.ids, row, strict=True)) for row in part)
        return out

    def evaluate(self, communes: Sequence[CommuneFacts]) -> list[whole.Summary]:
        """The whole evaluation in the workers; what comes back is each commune's summary."""
        return [x for part in self.pool.map(_whole_part, self._bounds(len(communes))) for x in part]

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def run_contender(
    name: str, count: int, seed: int, repeats: int, expected: str, workers: int
) -> dict[str, Any]:
    cs = load_criteria(CRITERIA)
    communes = synth.generate(count, seed)
    ids = [i.id for _, i in cs.indicators()]
    base = rss_mb()
    make = {
        "a": lambda: Evaluator(cs),
        "aN": lambda: Parallel(cs, communes, workers),
        "b": lambda: contenders.Floor(cs),
        "c": lambda: contenders.Zen(cs),
        "cB": lambda: contenders.Zen(cs, batch=True),
        "d": lambda: contenders.Naive(cs),
        "wa": lambda: whole.Product(cs),
        "waN": lambda: Parallel(cs, communes, workers),
        "wb": lambda: whole.Floor(cs),
        "wc": lambda: whole.Zen(cs),
        "wd": lambda: whole.Naive(cs),
    }[name]
    contender = make()
    work = contender.evaluate if name in WHOLE else contender.verdicts  # type: ignore[union-attr]
    t = time.perf_counter()
    got = work(communes)  # also the warm-up
    first = time.perf_counter() - t
    times = [first] if first > 10 else []  # a slow contender: its first run is precise enough
    if name in WHOLE:
        if digest_whole(got) != expected:
            floor = whole.Floor(cs).evaluate(communes)
            k = next(k for k, (x, y) in enumerate(zip(got, floor, strict=True)) if x != y)
            return {
                "name": name,
                "error": f"scores differ from the floor's, commune {k}: {got[k]} vs {floor[k]}",
            }
    elif digest(got, ids) != expected:
        floor = contenders.Floor(cs).verdicts(communes)
        k = next(k for k, (x, y) in enumerate(zip(got, floor, strict=True)) if x != y)
        diff = {i: (got[k].get(i), floor[k][i]) for i in ids if got[k].get(i) != floor[k][i]}
        return {"name": name, "error": f"verdicts differ from the floor's, commune {k}: {diff}"}
    for _ in range(0 if times else repeats):
        t = time.perf_counter()
        work(communes)
        times.append(time.perf_counter() - t)
    if isinstance(contender, Parallel):
        contender.close()
    peak = max(peak_mb(), peak_mb(resource.RUSAGE_CHILDREN))
    return {"name": name, "best": min(times), "median": statistics.median(times), "peak": peak, "base": base}


def spawn(name: str, args: argparse.Namespace, expected: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", name, "--count", str(args.count), "--seed", str(args.seed)]
    cmd += ["--repeats", str(args.repeats), "--expect", expected, "--workers", str(args.workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"name": name, "error": f"exit {done.returncode}: {done.stderr.strip()[-600:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- where the national batch's time goes ---------------------------------------------------------


def stages(folder: Path, count: int) -> dict[str, float]:
    """Milliseconds per commune of each stage of the batch, in one process, on ``count`` files."""
    from engine.inputs.loader import load_facts
    from engine.render import jsonl

    cs = load_criteria(CRITERIA)
    paths = discover([folder])[0][:count]
    ev = Evaluator(cs)
    out: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        t = time.perf_counter()
        value = fn()
        out[name] = (time.perf_counter() - t) * 1000 / len(paths)
        return value

    facts = timed("read and validate fact files", lambda: [load_facts(p) for p in paths])
    timed("verdicts (durable_rules)", lambda: ev.verdicts(facts))
    results = timed("verdicts + scoring (Evaluator.evaluate)", lambda: ev.evaluate(facts))
    timed("jsonl line (render.jsonl.line)", lambda: [jsonl.line(r, "vi") for r in results])
    timed("pickling the results (worker → parent)", lambda: pickle.dumps(results))
    return out


# --- the report ----------------------------------------------------------------------------------


def versions() -> str:
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}"]
    for dist in ("durable-rules", "zen-engine", "pydantic", "PyYAML"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except Exception:
            parts.append(f"{dist} (not installed)")
    return ", ".join(parts)


def table(
    title: str, names: Sequence[str], labels: dict[str, str], args: argparse.Namespace, expected: str
) -> dict[str, dict[str, Any]]:
    """One table of in-memory contenders, each spawned and timed; their results by name."""
    res: dict[str, dict[str, Any]] = {}
    print(f"{title:56} {'best s':>8} {'communes/s':>11} {'peak MB':>8}")
    for name in names:
        r = spawn(name, args, expected)
        res[name] = r
        label = labels[name].format(n=args.workers)
        if "error" in r:
            print(f"{label:56} FAILED: {r['error']}")
            continue
        r["rate"] = args.count / r["best"]
        print(f"{label:56} {r['best']:8.3f} {r['rate']:11,.0f} {r['peak']:8.0f}")
        sys.stdout.flush()
    return res


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def report(args: argparse.Namespace) -> int:
    cs = load_criteria(CRITERIA)
    ids = [i.id for _, i in cs.indicators()]
    print(
        f"commune-health benchmark: {args.count:,} synthetic communes (seed {args.seed}), {len(ids)} indicators"
    )
    print(
        f"machine: {os.cpu_count()} cores ({args.workers} used), {platform.machine()}; load average {load()}"
    )
    print(versions())
    communes = synth.generate(args.count, args.seed)
    expected = digest(contenders.Floor(cs).verdicts(communes), ids)
    expected_whole = digest_whole(whole.Floor(cs).evaluate(communes))
    del communes
    print(
        f"digests of the floor: verdicts {expected}, scores {expected_whole}; every contender must "
        "reproduce them before it is timed\n"
    )
    goals: list[commands.Goal] = []
    failed: list[str] = []

    def rate(res: dict[str, dict[str, Any]], n: str) -> float | None:
        return res.get(n, {}).get("rate")

    names = [n for n in WHOLE if n not in args.skip]
    res = table("1. whole evaluation (facts in memory → scored, judged)", names, WHOLE, args, expected_whole)
    failed += [n for n in names if "error" in res[n]]
    a, b, zen, d, a_n = (rate(res, n) for n in ("wa", "wb", "wc", "wd", "waN"))
    print()
    if a and b:
        print(f"   product ÷ floor, per core:                 {a / b:6.2f}   goal ≥ 0.5")
        goals.append(
            commands.Goal(
                "whole evaluation: product ÷ floor, per core", f"{a / b:.2f}", "≥ 0.5", a / b >= 0.5
            )
        )
    if a and zen:
        print(f"   product ÷ zen-engine doing the same work:  {a / zen:6.2f}   goal ≥ 2")
        goals.append(
            commands.Goal("whole evaluation: product ÷ zen-engine", f"{a / zen:.2f}", "≥ 2", a / zen >= 2)
        )
    if a_n and zen:
        print(f"   product on {args.workers} cores ÷ zen-engine:          {a_n / zen:6.2f}")
    if a and d:
        print(f"   product ÷ straightforward durable_rules:   {a / d:6.2f}")

    names = [n for n in LABELS if n not in args.skip]
    print()
    res = table("2. verdict step alone (facts in memory → verdicts)", names, LABELS, args, expected)
    failed += [n for n in names if "error" in res[n]]
    a, b, a_n = rate(res, "a"), rate(res, "b"), rate(res, "aN")
    zen = max((x for x in (rate(res, "c"), rate(res, "cB")) if x), default=None)
    print()
    if a and b:
        print(f"   product ÷ floor, per core:                 {a / b:6.2f}")
    if a and zen:
        print(f"   product ÷ best zen-engine, 1 process:      {a / zen:6.2f}")
    if a_n and zen:
        print(f"   product on {args.workers} cores ÷ best zen-engine:     {a_n / zen:6.2f}")
    if a and rate(res, "d"):
        print(f"   product ÷ straightforward durable_rules:   {a / rate(res, 'd'):6.2f}")  # type: ignore[operator]

    if not args.no_commands:
        print(
            f"\n3. the commands, start to exit, on fact files ({args.workers} workers; load average {load()})"
        )
        tmp = Path(tempfile.mkdtemp(prefix="commune-health-bench-"))
        try:
            t = time.perf_counter()
            data = commands.Data.write(tmp, args.count, args.small, args.xlsx, args.seed)
            print(
                f"  (wrote {args.count:,} fact files and the smaller sets in {time.perf_counter() - t:.1f} s, not timed)"
            )
            try:
                goals += commands.measure(data, args.workers, args.repeats, lambda x: print(x, flush=True))
            except RuntimeError as exc:
                print(f"  FAILED: {exc}")
                failed.append("commands")
            n = min(1000, args.count)
            print(f"  where the batch's time goes (1 process, first {n:,} files, ms per commune):")
            for stage, ms in stages(data.national, n).items():
                print(f"    {stage:42} {ms:6.2f}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    planner = ROOT / "benchmarks" / "planner.py"
    if planner.exists() and not args.no_planner:
        print("\nplanner (benchmarks/planner.py):")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(planner), "--repeat", str(args.repeats)], check=False)
    if goals:
        print(f"\n4. the goals of issue 12 ({args.count:,} communes; {args.workers} cores)")
        print("\n".join(commands.table(goals)))
    print(f"\nload average at the end: {load()} (other work on the machine slows every figure)")
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, help="communes (default 10,600; --quick: 200)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeats", type=int, help="timed runs of each contender and of the batch (default 3)")
    p.add_argument("--workers", type=int, default=default_workers(), help="processes for the parallel runs")
    p.add_argument("--small", type=int, help="files of evaluate --format json (default 1,000)")
    p.add_argument("--xlsx", type=int, help="communes of the XLSX dossier (default 3,000)")
    p.add_argument("--quick", action="store_true", help="small counts, one run each: the harness works")
    p.add_argument(
        "--skip", nargs="*", default=[], choices=sorted({*LABELS, *WHOLE}), help="contenders to leave out"
    )
    p.add_argument("--no-commands", action="store_true", help="leave out the commands' figures")
    p.add_argument("--no-planner", action="store_true", help="leave out benchmarks/planner.py")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--expect", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    quick = args.quick
    args.count = args.count or (200 if quick else synth.NATIONAL_COUNT)
    args.repeats = args.repeats or (1 if quick else 3)
    args.small = min(args.count, args.small or (50 if quick else 1000))
    args.xlsx = min(args.count, args.xlsx or (50 if quick else 3000))
    if quick:
        args.no_planner = True
    if args.child:
        result = run_contender(args.child, args.count, args.seed, args.repeats, args.expect, args.workers)
        print(json.dumps(result))
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
