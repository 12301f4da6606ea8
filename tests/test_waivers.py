"""Waivers: which assessments they cover, how scoring treats them, and that every output shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from engine.waivers import Waiver, expired, expiring_in, waived_ids
from tests.conftest import commune


def waiver(indicator: str = "1.1", granted=dt.date(2023, 3, 1), expires=dt.date(2025, 6, 30), **kw) -> Waiver:
    return Waiver(
        commune="00001",
        indicator=indicator,
        reason="bác sĩ nghỉ việc, đang tuyển",
        approver="Sở Y tế",
        granted_on=granted,
        expires_on=expires,
        **kw,
    )


def test_a_waiver_covers_the_years_whose_31_december_it_spans():
    w = waiver()
    assert [y for y in range(2021, 2027) if w.covers_year(y)] == [2023, 2024]
    assert waived_ids([w], "00001", 2024) == frozenset({"1.1"})
    assert waived_ids([w], "00002", 2024) == frozenset()
    assert waived_ids([w], "00001", 2025) == frozenset()  # expired mid-2025: 2025 is not covered


def test_a_revoked_waiver_covers_nothing_after_revocation():
    w = waiver(revoked_on=dt.date(2024, 5, 1))
    assert w.covers_year(2023) and not w.covers_year(2024)
    assert expired([w], dt.date(2030, 1, 1)) == []


def test_expired_and_expiring_are_reported():
    a, b = waiver(), waiver("2.3", expires=dt.date(2026, 3, 1))
    assert expired([a, b], dt.date(2025, 7, 1)) == [a]
    assert expiring_in([a, b], 2026) == [b]


def test_expiry_before_grant_is_refused():
    with pytest.raises(ValidationError):
        waiver(granted=dt.date(2025, 1, 1), expires=dt.date(2024, 1, 1))


QUALIFYING = {
    "staffing": {"doctors": 2, "traditional_medicine_workers": 1},
    "services": {
        "full_immunisation_under1_pct": 96.0,
        "stunting_under5_pct": 10.0,
        "food_poisoning_outbreaks": 0,
    },
    "management": {"steering_committee_active": True},
    "facilities": {"station_condition": "good"},
    "medicinal_garden": {"species": 45},
}


def test_a_waived_knockout_keeps_its_verdict_but_does_not_fail_the_commune(tiny_evaluator):
    facts = commune(**{**QUALIFYING, "staffing": {"doctors": 0}})
    plain = tiny_evaluator.evaluate([facts])[0]
    assert not plain.qualified and plain.knockouts_failed == ["1.1"]
    waived = tiny_evaluator.evaluate([facts], waived=[frozenset({"1.1"})])[0]
    ind = next(i for i in waived.indicators if i.id == "1.1")
    assert ind.status == "fail" and ind.waived  # durable_rules' verdict kept, flagged
    assert ind.points == ind.max_points  # scored like not applicable (the set awards those points)
    assert waived.knockouts_failed == [] and waived.qualified
    assert not any(i.waived for i in plain.indicators)


def test_waiving_a_passing_indicator_changes_no_score(tiny_evaluator):
    facts = commune(**QUALIFYING)
    a = tiny_evaluator.evaluate([facts])[0]
    b = tiny_evaluator.evaluate([facts], waived=[frozenset({"1.3"})])[0]
    assert a.total_score == b.total_score and a.qualified == b.qualified
    assert [i.id for i in b.indicators if i.waived] == ["1.3"]
