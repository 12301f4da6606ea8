"""The register's database: migrations, idempotent imports, decisions with an audit trail, mergers.

Helpers (tiny fact records, submissions) are in tests/register/support.py.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cli import main
from engine.errors import UserError
from engine.register import decisions
from engine.register.db import Register
from engine.register.history import history
from engine.register.migrations import LATEST, migrate
from engine.register.store import import_submissions
from tests.register.support import (
    TINY,
    TINY_INDICATORS,
    counts,
    submissions,
    tiny_facts,
    url,
    write_facts,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


# --- migrations ---------------------------------------------------------------------------------


def test_migrations_from_an_empty_database(db):
    reg = Register(url(db), create=True)
    assert reg.applied == [1, 2, 3] == list(range(1, LATEST + 1))
    reg.close()
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"communes", "commune_successions", "evaluations", "evaluation_indicators", "decisions"} <= tables
    assert {"decision_audit", "waivers", "schema_migrations", "users", "user_activity"} <= tables
    assert [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version")] == [1, 2, 3]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    assert Register(url(db), create=True).applied == []  # reopening migrates nothing


def test_a_version_1_register_with_data_is_migrated_to_the_latest(db):
    engine = create_engine(url(db))
    assert migrate(engine, target=1) == [1]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO communes (code, name, province, zone, area, first_year, last_year) "
                "VALUES ('00001', 'Xã Cũ', 'Tỉnh Thử', 1, 'rural', 2020, 2020)"
            )
        )
    engine.dispose()
    reg = Register(url(db), create=True)
    assert reg.applied == [2, 3]
    with reg.read() as conn:
        assert conn.execute(text("SELECT name FROM communes")).scalar() == "Xã Cũ"
        assert conn.execute(text("SELECT COUNT(*) FROM waivers")).scalar() == 0


def test_a_register_from_a_newer_program_is_refused(db):
    Register(url(db), create=True).close()
    con = sqlite3.connect(db)
    con.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="newer than this program"):
        Register(url(db), create=True)


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path, capsys):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("this is not a database\n" * 20)
    assert main(["register", "history", "00001", "--db", str(bad)]) == 2
    assert "cannot open the register" in capsys.readouterr().err


def test_an_unknown_database_url_is_a_user_error(capsys):
    assert main(["register", "history", "00001", "--db-url", "nosuchdb://x/y"]) == 2
    assert "cannot use database URL" in capsys.readouterr().err


# --- imports ------------------------------------------------------------------------------------


def test_importing_the_same_facts_again_changes_nothing(db):
    records = [tiny_facts(f"{k:05d}", 2024, qualified=k % 3 != 0) for k in range(1, 11)]
    with Register(url(db), create=True) as reg:
        first = import_submissions(reg, submissions(records), "Hội đồng A", batch_size=4)
    assert len(first.added) == 10
    before = counts(db)
    with Register(url(db), create=True) as reg:
        again = import_submissions(reg, submissions(records), "someone else", batch_size=3)
    assert (again.added, again.replaced, len(again.unchanged)) == ([], [], 10)
    assert (
        counts(db)
        == before
        == {
            "communes": 10,
            "evaluations": 10,
            "evaluation_indicators": 10 * TINY_INDICATORS,
            "decisions": 0,
            "decision_audit": 0,
        }
    )


def test_corrected_facts_replace_the_evaluation_of_the_year_and_both_are_kept(db):
    with Register(url(db), create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2024, qualified=False)]), "A")
        out = import_submissions(reg, submissions([tiny_facts("00001", 2024, qualified=True)]), "A")
        assert out.replaced == ["00001"]
        [p] = decisions.propose(reg, 2024)
        assert p.kind == "new" and p.qualified
        h = history(reg, "00001")
    assert [e["qualified"] for e in h.evaluations] == [False, True]
    assert "Knockout indicator 1.1" in h.evaluations[0]["reasons"][0]["en"]
    assert h.evaluations[1]["reasons"] == []


def test_an_evaluation_keeps_the_facts_as_submitted_and_the_set_it_used(db, tmp_path):
    folder = write_facts(tmp_path / "f", [tiny_facts("00001", 2024)])
    raw = (folder / "00001.yaml").read_text("utf-8")
    assert main(["register", "import", str(folder), "--year", "2024", "--appraiser", "Tổ thẩm định",
                 "--criteria", str(TINY), "--db", str(db)]) == 0  # fmt: skip
    con = sqlite3.connect(db)
    row = con.execute(
        "SELECT facts_submitted, criteria_set_id, criteria_set_hash, appraiser, total_score, qualified "
        "FROM evaluations"
    ).fetchone()
    con.close()
    assert row[0] == raw and row[1] == "tiny" and len(row[2]) == 16 and row[3] == "Tổ thẩm định"
    assert row[4] == 20 and row[5] == 1


def test_import_refuses_files_of_another_year_and_broken_files(db, tmp_path, capsys):
    folder = write_facts(tmp_path / "f", [tiny_facts("00001", 2023)])
    (folder / "broken.yaml").write_text("year: 2024\ncommune: [not, a, mapping]\n", "utf-8")
    args = ["register", "import", str(folder), "--year", "2024", "--appraiser", "A", "--db", str(db)]
    assert main([*args, "--criteria", str(TINY)]) == 2
    err = capsys.readouterr().err
    assert "not --year 2024" in err and "broken.yaml:2" in err
    assert not db.exists() or counts(db)["evaluations"] == 0


# --- decisions and audit ------------------------------------------------------------------------


def test_decide_records_only_with_apply_and_reapplying_changes_nothing(db, tmp_path, capsys):
    records = [tiny_facts("00001", 2024), tiny_facts("00002", 2024, qualified=False)]
    write_facts(tmp_path / "f", records)
    base = ["--db", str(db)]
    assert main(["register", "import", str(tmp_path / "f"), "--year", "2024", "--appraiser", "A",
                 "--criteria", str(TINY), *base]) == 0  # fmt: skip
    assert main(["register", "decide", "--year", "2024", "--lang", "en", *base]) == 0
    out = capsys.readouterr().out
    assert "Newly recognised" in out and "Not recorded" in out
    assert counts(db)["decisions"] == 0
    assert main(["register", "decide", "--year", "2024", "--apply", *base]) == 2  # number and date needed
    apply = ["register", "decide", "--year", "2024", "--apply", "--decision-number", "12/QĐ-UBND",
             "--decision-date", "2024-12-20", "--by", "Chánh văn phòng", *base]  # fmt: skip
    assert main(apply) == 0
    assert counts(db)["decisions"] == 1 and counts(db)["decision_audit"] == 1
    assert main(apply) == 0
    assert counts(db)["decisions"] == 1 and counts(db)["decision_audit"] == 1


def test_a_changed_decision_leaves_an_audit_row_with_who_when_and_from_what_to_what(db):
    with Register(url(db), create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2023)]), "A")
        decisions.apply(reg, 2023, "1/QĐ", dt.date(2023, 12, 15), "clerk")
        import_submissions(reg, submissions([tiny_facts("00001", 2024)]), "A")
        _, s1 = decisions.apply(reg, 2024, "2/QĐ", dt.date(2024, 12, 15), "clerk")
        assert s1.created == ["00001"]
        # The 2024 facts are corrected: the commune fails a knockout after all.
        import_submissions(reg, submissions([tiny_facts("00001", 2024, qualified=False)]), "A")
        _, s2 = decisions.apply(reg, 2024, "2b/QĐ", dt.date(2024, 12, 28), "director", reason="phúc tra")
        assert s2.changed == ["00001"]
        h = history(reg, "00001")
    assert [(d["year"], d["kind"]) for d in h.decisions] == [(2023, "new"), (2024, "withdrawn")]
    change = h.audit[-1]
    assert change["action"] == "change" and change["actor"] == "director" and change["reason"] == "phúc tra"
    assert change["old"]["kind"] == "maintained" and change["old"]["decision_number"] == "2/QĐ"
    assert change["new"]["kind"] == "withdrawn" and change["new"]["decision_date"] == "2024-12-28"
    at = dt.datetime.fromisoformat(change["at"]).replace(tzinfo=dt.timezone.utc)  # stored in UTC
    assert dt.timedelta(0) <= dt.datetime.now(dt.timezone.utc) - at < dt.timedelta(minutes=10)


def test_decisions_follow_the_years(db):
    with Register(url(db), create=True) as reg:
        for year, ok in ((2019, True), (2020, True), (2021, True), (2022, True), (2023, False)):
            import_submissions(reg, submissions([tiny_facts("00001", year, qualified=ok)]), "A")
            decisions.apply(reg, year, f"{year}/QĐ", dt.date(year, 12, 15), "clerk")
        h = history(reg, "00001")
    assert [d["kind"] for d in h.decisions] == [
        "new",
        "maintained",
        "maintained",
        "re_recognised",
        "withdrawn",
    ]
    assert h.decisions[3]["valid_until"] == "2025-12-14"


# --- mergers ------------------------------------------------------------------------------------


def test_a_merged_commune_succeeds_several_old_ones(db, capsys):
    with Register(url(db), create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2024), tiny_facts("00002", 2024)]), "A")
        decisions.apply(reg, 2024, "1/QĐ", dt.date(2024, 12, 15), "clerk")
        merged = tiny_facts("00009", 2025, name="Xã Mới", successor_of=["00001", "00002"])
        import_submissions(reg, submissions([merged]), "A")
        props = {p.commune: p for p in decisions.propose(reg, 2025)}
        new = history(reg, "00009")
        old = history(reg, "00001")
    assert props["00009"].kind == "new"  # a merged commune holds no title of its own yet
    assert props["00001"].kind is None and props["00001"].merged_into == "00009"
    assert "Merged into 00009" in props["00001"].reason.en
    assert new.predecessors == [("00001", 2025), ("00002", 2025)]
    assert {e["code"] for e in new.evaluations} == {"00001", "00002", "00009"}
    assert {d["code"] for d in new.decisions} == {"00001", "00002"}
    assert old.successors == [("00009", 2025)]
    assert main(["register", "history", "00009", "--db", str(db), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "merged from 00001" in out and "merged from 00002" in out


def test_history_of_an_unknown_commune_is_a_user_error(db, capsys):
    with Register(url(db), create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2024, name="Xã Mường Khong")]), "A")
    assert main(["register", "history", "Mường", "--db", str(db)]) == 2
    assert "did you mean: 00001 (Xã Mường Khong)" in capsys.readouterr().err
