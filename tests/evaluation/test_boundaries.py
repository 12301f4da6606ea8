"""Boundary cases at every threshold of every indicator, in every cell of the dimensions it varies by.

For each indicator of one comparison, each combination of the zone, area and region its thresholds
vary by, and each level (the threshold, then each partial band), a commune whose fact sits exactly
on the level must reach that level, and one a step on the wrong side must not. The comparisons
inside conditions and sub-items are stepped the same way, the other facts held, and the verdict
checked against the reference evaluator. The cases are derived from the YAML so that they follow
every correction of a threshold. The zoning rule is checked at every distance it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.evaluation.evaluator import Evaluator
from engine.inputs.conditions import AREAS, ZONES, Dims
from engine.inputs.criteria import CriteriaSet, Indicator
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.lint.walk import indicator_comparisons
from engine.inputs.loader import load_criteria, places
from tests import reference
from tests.support import ROOT, commune

LANGUAGE = ROOT / "tests" / "data" / "language-criteria.yaml"
Case = tuple[str, Dims, Any, str]  # (indicator, where, value, expected status)


def province_of(region: str | None) -> str:
    """A province (before the 2025 merger) that lies in ``region``."""
    if region is None:
        return "Điện Biên"
    return next(p.name for p in places().table.provinces if p.region == region and not p.from_year)


def facts_at(where: Dims, **sections: dict[str, Any]):
    facts: dict[str, Any] = sections  # the sections, typed as keyword arguments of commune()
    return commune(zone=where.zone, area=where.area, province=province_of(where.region), **facts)


def cells(ind: Indicator) -> list[Dims]:
    """Every combination of the values of the dimensions ``ind``'s thresholds vary by (and applies_to)."""
    used = ind.dimensions
    regions = places().table.codes if "region" in used else (None,)
    return [Dims(z, a, r) for z in ZONES for a in AREAS for r in regions]


def _step(kind: str) -> float:
    return 1 if kind == "count" else 0.1


def _level_cases(ind: Indicator, kind: str, where: Dims, lo: Any, hi: Any) -> list[Case]:
    op = ind.operator
    if op in ("is_true", "is_false"):
        good = op == "is_true"
        return [(ind.id, where, good, "pass"), (ind.id, where, not good, "fail")]
    levels = [ind.threshold_for(*where)] + [ind.band_threshold(b, *where) for b in ind.partial]
    if op == "in":
        return [
            (ind.id, where, c, "pass" if c in levels[0] else "fail")
            for c in catalogue()[ind.fact or ""].choices
        ]
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
            out.append((ind.id, where, int(value) if kind == "count" else float(round(value, 6)), expected))
    return out


def _cases(cs: CriteriaSet) -> list[Case]:
    specs = catalogue()
    out: list[Case] = []
    for _, ind in cs.indicators():
        if ind.form != "compare":
            continue
        spec = specs[ind.fact or ""]
        for where in cells(ind):
            if where.zone not in ind.applies_to.zones or where.area not in ind.applies_to.areas:
                out.append((ind.id, where, None, "not_applicable"))
                continue
            out.append((ind.id, where, None, "missing"))
            out.extend(_level_cases(ind, spec.kind, where, spec.minimum, spec.maximum))
    return out


def _check(cs: CriteriaSet, ev: Evaluator) -> list[str]:
    cases = _cases(cs)
    built = []
    for ind_id, where, value, _ in cases:
        section, name = (cs.indicator(ind_id).fact or "").split(".")
        built.append(facts_at(where, **({} if value is None else {section: {name: value}})))
    results = ev.evaluate(built)
    problems = []
    for (ind_id, where, value, expected), r in zip(cases, results, strict=True):
        got = next(i for i in r.indicators if i.id == ind_id)
        if got.status != expected:
            problems.append(f"{ind_id} at {where} value {value!r}: expected {expected}, got {got.status}")
    assert len(cases) > 0
    return problems


def test_boundaries_tiny(tiny, tiny_evaluator):
    assert _check(tiny, tiny_evaluator) == []


def test_boundaries_national(national, national_evaluator):
    assert _check(national, national_evaluator) == []


def test_boundaries_language_set():
    cs = load_criteria(LANGUAGE)
    assert _check(cs, Evaluator(cs)) == []


def test_indicator_35_has_a_case_in_every_region(national):
    cases = [c for c in _cases(national) if c[0] == "7.5" and c[2] is not None]
    assert {c[1].region for c in cases} == set(places().table.codes)
    on = {c[1].region: c[2] for c in cases if c[3] == "pass"}
    assert on == {
        "northern-midlands-mountains": 24,
        "red-river-delta": 16.5,
        "north-central": 25,
        "south-central-coast": 22,
        "central-highlands": 26.5,
        "southeast": 14.5,
        "mekong-delta": 19,
    }


