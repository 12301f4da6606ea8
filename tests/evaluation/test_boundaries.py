"""Boundary cases at every threshold of every indicator in every zone, through durable_rules.

For each indicator, zone and level (the threshold, then each partial band), a commune whose fact
sits exactly on the level must reach that level, and one a step on the wrong side must not.
The cases are derived from the YAML so that they follow every correction of a threshold.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet, Indicator
from engine.inputs.fact_catalogue import catalogue
from tests.support import commune

Case = tuple[str, int, str, Any, str]  # (indicator, zone, area, value, expected status)


def _step(kind: str) -> float:
    return 1 if kind == "count" else 0.1


def _cases(cs: CriteriaSet) -> list[Case]:
    specs = catalogue()
    out: list[Case] = []
    for _, ind in cs.indicators():
        spec = specs[ind.fact]
        area = ind.applies_to.areas[0]
        for zone in (1, 2, 3):
            if zone not in ind.applies_to.zones:
                out.append((ind.id, zone, area, None, "not_applicable"))
                continue
            out.append((ind.id, zone, area, None, "missing"))
            out.extend(_level_cases(ind, spec.kind, zone, area, spec.minimum, spec.maximum))
        for other in ("urban", "rural"):
            if other not in ind.applies_to.areas:
                out.append((ind.id, ind.applies_to.zones[0], other, None, "not_applicable"))
    return out


def _level_cases(ind: Indicator, kind: str, zone: int, area: str, lo: Any, hi: Any) -> list[Case]:
    op = ind.operator
    if op in ("is_true", "is_false"):
        good = op == "is_true"
        return [(ind.id, zone, area, good, "pass"), (ind.id, zone, area, not good, "fail")]
    if op == "in":
        from engine.inputs.fact_catalogue import catalogue as cat

        choices = cat()[ind.fact].choices
        t = ind.threshold_for(zone)
        return [(ind.id, zone, area, c, "pass" if c in t else "fail") for c in choices]  # type: ignore[operator]
    levels = [ind.threshold_for(zone)] + [ind.band_threshold(b, zone) for b in ind.partial]
    statuses = ["pass"] + ["partial"] * len(ind.partial)
    out: list[Case] = []
    s = _step(kind)
    up = op in ("gte", "gt")
    for k, (t, status) in enumerate(zip(levels, statuses, strict=True)):
        below = "fail" if k == len(levels) - 1 else "partial"
        if op in ("gte", "lte"):
            on, off = t, (t - s if up else t + s)
        elif op in ("gt", "lt"):
            on, off = (t + s if up else t - s), t
        else:  # eq
            on, off = t, t + s
            below = "fail"
        for value, expected in ((on, status), (off, below)):
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                continue
            value = int(value) if kind == "count" else float(round(value, 6))
            out.append((ind.id, zone, area, value, expected))
    return out


def _facts(cs: CriteriaSet, ind_id: str, zone: int, area: str, value: Any):
    ind = cs.indicator(ind_id)
    section, name = ind.fact.split(".")
    sections = {} if value is None else {section: {name: value}}
    return commune(zone=zone, area=area, **sections)


def _check(cs: CriteriaSet, ev: Evaluator) -> list[str]:
    cases = _cases(cs)
    results = ev.evaluate([_facts(cs, *c[:4]) for c in cases])
    problems = []
    for (ind_id, zone, area, value, expected), r in zip(cases, results, strict=True):
        got = next(i.status for i in r.indicators if i.id == ind_id)
        if got != expected:
            problems.append(f"{ind_id} zone {zone} {area} value {value!r}: expected {expected}, got {got}")
    assert len(cases) > 0
    return problems


def test_boundaries_tiny(tiny, tiny_evaluator):
    assert _check(tiny, tiny_evaluator) == []


def test_boundaries_national(national, national_evaluator):
    assert _check(national, national_evaluator) == []


@pytest.mark.parametrize(
    "value,expected",
    [
        (95.0, "pass"),
        (94.9, "partial"),
        (90.0, "partial"),
        (89.9, "partial"),
        (85.0, "partial"),
        (84.9, "fail"),
    ],
)
def test_banded_points_zone_1(tiny_evaluator, value, expected):
    r = tiny_evaluator.evaluate_one(commune(zone=1, services={"full_immunisation_under1_pct": value}))
    ind = next(i for i in r.indicators if i.id == "1.2")
    assert ind.status == expected
    assert ind.points == {95.0: 4, 94.9: 2, 90.0: 2, 89.9: 1, 85.0: 1, 84.9: 0}[value]


def test_zone_thresholds_differ(tiny_evaluator):
    # 1.2's lowest band is 85 in zone 1, 80 in zone 2, 75 in zone 3.
    got = [
        next(
            i
            for i in tiny_evaluator.evaluate_one(
                commune(zone=z, services={"full_immunisation_under1_pct": 80.0})
            ).indicators
            if i.id == "1.2"
        )
        for z in (1, 2, 3)
    ]
    assert [(g.status, g.threshold_zone) for g in got] == [("fail", 1), ("partial", 2), ("partial", 3)]
