"""Planner timings: `plan` per commune on the full national set, `target` over 129 communes.

    .venv/bin/python benchmarks/planner.py [--repeat N]

Prints the median time of `plan` (top 3, no limits) per sample commune (communes/dien-bien/tuan-giao), the same over
129 synthetic communes (engine/inputs/synth.py, seed 1, illustrative), and the median time of `target`
(92.11 % by 2030) over those 129 communes. Goals (issue 4): plan median < 100 ms, target < 5 s.
Times are wall-clock on this machine, after one warm-up run (rules compiled, host started).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "communes" / "dien-bien" / "tuan-giao"  # the README's sample district
sys.path.insert(0, str(ROOT))

from engine.evaluation.evaluator import Evaluator  # noqa: E402
from engine.inputs.costs import costs_note  # noqa: E402
from engine.inputs.facts import CommuneFacts  # noqa: E402
from engine.inputs.loader import load_facts, resolve_set  # noqa: E402
from engine.inputs.synth import generate  # noqa: E402
from engine.planner.action_plan import plan_commune  # noqa: E402
from engine.planner.targeting import TargetSpec, target_area  # noqa: E402


def plan_times(ev: Evaluator, communes: list[CommuneFacts], repeat: int) -> list[float]:
    """Median milliseconds of `plan` for each commune."""
    out = []
    for facts in communes:
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            plan_commune(ev.criteria_set, ev, facts, top=3)
            runs.append((time.perf_counter() - t) * 1000)
        out.append(statistics.median(runs))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cs = resolve_set("national-2030")
    ev = Evaluator(cs)
    samples = [load_facts(p) for p in sorted(SAMPLES.glob("*.yaml"))]
    synthetic = generate(129, seed=1)
    plan_commune(cs, ev, samples[0])  # warm-up

    sample_ms = plan_times(ev, samples, args.repeat)
    failing = [f for f, r in zip(samples, ev.evaluate(samples), strict=True) if not r.qualified]
    failing_ms = plan_times(ev, failing, args.repeat)
    synth_ms = plan_times(ev, synthetic, max(1, args.repeat // 2))
    print(
        f"plan, {len(samples)} sample communes:      median {statistics.median(sample_ms):6.1f} ms, max {max(sample_ms):6.1f} ms"
    )
    print(
        f"plan, {len(failing)} failing samples:        median {statistics.median(failing_ms):6.1f} ms, max {max(failing_ms):6.1f} ms"
    )
    print(
        f"plan, {len(synthetic)} synthetic communes:  median {statistics.median(synth_ms):6.1f} ms, max {max(synth_ms):6.1f} ms"
    )

    loaded = [(Path(f"synthetic/{k}.yaml"), f) for k, f in enumerate(synthetic)]
    spec = TargetSpec(rate=92.11, by_year=2030)
    runs = []
    for _ in range(max(1, args.repeat // 2)):
        t = time.perf_counter()
        report = target_area(cs, ev, loaded, spec, area="synthetic", costs_note=costs_note(None, None))
        runs.append(time.perf_counter() - t)
    print(
        f"target, {len(loaded)} synthetic communes (92.11 % by 2030): median {statistics.median(runs):.2f} s "
        f"({report.qualifying_now} qualify now, {report.needed} needed, reachable: {report.reachable})"
    )
    print("goals: plan median < 100 ms; target over 129 communes < 5 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
