"""The multi-year Tuần Giáo sample (communes/dien-bien/tuan-giao-history/) through the register, as
the README shows it: the decisions of every year match expected-decisions.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cli import main
from engine.register import decisions
from engine.register.db import Register
from engine.register.history import history
from engine.register.review import review
from tests import snapshots
from tests.register.support import counts, url

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "communes" / "dien-bien" / "tuan-giao-history"
EXPECTED = json.loads((HISTORY / "expected-decisions.json").read_text("utf-8"))
YEARS = sorted(int(y) for y in EXPECTED if y.isdigit())

# The two waivers the README records once the first year is imported (a waiver names a commune the
# register knows), before the years they cover.
WAIVERS = [
    ["03322", "2.1", "--reason", "Bác sĩ nghỉ việc 01/2023; đang tuyển dụng, luân phiên theo Đề án 1816",
     "--approver", "Sở Y tế Điện Biên", "--granted", "2023-03-01", "--expires", "2025-06-30"],
    ["03319", "3.1", "--reason", "Trạm đang sửa chữa theo kế hoạch 2021",
     "--approver", "Sở Y tế Điện Biên", "--granted", "2021-01-15", "--expires", "2022-06-30"],
]  # fmt: skip


def grouped(props: list[decisions.Proposal]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in props:
        key = p.kind or ("merged" if p.merged_into else "none")
        out.setdefault(key, []).append(p.commune)
    return {k: sorted(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict[int, dict[str, list[str]]]]:
    return build_sample_register(tmp_path_factory.mktemp("sample") / "register.sqlite3")


def build_sample_register(db: Path) -> tuple[Path, dict[int, dict[str, list[str]]]]:
    """The register after the README's walk-through, and the proposals printed before each --apply."""
    seen: dict[int, dict[str, list[str]]] = {}
    for k, year in enumerate([YEARS[0], *YEARS]):
        folder = HISTORY / str(year)
        assert main(["register", "import", str(folder), "--year", str(year), "--appraiser",
                     "Hội đồng thẩm định (minh họa)", "--db", str(db)]) == 0  # fmt: skip
        if k == 0:  # the first year imported: the waivers, then every year (the first again: unchanged)
            for w in WAIVERS:
                assert main(["register", "waive", *w, "--by", "test", "--db", str(db)]) == 0
            continue
        with Register(url(db), create=True) as reg:
            seen[year] = grouped(decisions.propose(reg, year))
        assert main(["register", "decide", "--year", str(year), "--apply", "--decision-number",
                     f"{year}/QĐ-UBND", "--decision-date", f"{year}-12-15", "--by", "test",
                     "--db", str(db)]) == 0  # fmt: skip
    return db, seen


@pytest.fixture
def register_db(sample) -> Path:
    return sample[0]


@pytest.mark.parametrize("year", YEARS)
def test_the_expected_decisions_of_each_year(sample, year):
    expected = {k: sorted(v) for k, v in EXPECTED[str(year)].items()}
    db, proposed = sample
    assert proposed[year] == expected  # what the council was shown
    with Register(url(db), create=True) as reg:
        assert grouped(decisions.propose(reg, year)) == expected  # and what was recorded


def test_the_sets_in_force_were_used(register_db):
    with Register(url(register_db)) as reg:
        h = history(reg, "03301")
    assert {e["year"]: e["criteria_set"] for e in h.evaluations} == {
        y: ("national-2020" if y <= 2022 else "national-2030") for y in YEARS
    }


def test_importing_a_year_again_and_deciding_again_changes_nothing(register_db, capsys):
    before = counts(register_db)
    assert main(["register", "import", str(HISTORY / "2024"), "--year", "2024", "--appraiser", "x",
                 "--db", str(register_db), "--lang", "en"]) == 0  # fmt: skip
    assert "0 new evaluation(s), 0 replacing an earlier one, 16 unchanged" in capsys.readouterr().out
    with Register(url(register_db)) as reg:
        _, summary = decisions.apply(reg, 2024, "2024/QĐ-UBND", dt.date(2024, 12, 15), "test")
    assert len(summary.unchanged) == 12 and not (summary.created or summary.changed or summary.deleted)
    assert summary.later_years == [2025]
    assert counts(register_db) == before


def test_the_merged_commune_and_its_predecessors(register_db):
    with Register(url(register_db)) as reg:
        new = history(reg, "03350")
        old = history(reg, "03334")
    assert new.predecessors == [("03304", 2025), ("03310", 2025), ("03334", 2025)]
    assert [d["kind"] for d in new.decisions if d["code"] == "03350"] == ["new"]
    assert len([e for e in new.evaluations if e["code"] == "03334"]) == 6
    assert old.successors == [("03350", 2025)]


def test_the_review_of_2024(register_db):
    with Register(url(register_db)) as reg:
        rv = review(reg, 2024)
    assert rv.recorded and rv.counts == {"maintained": 10, "withdrawn": 2}
    assert (rv.recognised["total"], rv.evaluated["total"]) == (10, 16)
    assert sorted(c for c, _, _ in rv.expiring) == [
        "03301", "03304", "03307", "03310", "03313", "03322", "03331", "03334", "03337", "03343",
    ]  # fmt: skip
    assert [(w.commune, w.indicator) for w in rv.waivers_in_force] == [("03322", "2.1")]
    assert [(w.commune, w.indicator) for w in rv.waivers_expired] == [("03319", "3.1")]
    waived = [r for r in rv.regressions if r.waived]
    assert [(r.commune, r.indicator, r.now) for r in waived] == [("03322", "2.1", "fail")]
    assert rv.draft_evaluations == 16


def test_the_review_of_2021_against_the_district_plan(register_db):
    with Register(url(register_db)) as reg:
        rv = review(reg, 2021)
    plan = {t.target: t for t in rv.targets if t.plan == "tuan-giao-2021"}
    assert plan["muong-khong-qualifies"].met and plan["ta-ma-qualifies"].met
    assert plan["keep-title-14"].actual == 14 and plan["keep-title-14"].met
    province = [t for t in rv.targets if t.plan == "dien-bien-2021"]
    assert province and all(t.note and "16 of the area's 129" in t.note.text("en") for t in province)


def test_review_command_renders_in_both_languages(register_db, capsys):
    assert main(["review", "--year", "2025", "--db", str(register_db), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Re-recognised" in out and "EXPIRED waivers" in out and "DRAFT" in out
    assert main(["review", "--year", "2025", "--db", str(register_db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"new": 2, "maintained": 0, "re_recognised": 7, "withdrawn": 0}
    assert [w["indicator"] for w in data["waivers_expired"]] == ["3.1", "2.1"]


@pytest.mark.parametrize("name", sorted(snapshots.REVIEWS))
def test_review_output_is_unchanged(sample, name):
    """``review`` on the walk-through's register gives the JSON it gave before the layout change."""
    db, _ = sample
    assert snapshots.run([*snapshots.REVIEWS[name], "--db", str(db)]) == snapshots.read(name)
