"""National-scale benchmark: the product beside plain Python, GoRules zen-engine and naive durable_rules.

    make bench                                   # = .venv/bin/python benchmarks/bench.py
    .venv/bin/python benchmarks/bench.py --count 10600 --seed 1 --repeats 3

On the same synthetic communes (engine/inputs/synth.py) and the same thresholds (criteria/national-2030.yaml)
it measures the evaluation step — facts in memory in, one verdict per indicator out — of:

  (a)  the product, engine.evaluation.evaluator.Evaluator.verdicts (durable_rules decides every verdict), in one
       process and split over all cores;
  (b)  plain Python comparing each value with its zone's threshold: the floor;
  (c)  GoRules zen-engine evaluating a decision graph generated from the YAML (once per commune, and
       with its evaluate_batch);
  (d)  durable_rules used the straightforward way (benchmarks/contenders.py says how).

Every contender runs in a fresh process (so that its peak memory, ru_maxrss, is its own), first
checks that its verdicts are identical to the floor's, and only then is timed (best of --repeats).
Then it writes the communes as fact files and times the whole national batch end to end — fact
files on disk to the JSON results file (engine.render.national.write_json, the shape of `evaluate --format
json`) — --repeats times in one process, printing the memory after each run. Finally it runs
benchmarks/planner.py when it exists. Times are wall clock on this machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
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

from benchmarks import contenders  # noqa: E402
from engine.evaluation.batch import SetChoice, default_workers  # noqa: E402
from engine.evaluation.evaluator import Evaluator  # noqa: E402
from engine.inputs import synth  # noqa: E402
from engine.inputs.criteria import CriteriaSet  # noqa: E402
from engine.inputs.discovery import discover  # noqa: E402
from engine.inputs.facts import CommuneFacts  # noqa: E402
from engine.inputs.loader import load_criteria  # noqa: E402
from engine.render import national  # noqa: E402

CRITERIA = ROOT / "criteria" / "national-2030.yaml"
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


class Parallel:
    """The product's Evaluator on all cores: one forked worker per core, contiguous shares."""

    def __init__(self, cs: CriteriaSet, communes: list[CommuneFacts], workers: int) -> None:
        _shared["communes"] = communes
        self.ids = [i.id for _, i in cs.indicators()]
        self.workers = workers
        ctx = multiprocessing.get_context("fork")
        self.pool = ctx.Pool(workers, initializer=_init_part, initargs=(cs,))

    def verdicts(self, communes: Sequence[CommuneFacts]) -> contenders.Verdicts:
        n, w = len(communes), self.workers
        bounds = [(n * k // w, n * (k + 1) // w) for k in range(w)]
        out: contenders.Verdicts = []
        for part in self.pool.map(_part, bounds):
            out.extend(dict(zip(self.ids, row, strict=True)) for row in part)
        return out

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
    }[name]
    contender = make()
    t = time.perf_counter()
    got = contender.verdicts(communes)  # also the warm-up
    if time.perf_counter() - t > 10:
        repeats = 1  # a slow contender: one timed run is precise enough
    if digest(got, ids) != expected:
        floor = contenders.Floor(cs).verdicts(communes)
        k = next(k for k, (x, y) in enumerate(zip(got, floor, strict=True)) if x != y)
        diff = {i: (got[k].get(i), floor[k][i]) for i in ids if got[k].get(i) != floor[k][i]}
        return {"name": name, "error": f"verdicts differ from the floor's, commune {k}: {diff}"}
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        contender.verdicts(communes)
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


# --- the national batch, end to end --------------------------------------------------------------


def run_batch(folder: Path, repeats: int, workers: int) -> dict[str, Any]:
    cs = load_criteria(CRITERIA)
    out_file = folder.parent / f"{folder.name}-results.json"
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        paths = discover([folder])[0]
        with open(out_file, "wb") as fh:
            done = national.write(paths, SetChoice(fixed=cs), "jsonl", fh, "vi", workers)
        written, problems = done.communes, done.diagnostics
        seconds = time.perf_counter() - t
        size = out_file.stat().st_size
        out_file.unlink()
        runs.append(
            {
                "seconds": seconds,
                "written": written,
                "problems": len(problems),
                "mb_out": size / 2**20,
                "rss_main": rss_mb(),
                "peak_main": peak_mb(),
                "peak_workers": peak_mb(resource.RUSAGE_CHILDREN),
            }
        )
    return {"runs": runs, "stages": stages(cs, discover([folder])[0][:1000])}


def stages(cs: CriteriaSet, paths: Sequence[Path]) -> dict[str, float]:
    """Milliseconds per commune of each stage of the batch, in one process (where the time goes)."""
    from engine.inputs.loader import load_facts
    from engine.render import jsonout

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
    objs = timed("jsonout.commune_object", lambda: [jsonout.commune_object(r, "vi") for r in results])
    timed("json.dumps", lambda: [json.dumps(o, ensure_ascii=False) for o in objs])
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


def report(args: argparse.Namespace) -> int:
    cs = load_criteria(CRITERIA)
    ids = [i.id for _, i in cs.indicators()]
    print(
        f"commune-health benchmark: {args.count:,} synthetic communes (seed {args.seed}), {len(ids)} indicators"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores ({args.workers} used), {platform.machine()}; load average {load}")
    print(versions())
    communes = synth.generate(args.count, args.seed)
    expected = digest(contenders.Floor(cs).verdicts(communes), ids)
    del communes
    print(f"verdict digest of the floor: {expected}; every contender must reproduce it before it is timed\n")

    names = [n for n in ("a", "aN", "b", "c", "cB", "d") if n not in args.skip]
    res: dict[str, dict[str, Any]] = {}
    print(
        f"{'evaluation step (facts in memory → verdicts)':50} {'best s':>8} {'communes/s':>11} {'peak MB':>8}"
    )
    for name in names:
        r = spawn(name, args, expected)
        res[name] = r
        label = LABELS[name].format(n=args.workers)
        if "error" in r:
            print(f"{label:50} FAILED: {r['error']}")
            continue
        r["rate"] = args.count / r["best"]
        print(f"{label:50} {r['best']:8.3f} {r['rate']:11,.0f} {r['peak']:8.0f}")
    failed = [n for n in names if "error" in res[n]]

    def rate(n: str) -> float | None:
        return res.get(n, {}).get("rate")

    print()
    a, b, a_n = rate("a"), rate("b"), rate("aN")
    zen = max((x for x in (rate("c"), rate("cB")) if x), default=None)
    if a and b:
        print(f"a/b  (product ÷ floor, per core):           {a / b:6.2f}   goal: within 10x (a/b ≥ 0.10)")
    if a and zen:
        print(f"a/c  (product ÷ best zen-engine, 1 process):{a / zen:7.2f}   goal: ≥ 2")
    if a_n and zen:
        print(f"a/c  (product on {args.workers} cores ÷ best zen-engine):  {a_n / zen:6.2f}")
    if a and rate("d"):
        print(f"a/d  (product ÷ straightforward durable_rules): {a / rate('d'):6.2f}")

    if not args.no_batch:
        print(
            "\nnational batch end to end: fact files on disk → JSON results file (engine.render.national.write_json)"
        )
        tmp = Path(tempfile.mkdtemp(prefix="commune-health-bench-"))
        try:
            folder = tmp / "communes"
            t = time.perf_counter()
            synth.write(list(synth.generate_data(args.count, args.seed)), folder)
            print(f"  (wrote {args.count:,} fact files in {time.perf_counter() - t:.1f} s, not timed)")
            cmd = [sys.executable, __file__, "--child", "batch", "--dir", str(folder)]
            cmd += ["--repeats", str(args.repeats), "--workers", str(args.workers)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"  FAILED: {done.stderr.strip()[-800:]}")
                failed.append("batch")
            else:
                runs = json.loads(done.stdout.strip().splitlines()[-1])["runs"]
                for k, r in enumerate(runs, 1):
                    print(
                        f"  run {k}: {r['seconds']:6.2f} s  {r['written']:,} results ({r['mb_out']:.0f} MB of JSON), "
                        f"{r['problems']} unreadable; memory: main process {r['rss_main']:.0f} MB now, "
                        f"peak {r['peak_main']:.0f} MB; largest worker peak {r['peak_workers']:.0f} MB"
                    )
                parts = json.loads(done.stdout.strip().splitlines()[-1])["stages"]
                print(
                    f"  where the time goes (1 process, first {min(1000, args.count):,} files, ms per commune):"
                )
                for stage, ms in parts.items():
                    print(f"    {stage:42} {ms:6.2f}")
                best = min(r["seconds"] for r in runs)
                peak = max(max(r["peak_main"], r["peak_workers"]) for r in runs)
                print(f"  best {best:.2f} s = {args.count / best:,.0f} communes/s   goal: ≤ 5 s")
                print(f"  peak memory of one process {peak:.0f} MB   goal: < 300 MB and flat across runs")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    planner = ROOT / "benchmarks" / "planner.py"
    if planner.exists() and not args.no_planner:
        print("\nplanner (benchmarks/planner.py):")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(planner), "--repeat", str(args.repeats)], check=False)
    print(
        f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work slows every figure)"
    )
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=synth.NATIONAL_COUNT, help="communes (default 10,600)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3, help="timed runs of each contender and of the batch")
    p.add_argument("--workers", type=int, default=default_workers(), help="processes for the parallel runs")
    p.add_argument("--skip", nargs="*", default=[], choices=sorted(LABELS), help="contenders to leave out")
    p.add_argument("--no-batch", action="store_true", help="leave out the end-to-end batch")
    p.add_argument("--no-planner", action="store_true", help="leave out benchmarks/planner.py")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--expect", help=argparse.SUPPRESS)
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child == "batch":
        print(json.dumps(run_batch(args.dir, args.repeats, args.workers)))
        return 0
    if args.child:
        result = run_contender(args.child, args.count, args.seed, args.repeats, args.expect, args.workers)
        print(json.dumps(result))
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
