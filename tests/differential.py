"""Seeded differential run: durable_rules verdicts against the pure-Python reference.

    .venv/bin/python -m tests.differential --count 5000 --seed 1

prints how many communes and verdicts were compared and how many disagreed. Values are drawn near
every threshold and band of every zone so that boundaries are hit often; facts are absent 10 % of
the time.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_criteria
from tests import reference

ROOT = Path(__file__).resolve().parent.parent


def random_commune(cs: CriteriaSet, rnd: random.Random, k: int) -> CommuneFacts:
    specs = catalogue()
    sections: dict[str, dict] = {}
    for _, ind in cs.indicators():
        spec = specs[ind.fact]
        if rnd.random() < 0.1:
            continue
        if spec.kind == "boolean":
            v: object = rnd.random() < 0.5
        elif spec.kind == "choice":
            v = rnd.choice(spec.choices)
        else:
            levels = [ind.threshold_for(z) for z in (1, 2, 3)]
            levels += [ind.band_threshold(b, z) for b in ind.partial for z in (1, 2, 3)]
            t = rnd.choice(levels)
            step = 1 if spec.kind == "count" else rnd.choice([0.1, 0.5, 1, 5])
            v = t + rnd.choice([-2, -1, 0, 0, 1, 2]) * step
            v = max(0, v)
            if spec.maximum is not None:
                v = min(spec.maximum, v)
            v = int(v) if spec.kind == "count" else float(round(v, 3))
        section, name = ind.fact.split(".")
        sections.setdefault(section, {})[name] = v
    identity = {
        "code": f"R{k:05d}",
        "name": f"Xã {k}",
        "province": "P",
        "zone": rnd.choice([1, 2, 3]),
        "area": rnd.choice(["urban", "rural"]),
    }
    # An indicator may read a fact of the commune section itself (commune.population).
    sections["commune"] = {**identity, **sections.get("commune", {})}
    return CommuneFacts.model_validate({"year": 2024, **sections})


def compare(cs: CriteriaSet, count: int, seed: int) -> tuple[int, int, int, list[str]]:
    """(communes, verdicts compared, mismatching verdicts, first mismatches)."""
    rnd = random.Random(seed)
    communes = [random_commune(cs, rnd, k) for k in range(count)]
    results = Evaluator(cs).evaluate(communes)
    compared = mismatches = 0
    examples: list[str] = []
    for facts, r in zip(communes, results, strict=True):
        ref = reference.verdicts(cs, facts)
        for ind in r.indicators:
            compared += 1
            if ind.status != ref[ind.id][0]:
                mismatches += 1
                if len(examples) < 5:
                    examples.append(
                        f"{facts.commune.code} {ind.id}: durable {ind.status}, reference {ref[ind.id][0]}"
                    )
        score, qualified = reference.total(cs, facts)
        if abs(score - r.total_score) > 1e-9 or qualified != r.qualified:
            mismatches += 1
            examples.append(f"{facts.commune.code}: total {r.total_score} vs {score}")
    return count, compared, mismatches, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criteria", type=Path, default=ROOT / "criteria" / "national-2030.yaml")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n, compared, bad, examples = compare(load_criteria(args.criteria), args.count, args.seed)
    print(f"{n} communes, {compared} indicator verdicts compared, {bad} mismatches")
    for e in examples:
        print("  ", e)


if __name__ == "__main__":
    main()