def _stepped(cs: CriteriaSet) -> list[tuple[str, Any]]:
    """Communes stepping each comparison inside a condition or sub-item across its threshold."""
    specs = catalogue()
    base: dict[str, dict[str, Any]] = {}
    out = []
    for _, ind in cs.indicators():
        if ind.form == "compare":
            continue
        for _, cmp in indicator_comparisons(ind, ()):
            spec = specs[cmp.fact]
            for where in cells(ind):
                t = reference.threshold_at(cmp.threshold, where._asdict())
                if spec.kind == "boolean":
                    values: list[Any] = [True, False, None]
                elif spec.kind == "choice":
                    values = [*spec.choices, None]
                else:
                    values = [t - _step(spec.kind), t, t + _step(spec.kind), None]
                for v in values:
                    section, name = cmp.fact.split(".")
                    sections = {k: dict(v2) for k, v2 in base.items()}
                    if v is not None:
                        v = (
                            int(v)
                            if spec.kind == "count"
                            else float(v)
                            if spec.kind in ("percent", "number")
                            else v
                        )
                        sections.setdefault(section, {})[name] = v
                    out.append((ind.id, facts_at(where, **sections)))
    return out


@pytest.mark.parametrize(
    "path", [LANGUAGE, Path(ROOT / "criteria" / "national-2030.yaml")], ids=["language", "national"]
)
def test_comparisons_inside_conditions_and_sub_items(path):
    cs = load_criteria(path)
    ev = Evaluator(cs)
    stepped = _stepped(cs)
    assert stepped
    got = ev.verdicts([f for _, f in stepped])
    bad = [
        (ind_id, f.commune.province, got[k][ind_id], reference.verdict(cs.indicator(ind_id), f))
        for k, (ind_id, f) in enumerate(stepped)
        if got[k][ind_id] != reference.verdict(cs.indicator(ind_id), f)
    ]
    assert bad == []


# --- the zoning rule at every distance it names ---------------------------------------------------

ZONING_CASES = [
    # (geography, difficult terrain, km, zone by the rule)
    ("lowland", None, 2.9, 1),
    ("lowland", None, 3.0, 2),
    ("lowland", None, 3.1, 2),
    ("lowland", None, 14.9, 2),
    ("lowland", None, 15.0, 3),
    ("lowland", True, 2.9, 1),  # difficult terrain changes nothing in the plains
    ("highland", False, 2.9, 2),
    ("highland", True, 2.9, 2),
    ("highland", False, 3.0, 2),
    ("highland", True, 3.0, 3),
    ("highland", True, 3.1, 3),
    ("highland", False, 4.9, 2),
    ("highland", True, 4.9, 3),
    ("highland", False, 5.0, 3),
    ("highland", None, 5.0, 3),  # 5 km or more: zone 3 whatever the terrain
    ("highland", False, 5.1, 3),
    ("highland", None, 12.0, 3),
    ("highland", None, 4.0, None),  # difficult terrain unknown: zone 2 or 3
    (None, None, 20.0, None),  # geography unknown
    ("lowland", None, None, None),  # distance unknown
]


@pytest.mark.parametrize("geography,difficult,km,zone", ZONING_CASES)
def test_zoning_rule_at_its_distances(national, national_evaluator, geography, difficult, km, zone):
    identity = {
        k: v for k, v in (("geography", geography), ("difficult_terrain", difficult)) if v is not None
    }
    facilities = {} if km is None else {"distance_to_hospital_km": km}
    facts = commune(zone=2, identity=identity, facilities=facilities)
    check = national_evaluator.evaluate_one(facts).zone_check
    assert check is not None and check.by_rule == zone
    assert reference.zone_by_rule(national.zoning, facts) == zone
    assert check.agrees is (None if zone is None else zone == 2)
    expected = {None: "undetermined", 1: "laxer", 2: "agrees", 3: "stricter"}[zone]
    assert check.finding == expected


def test_declared_zone_3_against_shorter_distances_needs_the_decision(national_evaluator):
    facts = commune(zone=3, identity={"geography": "lowland"}, facilities={"distance_to_hospital_km": 2.0})
    check = national_evaluator.evaluate_one(facts).zone_check
    assert check is not None and (check.declared, check.by_rule, check.agrees) == (3, 1, False)
    assert check.finding == "difficult_access"
    assert "Department of Health" in check.reason.text("en") and "Sở Y tế" in check.reason.text("vi")


def test_a_set_without_a_zoning_rule_reports_no_zone_check(tiny_evaluator):
    assert tiny_evaluator.evaluate_one(commune(zone=1)).zone_check is None
