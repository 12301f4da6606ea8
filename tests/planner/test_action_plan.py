"""The planner against brute force on small generated criteria sets, and its guarantees on the samples."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from engine.errors import EngineError
from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_facts
from engine.planner.action_plan import plan_commune
from engine.planner.actions import apply_actions, collect_actions, completion_months, schedule

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "communes" / "dien-bien" / "tuan-giao").glob("*.yaml"))

# Percent facts the generated sets read (any five distinct facts would do).
FACTS = (
    "services.full_immunisation_under1_pct",
    "services.bhyt_coverage_pct",
    "services.tb_detection_pct",
    "services.antenatal_4visits_pct",
    "services.facility_births_pct",
    "services.postnatal_first_week_pct",
)
DOC = {"what": {"vi": "a", "en": "a"}, "why": {"vi": "b", "en": "b"}, "fix": {"vi": "c", "en": "c"}}
PROV = {"status": "draft", "note": "test"}


def action(aid: str, effects: list[dict[str, Any]], cost: int, months: int) -> dict[str, Any]:
    return {
        "id": aid,
        "action": {"vi": aid, "en": aid},
        "responsible": {"vi": "Trạm", "en": "Station"},
        "lead_time_months": months,
        "cost_vnd": cost,
        "effects": effects,
    }


def indicator(iid: str, fact: str, points: float, threshold: float, **kw: Any) -> dict[str, Any]:
    return {
        "id": iid,
        "title": {"vi": f"Chỉ tiêu {iid}", "en": f"Indicator {iid}"},
        "fact": fact,
        "operator": "gte",
        "threshold": threshold,
        "points": points,
        "doc": DOC,
        "source": "test",
        "provenance": PROV,
        **kw,
    }


def criteria_set(criteria: list[list[dict[str, Any]]], min_total: float, set_id: str = "gen") -> CriteriaSet:
    crits = []
    total = 0.0
    for k, inds in enumerate(criteria, start=1):
        points = sum(i["points"] for i in inds)
        total += points
        crits.append(
            {
                "id": str(k),
                "name": {"vi": f"Tiêu chí {k}", "en": f"Criterion {k}"},
                "max_points": points,
                "provenance": PROV,
                "indicators": inds,
            }
        )
    return CriteriaSet.model_validate(
        {
            "id": set_id,
            "title": {"vi": "Bộ sinh", "en": "Generated set"},
            "decision": {"number": "0/TEST", "date": "2024-01-01"},
            "effective": {"from_year": 2000, "until_year": 2001},
            "max_points": total,
            "provenance": PROV,
            "recognition": {
                "min_total": min(min_total, total),
                "min_criterion_share": 0.5,
                "validity_years": 3,
                "provenance": PROV,
            },
            "criteria": crits,
        }
    )


def commune(values: dict[str, Any], zone: int = 1, year: int = 2024) -> CommuneFacts:
    data: dict[str, Any] = {
        "year": year,
        "commune": {
            "code": "99999",
            "name": "Xã Thử",
            "province": "Điện Biên",
            "zone": zone,
            "area": "rural",
            "population": 5000,
            "villages": 9,
        },
        "facilities": {"distance_to_hospital_km": 12.5},
    }
    for path, v in values.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = v
    return CommuneFacts.model_validate(data)


@st.composite
def instances(draw: st.DrawFn) -> tuple[CriteriaSet, CommuneFacts]:
    """A set of 2 criteria over up to 6 percent facts, each indicator with 0–2 actions; and a commune."""
    n = draw(st.integers(3, 6))
    facts = FACTS[:n]
    split = draw(st.integers(1, n - 1))
    inds = []
    for k, fact in enumerate(facts):
        crit = 1 if k < split else 2
        acts = []
        for j in range(draw(st.sampled_from([0, 1, 1, 1, 2, 2]))):
            effects = [{"fact": fact, "set": float(draw(st.sampled_from([60, 80, 90, 100])))}]
            if draw(st.booleans()) and n > 1:  # an action that also moves another fact: components join
                other = facts[draw(st.integers(0, n - 1))]
                if other != fact:
                    effects.append({"fact": other, "add": float(draw(st.sampled_from([10, 30])))})
            acts.append(
                action(
                    f"a{k}-{j}",
                    effects,
                    cost=draw(st.sampled_from([0, 5, 10, 20, 35, 50])) * 1_000_000,
                    months=draw(st.sampled_from([0, 3, 6, 12, 18, 30])),
                )
            )
        # The band (and the threshold) never vary: the compiled rules then depend only on the ids, so
        # the examples share a handful of durable_rules rulesets (a host never forgets one).
        partial = [{"threshold": 50, "points": float(draw(st.sampled_from([1, 1.5])))}]
        inds.append(
            (
                crit,
                indicator(
                    f"{crit}.{k + 1}",
                    fact,
                    points=float(draw(st.sampled_from([2, 3, 4]))),
                    threshold=80,
                    partial=partial,
                    knockout=draw(st.booleans()) and k % 3 == 0,
                    remediation=acts,
                ),
            )
        )
    assume(sum(len(i["remediation"]) for _, i in inds) <= 8)  # brute force stays at 2^8 subsets
    grouped = [[i for c, i in inds if c == 1], [i for c, i in inds if c == 2]]
    for g in grouped:
        for pos, ind in enumerate(g, start=1):
            ind["id"] = f"{ind['id'].split('.')[0]}.{pos}"
    total = sum(i["points"] for g in grouped for i in g)
    cs = criteria_set(grouped, min_total=round(total * draw(st.sampled_from([0.5, 0.6, 0.7, 0.8])), 2))
    values = {f: draw(st.one_of(st.none(), st.sampled_from([0.0, 30.0, 55.0, 79.0, 85.0]))) for f in facts}
    return cs, commune({k: v for k, v in values.items() if v is not None})


def brute_force(
    cs: CriteriaSet, ev: Evaluator, facts: CommuneFacts, budget: int | None, months: int | None
) -> tuple[int | None, float | None]:
    """(cheapest cost, best total within the limits) over every subset of the set's actions."""
    acts = [pa.action for pa in collect_actions(cs).values()]
    subsets = [
        s
        for r in range(len(acts) + 1)
        for s in itertools.combinations(acts, r)
        if (months is None or completion_months(s) <= months)
        and (budget is None or sum(a.cost_vnd for a in s) <= budget)
    ]
    results = ev.evaluate([apply_actions(facts, s) for s in subsets])
    costs = [sum(a.cost_vnd for a in s) for s, r in zip(subsets, results, strict=True) if r.qualified]
    return (min(costs) if costs else None), max(r.total_score for r in results)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instances(),
    st.sampled_from([None, None, 12, 24]),
    st.sampled_from([None, None, 30_000_000, 100_000_000]),
    st.sampled_from([1, 3]),
)
def test_plan_is_exact_against_brute_force(
    instance: tuple[CriteriaSet, CommuneFacts], months: int | None, budget: int | None, top: int
) -> None:
    cs, facts = instance
    ev = Evaluator(cs)
    by = None if months is None else facts.year + 1 + months // 12 - 1
    report = plan_commune(cs, ev, facts, budget=budget, by_year=by, top=top)
    cheapest, best_total = brute_force(cs, ev, facts, budget, months)
    before = ev.evaluate_one(facts)
    event("qualified already" if before.qualified else "infeasible" if cheapest is None else "planned")
    if before.qualified:
        assert report.feasible and report.plans == []
        return
    if cheapest is None:
        assert not report.feasible and report.plans == [] and report.blockers
        assert report.best_reachable is not None
        assert report.best_reachable.total_after == pytest.approx(best_total)
        assert budget is None or report.best_reachable.cost_vnd <= budget
        return
    assert report.feasible
    assert report.plans[0].cost_vnd == cheapest
    costs = [p.cost_vnd for p in report.plans]
    assert costs == sorted(costs)
    for p in report.plans:
        assert p.qualified_after
        assert budget is None or p.cost_vnd <= budget
        assert months is None or p.months <= months
        # Applying the plan's actions to the facts and re-evaluating makes the commune qualify.
        acts = [collect_actions(cs)[a.id].action for a in p.actions]
        assert ev.evaluate_one(apply_actions(facts, acts)).qualified
    ids = [frozenset(a.id for a in p.actions) for p in report.plans]
    assert len(set(ids)) == len(ids)
    assert not any(a < b for a in ids for b in ids), "an alternative is a listed plan plus extra actions"


