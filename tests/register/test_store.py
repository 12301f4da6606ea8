"""The register's database: migrations, idempotent imports, decisions with an audit trail, mergers.

Every test taking ``backend`` runs twice: on SQLite and on a real PostgreSQL server started by the
tests (tests/register/backends.py; ``pytest -k postgres`` runs those alone). Helpers (tiny fact
records, submissions) are in tests/register/support.py.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from cli import main
from engine.errors import UserError
from engine.register import decisions
from engine.register.db import Register
from engine.register.history import history
from engine.register.migrations import LATEST, migrate
from engine.register.store import import_submissions
from tests.register.backends import Backend
from tests.register.support import TINY, TINY_INDICATORS, submissions, tiny_facts, url, write_facts
from tests.support import without_privileges


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


# --- migrations ---------------------------------------------------------------------------------


def test_migrations_from_an_empty_database(backend: Backend):
    reg = Register(backend.url, create=True)
    assert reg.applied == [1, 2, 3] == list(range(1, LATEST + 1))
    reg.close()
    engine = backend.engine()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert {"communes", "commune_successions", "evaluations", "evaluation_indicators", "decisions"} <= tables
    assert {"decision_audit", "waivers", "schema_migrations", "users", "user_activity"} <= tables
    assert backend.query("SELECT version FROM schema_migrations ORDER BY version") == [(1,), (2,), (3,)]
    if backend.name == "sqlite":
        assert backend.query("PRAGMA journal_mode") == [("wal",)]
    assert Register(backend.url).applied == []  # reopening migrates nothing


def test_a_version_1_register_with_data_is_migrated_to_the_latest(backend: Backend):
    if backend.file is not None:
        backend.file.touch()
    engine = create_engine(backend.url)
    assert migrate(engine, target=1) == [1]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO communes (code, name, province, zone, area, first_year, last_year) "
                "VALUES ('00001', 'Xã Cũ', 'Tỉnh Thử', 1, 'rural', 2020, 2020)"
            )
        )
    engine.dispose()
    reg = Register(backend.url)
    assert reg.applied == [2, 3]
    with reg.read() as conn:
        assert conn.execute(text("SELECT name FROM communes")).scalar() == "Xã Cũ"
        assert conn.execute(text("SELECT COUNT(*) FROM waivers")).scalar() == 0
    reg.close()


def test_a_register_from_a_newer_program_is_refused(backend: Backend):
    Register(backend.url, create=True).close()
    engine = backend.engine()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01 00:00:00')"))
    engine.dispose()
    with pytest.raises(UserError, match="newer than this program"):
        Register(backend.url)


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path, capsys):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("this is not a database\n" * 20)
    assert main(["register", "history", "00001", "--db", str(bad)]) == 2
    assert "cannot open the register" in capsys.readouterr().err


def test_an_unknown_database_url_is_a_user_error(capsys):
    assert main(["register", "history", "00001", "--db-url", "nosuchdb://x/y"]) == 2
    assert "cannot use database URL" in capsys.readouterr().err


# --- imports ------------------------------------------------------------------------------------


def test_importing_the_same_facts_again_changes_nothing(backend: Backend):
    records = [tiny_facts(f"{k:05d}", 2024, qualified=k % 3 != 0) for k in range(1, 11)]
    with Register(backend.url, create=True) as reg:
        first = import_submissions(reg, submissions(records), "Hội đồng A", batch_size=4)
    assert len(first.added) == 10
    before = backend.consistent()
    with Register(backend.url) as reg:
        again = import_submissions(reg, submissions(records), "someone else", batch_size=3)
    assert (again.added, again.replaced, len(again.unchanged)) == ([], [], 10)
    assert (
        backend.counts()
        == before
        == {
            "communes": 10,
            "evaluations": 10,
            "evaluation_indicators": 10 * TINY_INDICATORS,
            "decisions": 0,
            "decision_audit": 0,
        }
    )


def test_corrected_facts_replace_the_evaluation_of_the_year_and_both_are_kept(backend: Backend):
    with Register(backend.url, create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2024, qualified=False)]), "A")
        out = import_submissions(reg, submissions([tiny_facts("00001", 2024, qualified=True)]), "A")
        assert out.replaced == ["00001"]
        [p] = decisions.propose(reg, 2024)
        assert p.kind == "new" and p.qualified
        h = history(reg, "00001")
    assert [e["qualified"] for e in h.evaluations] == [False, True]
    assert "Knockout indicator 1.1" in h.evaluations[0]["reasons"][0]["en"]
    assert h.evaluations[1]["reasons"] == []


def test_an_evaluation_keeps_the_facts_as_submitted_and_the_set_it_used(backend: Backend, tmp_path):
    folder = write_facts(tmp_path / "f", [tiny_facts("00001", 2024)])
    raw = (folder / "00001.yaml").read_text("utf-8")
    assert main(["register", "import", str(folder), "--year", "2024", "--appraiser", "Tổ thẩm định",
                 "--criteria", str(TINY), *backend.args]) == 0  # fmt: skip
    [row] = backend.query(
        "SELECT facts_submitted, criteria_set_id, criteria_set_hash, appraiser, total_score, qualified "
        "FROM evaluations"
    )
    assert row[0] == raw and row[1] == "tiny" and len(row[2]) == 16 and row[3] == "Tổ thẩm định"
    assert row[4] == 20 and row[5] == 1


def test_import_refuses_files_of_another_year_and_broken_files(db, tmp_path, capsys):
    folder = write_facts(tmp_path / "f", [tiny_facts("00001", 2023)])
    (folder / "broken.yaml").write_text("year: 2024\ncommune: [not, a, mapping]\n", "utf-8")
    args = ["register", "import", str(folder), "--year", "2024", "--appraiser", "A", "--db", str(db)]
    assert main([*args, "--criteria", str(TINY)]) == 2
    err = capsys.readouterr().err
    assert "not --year 2024" in err and "broken.yaml:2" in err
    assert not db.exists()  # nothing to import: no register created


def test_import_stores_the_good_files_beside_bad_ones(backend: Backend, tmp_path, capsys):
    folder = write_facts(tmp_path / "f", [tiny_facts("00001", 2024), tiny_facts("00002", 2023)])
    (folder / "broken.yaml").write_text("year: 2024\ncommune: [not, a, mapping]\n", "utf-8")
    (folder / "00001-again.yaml").write_text((folder / "00001.yaml").read_text("utf-8"), "utf-8")
    args = ["register", "import", str(folder), "--year", "2024", "--appraiser", "A", "--lang", "en"]
    assert main([*args, "--criteria", str(TINY), *backend.args]) == 2
    out, err = capsys.readouterr()
    assert "1 new evaluation(s)" in out
    assert "not --year 2024" in err and "broken.yaml:2" in err and "is also in" in err
    assert backend.consistent()["evaluations"] == 1


# --- decisions and audit ------------------------------------------------------------------------


def test_decide_records_only_with_apply_and_reapplying_changes_nothing(backend: Backend, tmp_path, capsys):
    records = [tiny_facts("00001", 2024), tiny_facts("00002", 2024, qualified=False)]
    write_facts(tmp_path / "f", records)
    base = backend.args
    assert main(["register", "import", str(tmp_path / "f"), "--year", "2024", "--appraiser", "A",
                 "--criteria", str(TINY), *base]) == 0  # fmt: skip
    assert main(["register", "decide", "--year", "2024", "--lang", "en", *base]) == 0
    out = capsys.readouterr().out
    assert "Newly recognised" in out and "Not recorded" in out
    assert backend.counts()["decisions"] == 0
    assert main(["register", "decide", "--year", "2024", "--apply", *base]) == 2  # number and date needed
    apply = ["register", "decide", "--year", "2024", "--apply", "--decision-number", "12/QĐ-UBND",
             "--decision-date", "2024-12-20", "--by", "Chánh văn phòng", *base]  # fmt: skip
    assert main(apply) == 0
    assert backend.counts()["decisions"] == 1 and backend.counts()["decision_audit"] == 1
    assert main(apply) == 0
    assert backend.counts()["decisions"] == 1 and backend.counts()["decision_audit"] == 1


def test_a_changed_decision_leaves_an_audit_row_with_who_when_and_from_what_to_what(backend: Backend):
    with Register(backend.url, create=True) as reg:
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


def test_decisions_follow_the_years(backend: Backend):
    with Register(backend.url, create=True) as reg:
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


def test_a_merged_commune_succeeds_several_old_ones(backend: Backend, capsys):
    with Register(backend.url, create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2024), tiny_facts("00002", 2024)]), "A")
        decisions.apply(reg, 2024, "1/QĐ", dt.date(2024, 12, 15), "clerk")
        merged = tiny_facts("00009", 2025, name="Xã Mới", successor_of=["00001", "00002"])
        import_submissions(reg, submissions([merged]), "A")
        props = {p.commune: p for p in decisions.propose(reg, 2025)}
        new = history(reg, "00009")
        old = history(reg, "00001")
    assert props["00009"].kind == "new"  # a merged commune holds no title of its own yet
    assert props["00001"].kind is None and props["00001"].merged_into == "00009"
    assert "Merged into 00009" in props["00001"].reason.text("en")
    assert new.predecessors == [("00001", 2025), ("00002", 2025)]
    assert {e["code"] for e in new.evaluations} == {"00001", "00002", "00009"}
    assert {d["code"] for d in new.decisions} == {"00001", "00002"}
    assert old.successors == [("00009", 2025)]
    assert main(["register", "history", "00009", *backend.args, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "merged from 00001" in out and "merged from 00002" in out


def test_history_of_an_unknown_commune_is_a_user_error(db, capsys):
    with Register(url(db), create=True) as reg:
        import_submissions(reg, submissions([tiny_facts("00001", 2024, name="Xã Mường Khong")]), "A")
    assert main(["register", "history", "Mường", "--db", str(db)]) == 2
    assert "did you mean: 00001 (Xã Mường Khong)" in capsys.readouterr().err


# --- opening: missing, read-only, someone else's, no driver -------------------------------------


def test_a_mistyped_register_is_an_error_not_an_empty_register(tmp_path, capsys):
    missing = tmp_path / "registre.sqlite3"
    for argv in (
        ["review", "--year", "2024", "--db", str(missing)],
        ["register", "history", "00001", "--db", str(missing)],
        ["register", "waivers", "--db", str(missing)],
        ["register", "decide", "--year", "2024", "--db", str(missing)],
    ):
        assert main(argv) == 2, argv
        assert "no register here" in capsys.readouterr().err
    assert not missing.exists()
    with pytest.raises(UserError, match=r"the folder .* does not exist"):
        Register(url(tmp_path / "no-folder" / "r.sqlite3"), create=True)
    apply = ["register", "decide", "--year", "2024", "--apply", "--decision-number", "1", "--decision-date",
             "2024-12-15", "--db", str(missing)]  # fmt: skip
    assert main(apply) == 2 and not missing.exists()
    assert main([*apply, "--create"]) == 0 and missing.exists()  # created on request (with nothing in it)


def test_reading_commands_open_the_register_read_only(open_tmp: Path, capsys):
    folder = write_facts(open_tmp / "f", [tiny_facts("00001", 2024)])
    db = open_tmp / "register.sqlite3"
    assert main(["register", "import", str(folder), "--year", "2024", "--appraiser", "A",
                 "--criteria", str(TINY), "--db", str(db)]) == 0  # fmt: skip
    db.chmod(0o444)
    for extra in db.parent.glob("register.sqlite3-*"):
        extra.chmod(0o444)
    db.parent.chmod(0o555)
    capsys.readouterr()
    try:
        with without_privileges():
            assert main(["review", "--year", "2024", "--db", str(db), "--format", "json"]) == 0
            assert main(["register", "history", "00001", "--db", str(db), "--format", "json"]) == 0
            assert main(["register", "waivers", "--db", str(db)]) == 0
            assert main(["register", "decide", "--year", "2024", "--db", str(db), "--format", "json"]) == 0
            capsys.readouterr()
            apply = ["register", "decide", "--year", "2024", "--apply", "--decision-number", "1",
                     "--decision-date", "2024-12-15", "--db", str(db)]  # fmt: skip
            assert main(apply) == 2
            err = capsys.readouterr().err
            assert str(db) in err and "read-only" in err and "Traceback" not in err
    finally:
        db.parent.chmod(0o755)


def test_a_read_only_command_does_not_migrate_an_old_register(db, capsys):
    db.touch()
    engine = create_engine(url(db))
    migrate(engine, target=1)
    engine.dispose()
    assert main(["review", "--year", "2024", "--db", str(db)]) == 2
    assert "schema version 1, older" in capsys.readouterr().err
    con = sqlite3.connect(db)
    assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone() == (1,)
    con.close()


def test_another_programs_database_is_refused_untouched(backend: Backend, capsys):
    if backend.file is not None:
        backend.file.touch()
    engine = backend.engine()
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)"))
    engine.dispose()
    assert main(["register", "decide", "--year", "2024", "--apply", "--decision-number", "1",
                 "--decision-date", "2024-12-15", *backend.args]) == 2  # fmt: skip
    assert "another program's tables (moz_places)" in capsys.readouterr().err
    engine = backend.engine()
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["moz_places"]
    engine.dispose()


def test_the_readme_postgresql_url_without_its_driver(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the driver were not installed
    assert main(["register", "history", "00001", "--db-url", "postgresql+psycopg://user@host/register"]) == 2
    err = capsys.readouterr().err
    assert "cannot use database URL" in err and "pip install -e '.[postgres]'" in err
