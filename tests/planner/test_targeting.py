"""Area targeting: the least-cost communes to reach a rate, phasing, budgets, plan targets."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from cli import main
from engine.errors import UserError
from engine.evaluation.evaluator import Evaluator
from engine.inputs.costs import costs_note
from engine.inputs.criteria import CriteriaSet
from engine.inputs.loader import load_facts
from engine.planner.action_plan import plan_commune
from engine.planner.targeting import (
    TargetReport,
    TargetSpec,
    default_spec,
    required_count,
    spec_from_plan,
    target_area,
)

ROOT = Path(__file__).resolve().parents[2]
AREA = ROOT / "communes" / "dien-bien" / "tuan-giao"


@pytest.mark.parametrize(
    ("spec", "n", "need"),
    [
        (TargetSpec(rate=92.11, by_year=2030), 16, 15),  # 14.74 → 15
        (TargetSpec(rate=92.2, by_year=2021), 129, 119),  # the Điện Biên seed: ≥ 119 of 129
        (TargetSpec(rate=90, by_year=2030), 10, 9),
        (TargetSpec(rate=90, strict=True, by_year=2025), 10, 10),  # "more than 90 %"
        (TargetSpec(rate=100, by_year=2030), 7, 7),
        (TargetSpec(count=119, by_year=2021), 129, 119),
    ],
)
def test_required_count(spec: TargetSpec, n: int, need: int) -> None:
    assert required_count(spec, n) == need


@pytest.fixture(scope="module")
def loaded() -> list:
    return [(p, load_facts(p)) for p in sorted(AREA.glob("*.yaml"))]


def run(national: CriteriaSet, ev: Evaluator, loaded: list, **kw: object) -> TargetReport:
    spec = kw.pop("spec", TargetSpec(rate=92.11, by_year=2030))
    return target_area(national, ev, loaded, spec, area="test", costs_note=costs_note(None, None), **kw)  # type: ignore[arg-type]


def test_the_cheapest_communes_are_chosen(
    national: CriteriaSet, national_evaluator: Evaluator, loaded: list
) -> None:
    r = run(national, national_evaluator, loaded)
    assert r.reachable and r.needed == r.required - r.qualifying_now == len(r.selected)
    # Brute force over every choice of `needed` communes, each at its own cheapest plan.
    costs = {}
    for _, f in loaded:
        rep = plan_commune(national, national_evaluator, f, by_year=2030, start_year=r.start_year, top=1)
        if not rep.qualified_before and rep.plans:
            costs[f.commune.code] = rep.plans[0].cost_vnd
    best = min(sum(c) for c in itertools.combinations(costs.values(), r.needed))
    assert r.total_cost_vnd == best
    assert r.phases[-1].cumulative == r.required and r.phases[-1].rate >= 92.11
    assert sum(y.spend_vnd for y in r.phases) == r.total_cost_vnd
    assert sum(len(y.qualifying) for y in r.phases) == len(r.selected)
    for o in r.selected:
        assert o.plan is not None and o.plan.qualified_after and o.plan.completes_year <= 2030


def test_a_budget_too_small_gives_the_best_rate(
    national: CriteriaSet, national_evaluator: Evaluator, loaded: list
) -> None:
    full = run(national, national_evaluator, loaded)
    budget = full.total_cost_vnd - 1
    r = run(national, national_evaluator, loaded, budget=budget)
    assert not r.reachable
    assert r.total_cost_vnd <= budget
    assert r.best_count == r.qualifying_now + len(r.selected) < r.required
    assert r.best_rate == pytest.approx(100 * r.best_count / r.communes_total)


def test_a_deadline_leaves_out_slow_communes(
    national: CriteriaSet, national_evaluator: Evaluator, loaded: list
) -> None:
    r = run(national, national_evaluator, loaded, spec=TargetSpec(rate=100, by_year=2025), start_year=2025)
    for o in r.selected:
        assert o.plan is not None and o.plan.months <= 12
    assert all(o.plan is None for o in r.blocked)


def test_rate_and_year_from_a_plan() -> None:
    spec = spec_from_plan("lai-chau-2030", None)
    assert (spec.rate, spec.by_year, spec.strict) == (92.11, 2030, False)
    assert spec.source is not None and "seed 001" in spec.source.text("en")
    assert spec_from_plan("national-2026-2035", 2035).rate == 95
    assert spec_from_plan("lai-chau-2021-2025", None).strict  # "> 90 %"
    with pytest.raises(UserError):
        spec_from_plan("national-2026-2035", 2031)


def test_default_target_is_the_most_local_plan_still_ahead() -> None:
    national = default_spec("Điện Biên", "Tuần Giáo", 2025)  # Điện Biên's and Tuần Giáo's plans ended in 2021
    assert national is not None and (national.rate, national.by_year) == (90, 2030)
    province = default_spec("Lai Châu", None, 2025)
    assert province is not None and (province.rate, province.by_year, province.strict) == (90, 2025, True)
    assert default_spec("Lai Châu", None, 2026).rate == 92.11  # type: ignore[union-attr]
    assert default_spec("Lai Châu", None, 2031).by_year == 2035  # type: ignore[union-attr]
    assert default_spec("Lai Châu", None, 2036) is None


def test_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", str(AREA), "--rate", "92.11", "--by", "2030", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "REACHES the target" in out and "Phasing by year" in out and "indicative" in out
    assert main(["target", str(AREA), "--plan", "lai-chau-2030", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"]["rate"] == 92.11 and data["reachable"] is True
    assert main(["target", str(AREA), "--rate", "92.11", "--by", "2030", "--budget", "1000"]) == 1
    assert main(["target", str(AREA), "--rate", "120", "--by", "2030"]) == 2
    assert main(["target", str(AREA), "--rate", "90"]) == 2
    assert "--rate R and --by YEAR" in capsys.readouterr().err
