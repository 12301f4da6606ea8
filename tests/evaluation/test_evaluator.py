"""Evaluation through durable_rules: verdicts, invariants, sessions."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import EngineError
from engine.evaluation.compiler import compile_set
from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from tests import reference
from tests.support import commune, tiny_set_data


def test_every_status_from_durable_rules(tiny_evaluator):
    facts = commune(
        zone=2,
        area="urban",
        staffing={"doctors": 1, "traditional_medicine_workers": 0},
        services={"full_immunisation_under1_pct": 91.0, "stunting_under5_pct": 20.0},
        management={"steering_committee_active": False},
        facilities={"station_condition": "degraded"},
    )
    r = tiny_evaluator.evaluate_one(facts)
    status = {i.id: i.status for i in r.indicators}
    assert status == {
        "1.1": "pass",  # zone 2 needs 1 doctor
        "1.2": "partial",
        "1.3": "fail",
        "2.1": "pass",  # zone 2: ≤ 20
        "2.2": "fail",
        "2.3": "missing",
        "2.4": "not_applicable",  # rural only
        "2.5": "fail",
    }
    points = {i.id: i.points for i in r.indicators}
    assert points["1.2"] == 2 and points["2.4"] == 1 and points["2.3"] == 0
    assert r.total_score == 4 + 2 + 3 + 1
    assert not r.qualified
    assert r.knockouts_failed == ["2.3"]


def test_missing_knockout_blocks_and_is_first_remediation(tiny_evaluator):
    r = tiny_evaluator.evaluate_one(commune(zone=1))
    assert r.remediation[0].knockout
    assert all(i.status in ("missing", "not_applicable") for i in r.indicators)
    first = r.remediation[0]
    assert first.actions[0].id.startswith("collect-evidence-")
    assert any("1.1" in x.text("en") for x in r.reasons)


def test_qualifies_when_all_three_rules_hold(tiny_evaluator):
    facts = commune(
        zone=1,
        staffing={"doctors": 2},
        services={
            "full_immunisation_under1_pct": 95.0,
            "stunting_under5_pct": 15.0,
            "food_poisoning_outbreaks": 0,
        },
        management={"steering_committee_active": True},
        facilities={"station_condition": "good"},
        medicinal_garden={"species": 40},
    )
    r = tiny_evaluator.evaluate_one(facts)
    assert r.qualified, [x.text("en") for x in r.reasons]
    assert r.total_score == 20  # 2.5 does not apply in zone 1: awarded


def test_floor_below_half_blocks_even_with_enough_total(tiny):
    data = tiny.model_dump()
    data["recognition"]["min_total"] = 10
    ev = Evaluator(type(tiny).model_validate(data))
    facts = commune(
        zone=1,
        staffing={"doctors": 2},
        services={"full_immunisation_under1_pct": 99.0, "food_poisoning_outbreaks": 0},
        management={"steering_committee_active": True},
    )
    r = ev.evaluate_one(facts)
    assert r.total_score == 10 + 2 + 1  # 2.3 pass, 2.4 missing, 2.5 n/a (1 point)
    assert not r.qualified
    assert [c.id for c in r.criteria if not c.passed] == ["2"]


def test_batch_equals_one_by_one(tiny_evaluator):
    many = [commune(zone=z, staffing={"doctors": d}) for z in (1, 2, 3) for d in range(4)]
    together = tiny_evaluator.evaluate(many)
    alone = [tiny_evaluator.evaluate_one(f) for f in many]
    assert together == alone


def test_sessions_are_deleted(tiny_evaluator):
    # durable_rules keeps at most 1,024 live sessions per ruleset: more evaluations must still work.
    facts = commune(zone=1, staffing={"doctors": 2})
    host, name = tiny_evaluator.host, tiny_evaluator.compiled.name
    seen = set()
    for _ in range(1100):
        assert tiny_evaluator.verdicts([facts])[0]["1.1"] == ("pass", None)
        seen.add(host.last_session)
        with pytest.raises(Exception, match="Could not get state"):
            host.get_state(name, host.last_session)  # gone once its batch is done
    assert len(seen) == 1100


def test_a_fact_matching_no_rule_is_an_engine_error(tiny):
    compiled = compile_set(tiny)
    broken = {k: v for k, v in compiled.definition.items() if k != "1.1#missing"}
    bad = dataclasses.replace(compiled, name=compiled.name + "-no-missing", definition=broken)
    ev = Evaluator(tiny)
    ev.compiled = bad
    ev.host.ensure(bad)
    with pytest.raises(EngineError, match=r"no compiled rule|no verdict"):
        ev.verdicts([commune(zone=1)])


def test_two_verdicts_for_one_indicator_is_an_engine_error(tiny):
    compiled = compile_set(tiny)
    extra = dict(compiled.definition)
    extra["1.1#dup"] = {**compiled.definition["1.1#missing"], "run": "1.1#dup"}
    meta = {**compiled.meta, "1.1#dup": compiled.meta["1.1#missing"]}
    bad = dataclasses.replace(compiled, name=compiled.name + "-dup", definition=extra, meta=meta)
    ev = Evaluator(tiny)
    ev.compiled = bad
    ev.host.ensure(bad)
    with pytest.raises(EngineError, match="two verdicts"):
        ev.verdicts([commune(zone=1)])


def test_an_indicator_restricted_by_zone_and_area_gives_one_verdict():
    """A commune outside both the zones and the areas is 'not applicable' once (the na rule's
    alternatives used to overlap, and durable_rules fired it twice: an engine error)."""
    data = tiny_set_data()
    data["criteria"][0]["indicators"][0]["applies_to"] = {"zones": [1], "areas": ["rural"]}
    ev = Evaluator(CriteriaSet.model_validate(data))
    for zone, area, status in [(3, "urban", "not_applicable"), (1, "urban", "not_applicable"),
                               (3, "rural", "not_applicable"), (1, "rural", "missing")]:  # fmt: skip
        assert ev.verdicts([commune(zone=zone, area=area)])[0]["1.1"] == (status, None)


# --- differential testing: durable_rules against the pure-Python reference -------------------


def _fact_values(draw, cs):
    """Values drawn near every threshold of ``cs`` (every dimension, bands, conditions, sub-items)."""
    from engine.inputs.fact_catalogue import catalogue
    from tests.differential import cut_points

    specs = catalogue()
    cuts: dict[str, list[float]] = {}
    for path, points in cut_points(cs).items():
        for t in points:
            cuts.setdefault(path, []).extend([t, t - 1, t + 1, t - 0.1, t + 0.1])
    reads = {p for _, ind in cs.indicators() for p in ind.reads} | set(cs.zoning.reads if cs.zoning else ())
    sections: dict[str, dict] = {}
    for path in sorted(reads):
        spec = specs[path]
        if draw(st.integers(0, 9)) == 0:
            continue  # absent → missing
        if spec.kind == "boolean":
            v = draw(st.booleans())
        elif spec.kind == "choice":
            v = draw(st.sampled_from(spec.choices))
        else:
            near = [c for c in cuts.get(path, []) if c >= 0 and (spec.maximum is None or c <= spec.maximum)]
            if spec.kind == "count":
                near = [int(c) for c in near if float(c).is_integer()]
                v = draw(st.sampled_from(near) if near and draw(st.booleans()) else st.integers(0, 30))
            else:
                hi = spec.maximum if spec.maximum is not None else 500.0
                pool = st.floats(0, hi, allow_nan=False).map(lambda x: round(x, 1))
                v = draw(st.sampled_from(near) if near and draw(st.booleans()) else pool)
                v = float(v)
        section, name = path.split(".")
        sections.setdefault(section, {})[name] = v
    return sections


@st.composite
def communes_for(draw, cs):
    from engine.inputs.loader import places

    sections = _fact_values(draw, cs)
    province = draw(st.sampled_from(places().table.provinces))
    return commune(
        zone=draw(st.sampled_from([1, 2, 3])),
        area=draw(st.sampled_from(["urban", "rural"])),
        province=province.name,
        year=2025 if province.from_year else 2024,
        identity=sections.pop("commune", {}),
        **sections,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_durable_rules_agree_with_reference_tiny(tiny, tiny_evaluator, data):
    facts = data.draw(communes_for(tiny))
    r = tiny_evaluator.evaluate_one(facts)
    ref = reference.verdicts(tiny, facts)
    assert tiny_evaluator.verdicts([facts])[0] == ref
    got = {i.id: i.status for i in r.indicators}
    assert got == {k: v[0] for k, v in ref.items()}
    score, qualified = reference.total(tiny, facts)
    assert r.total_score == pytest.approx(score)
    assert r.qualified == qualified


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_durable_rules_agree_with_reference_national(national, national_evaluator, data):
    batch = [data.draw(communes_for(national)) for _ in range(10)]
    results = national_evaluator.evaluate(batch)
    for facts, r in zip(batch, results, strict=True):
        ref = reference.verdicts(national, facts)
        assert {i.id: i.status for i in r.indicators} == {k: v[0] for k, v in ref.items()}
        assert r.zone_check is not None
        assert r.zone_check.by_rule == reference.zone_by_rule(national.zoning, facts)
        score, qualified = reference.total(national, facts)
        assert r.total_score == pytest.approx(score)
        assert r.qualified == qualified


def test_seeded_differential_run(national):
    from tests.differential import compare

    n, compared, mismatches, examples = compare(national, 400, seed=7)
    assert n == 400 and compared == 400 * (len(national.indicators()) + 1)  # and the zoning rule
    assert mismatches == 0, examples


def test_seeded_differential_run_over_every_construct():
    """The language test set and random sets of every form (regions, all/any/not, sub-items, bands)."""
    from tests.differential import main

    assert main(["--count", "60", "--sets", "6", "--seed", "11"]) == 0


def test_no_communes_no_results(tiny_evaluator):
    assert tiny_evaluator.evaluate([]) == []