def knockout_set() -> CriteriaSet:
    """Points are easy to get; the knockout costs a lot and takes 36 months."""
    return criteria_set(
        [
            [
                indicator(
                    "1.1",
                    FACTS[0],
                    2,
                    90,
                    knockout=True,
                    remediation=[action("ko-fix", [{"fact": FACTS[0], "set": 95.0}], 500_000_000, 36)],
                ),
                indicator(
                    "1.2",
                    FACTS[1],
                    8,
                    80,
                    remediation=[action("cheap", [{"fact": FACTS[1], "set": 90.0}], 1_000, 1)],
                ),
            ],
            [indicator("2.1", FACTS[2], 10, 80)],
        ],
        min_total=15,
        set_id="knockout-test",
    )


def test_knockouts_are_forced_into_every_plan() -> None:
    cs = knockout_set()
    ev = Evaluator(cs)
    facts = commune({FACTS[0]: 50.0, FACTS[1]: 10.0, FACTS[2]: 95.0})  # 10 points, knockout failed
    report = plan_commune(cs, ev, facts, top=5)
    assert report.feasible and report.plans
    for p in report.plans:
        assert "ko-fix" in {a.id for a in p.actions}
    # Without a knockout failing, the expensive action is never chosen.
    ok = commune({FACTS[0]: 95.0, FACTS[1]: 10.0, FACTS[2]: 95.0})
    assert [[a.id for a in p.actions] for p in plan_commune(cs, ev, ok, top=3).plans] == [["cheap"]]


