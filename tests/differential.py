"""Seeded differential run: durable_rules verdicts against the pure-Python reference.

    .venv/bin/python -m tests.differential --count 10000 --seed 1

evaluates random communes against every shipped criteria set, the language test set
(``tests/data/language-criteria.yaml``) and ``--sets`` random criteria sets that use every
construct of the language (thresholds by region, area and zone, nested; bands by dimension;
conditions with all / any / not; sub-items added up or first-level; applicability; the zoning
rule), and prints how many verdicts were compared and how many disagreed (status, band or
sub-items met, points, total, qualification, and the zone the zoning rule gives).

Values are drawn near every threshold so that boundaries are hit often; facts are absent 10 % of
the time; provinces are drawn from the region table, some of them merged in 2025 across regions
(the region is then unknown unless stated).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.lint.walk import all_comparisons, plain_values
from engine.inputs.loader import criteria_files, load_criteria, places
from tests import reference
from tests.random_sets import random_set

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = ROOT / "tests" / "data" / "language-criteria.yaml"


def cut_points(cs: CriteriaSet) -> dict[str, list[float]]:
    """Per fact, every number it is compared with (thresholds of every dimension, bands)."""
    out: dict[str, list[float]] = {}
    for _, cmp in all_comparisons(cs):
        for _, v in plain_values(cmp.threshold, ()):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.setdefault(cmp.fact, []).append(v)
    for _, ind in cs.indicators():
        for band in ind.partial:
            out.setdefault(ind.fact or "", []).extend(
                v for _, v in plain_values(band.threshold, ()) if isinstance(v, (int, float))
            )
    return out


def _value(spec: Any, cuts: list[float], rnd: random.Random) -> Any:
    if spec.kind == "boolean":
        return rnd.random() < 0.5
    if spec.kind == "choice":
        return rnd.choice(spec.choices)
    if cuts and rnd.random() < 0.8:
        step = 1 if spec.kind == "count" else rnd.choice([0.1, 0.5, 1, 5])
        v: float = rnd.choice(cuts) + rnd.choice([-2, -1, 0, 0, 1, 2]) * step
    else:
        v = rnd.uniform(0, spec.maximum if spec.maximum is not None else 60)
    v = max(0, v)
    if spec.maximum is not None:
        v = min(spec.maximum, v)
    return int(v) if spec.kind == "count" else float(round(v, 3))


def random_commune(cs: CriteriaSet, rnd: random.Random, k: int, cuts: dict[str, list[float]]) -> CommuneFacts:
    specs = catalogue()
    reads = {p for _, ind in cs.indicators() for p in ind.reads}
    reads |= set(cs.zoning.reads) if cs.zoning else set()
    sections: dict[str, dict[str, Any]] = {}
    for path in sorted(reads):
        if rnd.random() < 0.1:
            continue
        section, name = path.split(".")
        sections.setdefault(section, {})[name] = _value(specs[path], cuts.get(path, []), rnd)
    provinces = places().table.provinces
    province = rnd.choice(provinces)
    year = 2025 if province.from_year else 2024
    identity: dict[str, Any] = {
        "code": f"R{k:05d}",
        "name": f"Xã {k}",
        "province": province.name,
        "zone": rnd.choice([1, 2, 3]),
        "area": rnd.choice(["urban", "rural"]),
        **sections.pop("commune", {}),
    }
    candidates = places().candidates(province.name, year) or ()
    if len(candidates) > 1 and rnd.random() < 0.5:
        identity["region"] = rnd.choice(candidates)  # a merged province: the commune states its region
    return CommuneFacts.model_validate({"year": year, "commune": identity, **sections})


def compare(cs: CriteriaSet, count: int, seed: int) -> tuple[int, int, int, list[str]]:
    """(communes, verdicts compared, mismatches, first mismatches)."""
    rnd = random.Random(seed)
    cuts = cut_points(cs)
    communes = [random_commune(cs, rnd, k, cuts) for k in range(count)]
    ev = Evaluator(cs)
    verdicts = ev.verdicts(communes)
    results = ev.evaluate(communes)
    compared = mismatches = 0
    examples: list[str] = []

    def bad(text: str) -> None:
        nonlocal mismatches
        mismatches += 1
        if len(examples) < 8:
            examples.append(text)

    for facts, got, r in zip(communes, verdicts, results, strict=True):
        ref = reference.verdicts(cs, facts)
        for ind in r.indicators:
            compared += 1
            expected = ref[ind.id]
            if got[ind.id] != expected or ind.status != expected[0]:
                bad(f"{cs.id} {facts.commune.code} {ind.id}: durable {got[ind.id]}, reference {expected}")
            elif abs(ind.points - reference.points(cs, cs.indicator(ind.id), expected)) > 1e-9:
                bad(f"{cs.id} {facts.commune.code} {ind.id}: points {ind.points}")
        score, qualified = reference.total(cs, facts)
        if abs(score - r.total_score) > 1e-9 or qualified != r.qualified:
            bad(f"{cs.id} {facts.commune.code}: total {r.total_score} vs {score}")
        if cs.zoning is not None:
            compared += 1
            want = reference.zone_by_rule(cs.zoning, facts)
            if r.zone_check is None or r.zone_check.by_rule != want:
                bad(f"{cs.id} {facts.commune.code}: zone by rule {r.zone_check} vs {want}")
    return count, compared, mismatches, examples


def sets_under_test(random_sets: int, seed: int) -> list[CriteriaSet]:
    shipped = [load_criteria(f) for f in criteria_files()]
    generated = [
        random_set(random.Random(f"{seed}:set:{k}"), k, places().table.codes) for k in range(random_sets)
    ]
    return [*shipped, load_criteria(LANGUAGE), *generated]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--criteria", type=Path, help="one criteria set only (default: all, see above)")
    parser.add_argument("--count", type=int, default=5000, help="communes per criteria set")
    parser.add_argument("--sets", type=int, default=20, help="random criteria sets")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sets = [load_criteria(args.criteria)] if args.criteria else sets_under_test(args.sets, args.seed)
    total = [0, 0, 0]
    for k, cs in enumerate(sets):
        count = args.count if k < len(sets) - args.sets or args.criteria else max(1, args.count // 4)
        n, compared, bad, examples = compare(cs, count, args.seed + k)
        total = [total[0] + n, total[1] + compared, total[2] + bad]
        print(f"{cs.id}: {n} communes, {compared} verdicts compared, {bad} mismatches")
        for e in examples:
            print("  ", e)
    print(
        f"all: {len(sets)} criteria sets, {total[0]} communes, {total[1]} verdicts compared, {total[2]} mismatches"
    )
    return 1 if total[2] else 0


if __name__ == "__main__":
    raise SystemExit(main())
