"""The annual review (engine.register.review and `commune-health review`) on a small register."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli import main
from engine.register import decisions
from engine.register.db import Register
from engine.register.review import review
from engine.register.store import import_submissions
from tests.register.support import submissions, tiny_facts, url


def record(code: str, year: int, qualified: bool = True, species: int = 45, area: str = "rural") -> dict:
    r = tiny_facts(code, year, qualified, area=area)
    r["medicinal_garden"]["species"] = species
    return r


@pytest.fixture
def reg(tmp_path):
    with Register(url(tmp_path / "r.sqlite3"), create=True) as r:
        # 2022: three communes recognised. 2023: one loses a point (garden species: 2.4 pass -> fail)
        # but keeps qualifying, one fails a knockout, one is urban and fine; a fourth qualifies anew.
        import_submissions(r, submissions([record("00001", 2022), record("00002", 2022),
                                           record("00003", 2022, area="urban")]), "A")  # fmt: skip
        decisions.apply(r, 2022, "1/QĐ", dt.date(2022, 12, 15), "clerk")
        import_submissions(r, submissions([record("00001", 2023, species=20), record("00002", 2023, False),
                                           record("00003", 2023, area="urban"), record("00004", 2023)]), "A")  # fmt: skip
        yield r


def test_proposals_are_counted_and_flagged_until_decisions_are_recorded(reg):
    rv = review(reg, 2023)
    assert not rv.recorded
    assert rv.counts == {"maintained": 2, "withdrawn": 1, "new": 1}
    decisions.apply(reg, 2023, "2/QĐ", dt.date(2023, 12, 15), "clerk")
    rv = review(reg, 2023)
    assert rv.recorded and rv.counts == {"maintained": 2, "withdrawn": 1, "new": 1}


def test_share_of_communes_holding_the_title_by_area(reg):
    rv = review(reg, 2023)
    assert rv.evaluated == {"total": 4, "rural": 3, "urban": 1}
    assert rv.recognised == {"total": 3, "rural": 2, "urban": 1}
    assert rv.share() == pytest.approx(75.0) and rv.share("urban") == pytest.approx(100.0)


def test_regressions_since_the_last_recognition(reg):
    rv = review(reg, 2023)
    got = {(r.commune, r.indicator, r.before, r.now) for r in rv.regressions}
    assert ("00001", "2.4", "2.4:pass", "fail") in got  # still qualifies, but lost the garden point
    assert ("00002", "1.1", "1.1:pass", "fail") in got  # the knockout that withdraws the title
    assert not any(r.commune in ("00003", "00004") for r in rv.regressions)


def test_titles_expiring_next_year(reg):
    decisions.apply(reg, 2023, "2/QĐ", dt.date(2023, 12, 15), "clerk")
    # Recognised 15/12/2022, valid until 14/12/2025: they expire in 2025, seen from the 2024 review.
    assert review(reg, 2023).expiring == []
    import_submissions(reg, submissions([record("00001", 2024), record("00003", 2024, area="urban")]), "A")
    rv = review(reg, 2024)
    assert [(c, d) for c, _, d in rv.expiring] == [
        ("00001", dt.date(2025, 12, 14)),
        ("00003", dt.date(2025, 12, 14)),
    ]


def test_review_command_json(reg, capsys):
    assert (
        main(["review", "--year", "2023", "--db", reg.url.removeprefix("sqlite:///"), "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["decisions_recorded"] is False
    assert data["counts"] == {"new": 1, "maintained": 2, "re_recognised": 0, "withdrawn": 1}
    assert data["share_recognised_pct"]["total"] == 75.0
    assert {r["indicator"] for r in data["regressions"]} == {"2.4", "1.1"}
