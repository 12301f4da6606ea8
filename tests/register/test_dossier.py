"""A year's decisions as the proposal and the decision print them: proposals until the year is
recorded, then the recorded decisions (number, date, validity), and what changed since."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.register import decisions
from engine.register.db import Register
from engine.register.dossier import YearDecisions, year_decisions
from tests.register.scenario import A, B, C, D, import_year, sample_register


def kinds(yd: YearDecisions) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in yd.entries:
        out.setdefault(str(e.kind), []).append(e.commune)
    return out


@pytest.fixture
def reg(tmp_path: Path):
    r = sample_register(tmp_path / "register.sqlite3")
    yield r
    r.close()


def test_proposals_until_the_year_is_recorded(reg: Register) -> None:
    yd = year_decisions(reg, 2020)
    assert not yd.recorded and yd.decision_numbers == [] and yd.differing == []
    assert kinds(yd) == {"new": [D], "maintained": [A], "withdrawn": [B]}
    by = {e.commune: e for e in yd.entries}
    assert by[A].valid_until == dt.date(2022, 12, 14) and by[A].recognised_year == 2019
    assert by[D].valid_until is None and by[D].validity_years == 3  # runs from the signing date
    assert [e.commune for e in yd.evaluated] == [A, B, D]  # C holds its title but was not evaluated
    assert yd.illustrative and yd.draft_indicators > 0


def test_recorded_decisions_and_what_changed_since(reg: Register) -> None:
    decisions.apply(reg, 2020, "7/QĐ-UBND", dt.date(2020, 12, 10), "test")
    yd = year_decisions(reg, 2020)
    assert (
        yd.recorded and yd.decision_numbers == ["7/QĐ-UBND"] and yd.decision_dates == [dt.date(2020, 12, 10)]
    )
    assert kinds(yd) == {"new": [D], "maintained": [A], "withdrawn": [B]}
    assert {e.commune: e.valid_until for e in yd.entries}[D] == dt.date(2023, 12, 9)
    import_year(reg, 2020, {D: False})  # corrected facts after the decision
    assert year_decisions(reg, 2020).differing == [D]


def test_the_commune_without_a_decision_is_listed_apart(reg: Register) -> None:
    yd = year_decisions(reg, 2019)
    assert kinds(yd) == {"new": [A, B, C]}
    assert [e.commune for e in yd.without_decision] == [D] and yd.without_decision[0].qualified is False
