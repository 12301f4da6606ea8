"""Random criteria sets that use every construct of the language, for differential testing.

:func:`random_set` draws indicators of every form — one comparison (thresholds plain, by zone,
area or region, nested; bands by dimension), a condition (all / any / not, several facts, thresholds
by dimension inside), sub-items added up (capped) or first-level — with random applicability, and
the zoning rule with random distances. The sets are valid: they pass every check of the loader.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import FactSpec, catalogue

DOC = {"what": {"vi": "a", "en": "a"}, "why": {"vi": "b", "en": "b"}, "fix": {"vi": "c", "en": "c"}}
DRAFT = {"status": "draft", "note": "random"}


def _pool() -> list[FactSpec]:
    return [s for p, s in catalogue().items() if not p.startswith("commune.")]


def _number(spec: FactSpec, rnd: random.Random) -> float | int:
    if spec.kind == "count":
        return rnd.randint(0, 12)
    if spec.kind == "percent":
        return rnd.choice([10, 15, 16.5, 20, 24, 25, 50, 80, 90, 95, 100])
    return round(rnd.uniform(0, 50), 1)


def _table(rnd: random.Random, regions: Sequence[str], leaf: Any, depth: int = 0, vary: float = 0.5) -> Any:
    """A threshold: plain, or by zone / area / region (a few distinct values), possibly nested once."""
    if depth > 0 or rnd.random() >= vary:
        return leaf() if depth == 0 or rnd.random() < 0.7 else {z: leaf() for z in (1, 2, 3)}
    kind = rnd.choice(["zone", "area", "region", "region"])
    if kind == "zone" and rnd.random() < 0.5:
        return {z: leaf() for z in (1, 2, 3)}  # the shorthand
    keys: Sequence[Any] = {"zone": (1, 2, 3), "area": ("rural", "urban"), "region": regions}[kind]
    if kind != "region":
        return {"by": kind, "values": {k: leaf() for k in keys}}
    distinct = [_table(rnd, regions, leaf, depth + 1) for _ in range(rnd.randint(2, 3))]
    return {"by": "region", "values": {k: rnd.choice(distinct) for k in keys}}


def _compare(
    rnd: random.Random, regions: Sequence[str], spec: FactSpec | None = None, vary: float = 0.5
) -> dict[str, Any]:
    spec = spec or rnd.choice(_pool())
    if spec.kind == "boolean":
        return {"fact": spec.path, "operator": rnd.choice(["is_true", "is_false"])}
    if spec.kind == "choice":
        pick = lambda: sorted(rnd.sample(list(spec.choices), rnd.randint(1, len(spec.choices))))  # noqa: E731
        return {"fact": spec.path, "operator": "in", "threshold": _table(rnd, regions, pick, vary=vary)}
    op = rnd.choice(["gte", "gt", "lte", "lt", "eq"])
    number = lambda: _number(spec, rnd)  # noqa: E731
    return {"fact": spec.path, "operator": op, "threshold": _table(rnd, regions, number, vary=vary)}


def _condition(rnd: random.Random, regions: Sequence[str], depth: int = 0) -> dict[str, Any]:
    roll = rnd.random()
    if depth >= 2 or roll < 0.35:
        return _compare(rnd, regions, vary=0.25)
    if roll < 0.5:
        return {"not": _condition(rnd, regions, depth + 1)}
    key = "all" if roll < 0.75 else "any"
    return {key: [_condition(rnd, regions, depth + 1) for _ in range(rnd.randint(1, 3))]}


def _values(t: Any) -> list[Any]:
    if isinstance(t, dict) and "by" in t:
        return [x for v in t["values"].values() for x in _values(v)]
    if isinstance(t, dict):
        return list(t.values())
    return [t]


def _banded(rnd: random.Random, regions: Sequence[str]) -> dict[str, Any]:
    spec = rnd.choice([s for s in _pool() if s.kind in ("percent", "count")])
    cmp = _compare(rnd, regions, spec)
    cmp["operator"] = op = rnd.choice(["gte", "gt", "lte", "lt"])
    main = _values(cmp["threshold"])
    up = op in ("gte", "gt")
    bands, edge = [], (min(main) if up else max(main))
    for points in (1.0, 0.5)[: rnd.randint(1, 2)]:
        edge = edge - rnd.randint(1, 10) if up else edge + rnd.randint(1, 10)
        low = edge
        if spec.kind == "percent" and not 0 <= low <= 100:
            break
        if spec.kind == "count" and low < 0:
            break
        threshold = {"by": "area", "values": {"rural": low, "urban": low}} if rnd.random() < 0.3 else low
        bands.append({"threshold": threshold, "points": points})
    return {**cmp, **({"partial": bands} if bands else {}), "points": 2}


def _items(rnd: random.Random, regions: Sequence[str]) -> dict[str, Any]:
    n = rnd.randint(1, 3 if rnd.random() < 0.8 else 4)
    scoring = rnd.choice(["sum", "first"])
    if scoring == "first":
        points = sorted(rnd.sample([0.5, 1, 1.5, 2, 3], n), reverse=True)
        total = points[0]
    else:
        points = [rnd.choice([0.5, 1, 1.5, 2]) for _ in range(n)]
        total = rnd.choice(
            [p for p in (0.5, 1, 1.5, 2, 3, 4, sum(points)) if max(points) <= p <= sum(points)]
        )
    items = [
        {
            "id": f"i{k}",
            "title": {"vi": f"m{k}", "en": f"i{k}"},
            "points": p,
            "when": _condition(rnd, regions, 1),
        }
        for k, p in enumerate(points)
    ]
    return {"scoring": scoring, "items": items, "points": total}


def _zoning(rnd: random.Random) -> dict[str, Any]:
    near, far, lowland = rnd.choice([3, 4]), rnd.choice([5, 6]), rnd.choice([12, 15])

    def where(geo: str, *more: dict[str, Any]) -> dict[str, Any]:
        g = {"fact": "commune.geography", "operator": "in", "threshold": [geo]}
        return {"all": [g, *more]} if more else g

    def km(x: float) -> dict[str, Any]:
        return {"fact": "facilities.distance_to_hospital_km", "operator": "gte", "threshold": x}

    terrain = {"fact": "commune.difficult_terrain", "operator": "is_true"}
    lines = [
        (3, where("highland", km(far))),
        (3, where("highland", terrain, km(near))),
        (2, where("highland")),
        (3, where("lowland", km(lowland))),
        (2, where("lowland", km(3))),
        (1, where("lowland")),
    ]
    return {
        "source": "random",
        "provenance": DRAFT,
        "rules": [
            {"zone": z, "label": {"vi": f"l{k}", "en": f"l{k}"}, "when": w} for k, (z, w) in enumerate(lines)
        ],
    }


def random_set(rnd: random.Random, k: int, regions: Sequence[str]) -> CriteriaSet:
    """A valid criteria set of two criteria and 3–6 indicators each, of every form."""
    criteria: list[dict[str, Any]] = []
    no = 0
    for c in (1, 2):
        indicators: list[dict[str, Any]] = []
        for i in range(rnd.randint(3, 6)):
            form = rnd.choice(["compare", "banded", "condition", "items", "items"])
            if form == "compare":
                body: dict[str, Any] = {**_compare(rnd, regions), "points": rnd.choice([1, 2])}
            elif form == "banded":
                body = _banded(rnd, regions)
            elif form == "condition":
                body = {"condition": _condition(rnd, regions), "points": rnd.choice([1, 2])}
            else:
                body = _items(rnd, regions)
            no += 1
            applies: dict[str, Any] = {}
            if rnd.random() < 0.2:
                applies["zones"] = sorted(rnd.sample([1, 2, 3], rnd.randint(1, 2)))
            if rnd.random() < 0.15:
                applies["areas"] = [rnd.choice(["rural", "urban"])]
            indicators.append(
                {
                    "id": f"{c}.{i + 1}",
                    "no": no,
                    "title": {"vi": f"Chỉ tiêu {no}", "en": f"Indicator {no}"},
                    **body,
                    "knockout": rnd.random() < 0.2,
                    **({"applies_to": applies} if applies else {}),
                    "doc": DOC,
                    "source": "random",
                    "provenance": DRAFT,
                }
            )
        maximum = sum(float(x["points"]) for x in indicators)
        criteria.append(
            {"id": str(c), "name": {"vi": f"T{c}", "en": f"C{c}"}, "max_points": maximum, "provenance": DRAFT}
            | {"indicators": indicators}
        )
    total = sum(float(c["max_points"]) for c in criteria)
    return CriteriaSet.model_validate(
        {
            "id": f"random-{k}",
            "title": {"vi": "Ngẫu nhiên", "en": "Random"},
            "decision": {"number": "0/RANDOM", "date": "2024-01-01"},
            "effective": {"from_year": 1990, "until_year": 1991},
            "max_points": total,
            "recognition": {
                "min_total": round(total * 0.8, 2),
                "min_criterion_share": 0.5,
                "validity_years": 3,
                "provenance": DRAFT,
            },
            "zoning": _zoning(rnd),
            "provenance": DRAFT,
            "criteria": criteria,
        }
    )
