"""Plan evaluation: aggregates against hand-computed figures, commune targets, missing data."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from engine.appraisal.targets import (
    area_targets,
    commune_targets,
    communes_needed,
    count_needed,
    members_of,
    share,
)
from engine.evaluation.evaluator import Evaluator
from engine.inputs.facts import CommuneFacts
from engine.inputs.plans import resolve_plan
from engine.render.appraisal_text import headline, share_text

PASSING: dict[str, Any] = {
    "staffing": {"doctors": 2, "traditional_medicine_workers": 1, "midwives_or_ob_assistants": 1},
    "services": {"full_immunisation_under1_pct": 96.0, "stunting_under5_pct": 10.0, "food_poisoning_outbreaks": 0,
                 "bhyt_coverage_pct": 97.0},
    "management": {"steering_committee_active": True},
    "facilities": {"station_condition": "good"},
    "medicinal_garden": {"species": 40, "has_garden": True},
}  # fmt: skip


def _commune(k: int, qualifies: bool, province: str = "Điện Biên", **over: Any) -> CommuneFacts:
    data: dict[str, Any] = {
        "year": 2021,
        "commune": {"code": f"{k:05d}", "name": f"Xã Số {k}", "province": province, "district": "Tuần Giáo",
                    "zone": 1, "area": "rural", "population": 1000 + k},
        **{s: dict(v) for s, v in PASSING.items()},
    }  # fmt: skip
    if not qualifies:
        data["staffing"]["doctors"] = 0  # the knockout indicator 1.1 of the tiny set fails
    for path, value in over.items():
        section, name = path.split("__")
        data.setdefault(section, {})[name] = value
    return CommuneFacts.model_validate(data)


def _pairs(ev: Evaluator, facts: list[CommuneFacts]) -> list[tuple[Any, CommuneFacts]]:
    return list(zip(ev.evaluate(facts), facts, strict=True))


def test_hand_computed_share_and_communes_needed() -> None:
    # Điện Biên, seed 003: 111 of 129 communes qualify; the plan asks 92.2 % (at least 119).
    s = share(111, 129)
    assert s == pytest.approx(86.0465, abs=1e-4)
    assert share_text(s, "vi") == "86,05 %"
    # The seed prints 86.1 %: 86.05 rounded half up to one decimal (two-step rounding).
    assert Decimal("86.05").quantize(Decimal("0.1"), ROUND_HALF_UP) == Decimal("86.1")
    assert communes_needed(111, 129, "gte", 92.2) == 8  # 92.2 % of 129 = 118.9 -> 119 -> 8 more
    assert count_needed(111, "gte", 119) == 8
    assert communes_needed(119, 129, "gte", 92.2) == 0
    assert communes_needed(116, 129, "gt", 90) == 1  # 90 % of 129 = 116.1: 'more than' needs 117
    assert communes_needed(0, 0, "gte", 90) is None
    assert communes_needed(5, 10, "lt", 20) is None


def test_area_of_129_communes_against_the_dien_bien_plan(tiny_evaluator: Evaluator) -> None:
    facts = [_commune(k, qualifies=k < 111) for k in range(129)]
    pairs = _pairs(tiny_evaluator, facts)
    assert sum(r.qualified for r, _ in pairs) == 111
    plan = resolve_plan("dien-bien-2021")
    pr = area_targets(plan, members_of(plan, pairs), 2021)
    by_id = {t.target: t for t in pr.targets}
    count, shr = by_id["communes-qualifying-count"], by_id["communes-qualifying-share"]
    assert (count.observed, count.needed, count.status) == (111, 8, "not_met")
    assert (shr.meeting, shr.communes, shr.needed, shr.status) == (111, 129, 8, "not_met")
    assert shr.observed == pytest.approx(100 * 111 / 129)
    assert not pr.partial_area
    assert headline(shr, "en").endswith("8 more needed")
    assert "111/129" in headline(shr, "vi") and "86,05 %" in headline(shr, "vi")
    # eight more qualify: the target is met
    better = [_commune(k, qualifies=k < 119) for k in range(129)]
    pr2 = area_targets(plan, members_of(plan, _pairs(tiny_evaluator, better)), 2021)
    assert {t.target: (t.status, t.needed) for t in pr2.targets} == {
        "communes-qualifying-count": ("met", 0),
        "communes-qualifying-share": ("met", 0),
    }


def test_rejected_rows_count_as_not_qualifying(tiny_evaluator: Evaluator) -> None:
    pairs = _pairs(tiny_evaluator, [_commune(k, True) for k in range(10)])
    plan = resolve_plan("dien-bien-2021")
    shr = area_targets(plan, pairs, 2021, rejected=2).targets[1]
    assert (shr.meeting, shr.communes) == (10, 12)
    assert shr.observed == pytest.approx(100 * 10 / 12)


def test_communes_outside_the_area_are_not_counted(tiny_evaluator: Evaluator) -> None:
    facts = [_commune(1, True), _commune(2, True, province="Lai Châu")]
    plan = resolve_plan("dien-bien-2021")
    members = members_of(plan, _pairs(tiny_evaluator, facts))
    assert [f.commune.code for _, f in members] == ["00001"]
    pr = area_targets(plan, members, 2021)
    assert pr.partial_area  # 1 of the 129 communes the source counts
    count = pr.targets[0]
    # 1 qualifies, 118 more are needed and 128 communes are not in the data: undecided, never 'met'
    assert (count.observed, count.needed, count.missing, count.status) == (1, 118, 128, "incomplete")


def test_population_weighted_coverage(tiny_evaluator: Evaluator) -> None:
    # 3,000 people at 90 % and 1,000 at 98 %: the province figure is 92 %, not the mean 94 %.
    a = _commune(1, True, services__bhyt_coverage_pct=90.0)
    b = _commune(2, True, services__bhyt_coverage_pct=98.0)
    a = a.model_copy(
        update={"commune": a.commune.model_copy(update={"population": 3000, "province": "Lai Châu"})}
    )
    b = b.model_copy(
        update={"commune": b.commune.model_copy(update={"population": 1000, "province": "Lai Châu"})}
    )
    plan = resolve_plan("lai-chau-2030")
    pr = area_targets(plan, _pairs(tiny_evaluator, [a, b]), 2030)
    bhyt = next(t for t in pr.targets if t.target == "bhyt-coverage")
    assert bhyt.observed == pytest.approx(92.0)
    assert (bhyt.status, bhyt.gap) == ("not_met", pytest.approx(4.0))
    statistic = next(t for t in pr.targets if t.target == "life-expectancy")
    assert statistic.status == "not_computable" and statistic.observed is None


def test_missing_data_is_never_a_pass(tiny_evaluator: Evaluator) -> None:
    a = _commune(1, True)
    b = _commune(2, True, staffing__traditional_medicine_workers=None)
    c = _commune(3, True, services__bhyt_coverage_pct=None)
    lai = [
        x.model_copy(update={"commune": x.commune.model_copy(update={"province": "Lai Châu"})})
        for x in (a, b, c)
    ]
    plan = resolve_plan("lai-chau-2030")
    targets = {t.target: t for t in area_targets(plan, _pairs(tiny_evaluator, lai), 2030).targets}
    staff = targets["stations-core-staff"]
    assert (staff.meeting, staff.communes, staff.missing, staff.status) == (2, 3, 1, "not_met")
    bhyt = targets["bhyt-coverage"]  # 97 % where known, one commune without data: not 'met'
    assert (bhyt.status, bhyt.missing) == ("incomplete", 1)


def test_commune_targets_with_gap_and_due_year(tiny_evaluator: Evaluator) -> None:
    plan = resolve_plan("muong-la-2026-2030")
    f = _commune(1, True, services__bhyt_visits_at_station_pct=15.0)
    f = f.model_copy(update={"commune": f.commune.model_copy(update={"name": "Xã Mường La", "province": "Sơn La"}),
                             "year": 2027})  # fmt: skip
    r = tiny_evaluator.evaluate_one(f)
    got = {t.target: t for t in commune_targets(plan, r, f, 2027)}
    doctors = got["station-doctors"]
    assert (doctors.status, doctors.observed, doctors.gap, doctors.due_year) == ("not_met", 2, 2, 2027)
    visits = got["bhyt-visits-at-station"]
    assert (visits.status, visits.gap, visits.overdue) == ("not_met", 5, False)
    assert got["bhyt-coverage-2026"].status == "met"  # 97 % > 95 %
    assert got["bhyt-coverage-2026"].overdue is False
    assert got["annual-health-check"].status == "no_data"
    assert got["life-expectancy"].status == "not_computable"
    # another commune: the Mường La plan does not apply
    other = _commune(2, True)
    assert commune_targets(plan, tiny_evaluator.evaluate_one(other), other, 2027) == []


def test_named_commune_must_qualify(tiny_evaluator: Evaluator) -> None:
    plan = resolve_plan("tuan-giao-2021")
    f = _commune(1, False)
    f = f.model_copy(update={"commune": f.commune.model_copy(update={"name": "Xã Mường Khong"})})
    targets = commune_targets(plan, tiny_evaluator.evaluate_one(f), f, 2022)
    assert [(t.target, t.status, t.overdue) for t in targets] == [("muong-khong-qualifies", "not_met", True)]