def test_deadline_too_short_for_a_knockout_names_it() -> None:
    cs = knockout_set()
    ev = Evaluator(cs)
    facts = commune({FACTS[0]: 50.0, FACTS[1]: 10.0, FACTS[2]: 95.0})
    report = plan_commune(cs, ev, facts, by_year=2026, start_year=2025)  # 24 months < 36
    assert not report.feasible and report.plans == []
    text = " ".join(b.text("en") for b in report.blockers)
    assert "1.1" in text and "36 months" in text and "24 months" in text
    best = report.best_reachable
    assert best is not None and [a.id for a in best.actions] == ["cheap"]
    assert best.total_after == pytest.approx(18.0) and not best.qualified_after
    assert plan_commune(cs, ev, facts, by_year=2027, start_year=2025).feasible  # 36 months fit


def test_budget_too_small_says_what_the_cheapest_plan_costs() -> None:
    cs = knockout_set()
    ev = Evaluator(cs)
    facts = commune({FACTS[0]: 50.0, FACTS[1]: 10.0, FACTS[2]: 95.0})
    report = plan_commune(cs, ev, facts, budget=100_000_000)
    assert not report.feasible
    text = " ".join(b.text("en") for b in report.blockers)
    assert "500,001,000 VND" in text and "100,000,000 VND" in text
    assert "its cheapest fix (ko-fix) costs 500,000,000 VND" in text
    assert plan_commune(cs, ev, facts, budget=500_001_000).plans[0].cost_vnd == 500_001_000


def test_knockout_without_any_action_blocks() -> None:
    cs = criteria_set(
        [[indicator("1.1", FACTS[0], 5, 90, knockout=True)], [indicator("2.1", FACTS[1], 5, 80)]],
        min_total=5,
        set_id="no-action-test",
    )
    report = plan_commune(cs, Evaluator(cs), commune({FACTS[0]: 10.0, FACTS[1]: 95.0}))
    assert not report.feasible
    assert any("1.1" in b.text("en") and "no action" in b.text("en") for b in report.blockers)


def test_missing_indicator_is_planned_with_its_real_actions() -> None:
    cs = knockout_set()
    ev = Evaluator(cs)
    facts = commune({FACTS[1]: 90.0, FACTS[2]: 95.0})  # the knockout's fact is absent
    report = plan_commune(cs, ev, facts)
    assert [a.id for a in report.plans[0].actions] == ["ko-fix"]
    assert any("1.1" in a.text("en") and "no data" in a.text("en") for a in report.assumptions)


def test_immutable_facts_are_never_changed() -> None:
    facts = commune({FACTS[0]: 10.0})
    bad = action("move-the-commune", [{"fact": "facilities.distance_to_hospital_km", "set": 1.0}], 0, 0)
    from engine.inputs.criteria import Action

    with pytest.raises(EngineError):
        apply_actions(facts, [Action.model_validate(bad)])
    immutable = [p for p, s in catalogue().items() if s.immutable]
    assert {"commune.population", "commune.villages", "facilities.distance_to_hospital_km"} <= set(immutable)


def test_no_action_of_the_national_set_touches_an_immutable_fact(national: CriteriaSet) -> None:
    specs = catalogue()
    for pa in collect_actions(national).values():
        assert not any(specs[f].immutable for f in pa.facts), pa.id


def test_actions_on_the_same_fact_run_one_after_the_other() -> None:
    from engine.inputs.criteria import Action

    a = Action.model_validate(action("set-it", [{"fact": FACTS[0], "set": 50.0}], 0, 6))
    b = Action.model_validate(action("add-to-it", [{"fact": FACTS[0], "add": 10.0}], 0, 3))
    c = Action.model_validate(action("elsewhere", [{"fact": FACTS[1], "set": 50.0}], 0, 4))
    assert schedule([b, a, c]) == {"set-it": 0, "add-to-it": 6, "elsewhere": 0}
    assert completion_months([a, b, c]) == 9
    assert completion_months([a, c]) == 6
    assert apply_actions(commune({}), [b, a]).get(FACTS[0]) == 60.0  # set first, then add


@pytest.fixture(scope="module")
def sample_plans(national: CriteriaSet, national_evaluator: Evaluator) -> list[tuple[CommuneFacts, Any]]:
    out = []
    for path in SAMPLES:
        facts = load_facts(path)
        out.append((facts, plan_commune(national, national_evaluator, facts, top=3)))
    return out


def test_every_failing_sample_gets_a_plan_that_qualifies_it(
    national: CriteriaSet, national_evaluator: Evaluator, sample_plans: list[tuple[CommuneFacts, Any]]
) -> None:
    assert len(sample_plans) >= 10
    actions = collect_actions(national)
    failing = 0
    for facts, report in sample_plans:
        if report.qualified_before:
            assert report.plans == []
            continue
        failing += 1
        assert report.feasible, facts.commune.name
        for p in report.plans:
            after = apply_actions(facts, [actions[a.id].action for a in p.actions])
            result = national_evaluator.evaluate_one(after)
            assert result.qualified and result.total_score == pytest.approx(p.total_after)
            for path, spec in catalogue().items():
                if spec.immutable:
                    assert after.get(path) == facts.get(path)
    assert failing >= 3


def test_plan_outputs_say_costs_are_indicative(sample_plans: list[tuple[CommuneFacts, Any]]) -> None:
    for _, report in sample_plans:
        assert "indicative" in report.costs_note.text("en") and "tham khảo" in report.costs_note.text("vi")
        assert report.draft_indicators > 0


def test_cli_plan(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from cli import main

    path = str(SAMPLES[0].parent / "muong-khong.yaml")
    assert main(["plan", path, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Plan 1" in out and "indicative" in out and "DRAFT" in out
    assert main(["plan", path, "--budget", "1000", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data[0]["feasible"] is False and data[0]["blockers"] and data[0]["best_reachable"]
    assert main(["plan", path, "--by", "2020"]) == 2
    assert "before the plan's start year" in capsys.readouterr().err
    assert main(["plan", path, "--top", "0"]) == 2
    assert main(["plan", path, "--budget", "lots"]) == 2
    assert main(["plan", path, "--budget", "1.500.000.000", "--by", "2026"]) == 0


# --- the planner over the language's constructs: sub-item actions, conditions, regions ------------


def test_a_sub_item_action_is_planned_and_the_plan_is_exact():
    """Indicator 1.4 of the language set adds up sub-items; its first sub-item carries the action."""
    from engine.inputs.loader import load_criteria
    from tests.support import ROOT, commune

    cs = load_criteria(ROOT / "tests" / "data" / "language-criteria.yaml")
    ev = Evaluator(cs)
    facts = commune(
        zone=1,
        province="Hà Nội",
        staffing={"doctors": 0, "midwives_or_ob_assistants": 0, "traditional_medicine_workers": 0},
        services={
            "stunting_under5_pct": 15.0,
            "full_immunisation_under1_pct": 96.0,
            "bhyt_visits_at_station_pct": 25.0,
            "underweight_under5_pct": 10.0,
            "bhyt_coverage_pct": 96.0,
        },
        medicinal_garden={"has_garden": True, "species": 45, "labelled": True},
        facilities={"station_condition": "good", "has_clean_water": True, "has_electricity": True},
    )
    before = ev.evaluate_one(facts)
    item = next(i for i in before.indicators if i.id == "1.4")
    assert (item.status, item.points) == ("fail", 0.0)  # no sub-item met
    assert [(x.id, x.met) for x in item.items] == [("a", False), ("b", False), ("c", False)]
    assert [a.id for a in item.remediation] == ["lang-doctor"]  # the action of sub-item a
    assert not before.qualified  # 1.4 is a knockout
    report = plan_commune(cs, ev, facts, top=1)
    assert report.feasible and [a.id for a in report.plans[0].actions] == ["lang-doctor"]
    after = next(i for i in report.plans[0].changes if i.id == "1.4")
    assert (after.status_after, after.points_after) == ("partial", 2.0)
    cheapest, _ = brute_force(cs, ev, facts, None, None)
    assert report.plans[0].cost_vnd == cheapest
