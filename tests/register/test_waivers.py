"""Waivers: which assessments they cover, how scoring treats them, and that every output shows them."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import ValidationError

from cli import main
from engine.inputs.facts import CommuneFacts
from engine.register.waivers import Waiver, expired, expiring_in, waived_ids
from tests.register.support import TINY, tiny_facts


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


def test_a_waived_knockout_keeps_its_verdict_but_does_not_fail_the_commune(tiny_evaluator):
    facts = CommuneFacts.model_validate(tiny_facts("00001", 2024, qualified=False))
    plain = tiny_evaluator.evaluate([facts])[0]
    assert not plain.qualified and plain.knockouts_failed == ["1.1"]
    waived = tiny_evaluator.evaluate([facts], waived=[frozenset({"1.1"})])[0]
    ind = next(i for i in waived.indicators if i.id == "1.1")
    assert ind.status == "fail" and ind.waived  # durable_rules' verdict kept, flagged
    assert ind.points == ind.max_points  # scored like not applicable (the set awards those points)
    assert waived.knockouts_failed == [] and waived.qualified
    assert not any(i.waived for i in plain.indicators)


def test_waiving_a_passing_indicator_changes_no_score(tiny_evaluator):
    facts = CommuneFacts.model_validate(tiny_facts("00001", 2024))
    a = tiny_evaluator.evaluate([facts])[0]
    b = tiny_evaluator.evaluate([facts], waived=[frozenset({"1.3"})])[0]
    assert a.total_score == b.total_score and a.qualified == b.qualified
    assert [i.id for i in b.indicators if i.waived] == ["1.3"]


def test_waivers_in_the_register_apply_to_imports_and_show_in_every_output(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite3")
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(tiny_facts("00001", 2024, qualified=False)), "utf-8")
    imp = ["register", "import", str(folder), "--year", "2024", "--appraiser", "A", "--criteria", str(TINY),
           "--db", db, "--lang", "en"]  # fmt: skip
    assert main(imp) == 0
    waive = ["register", "waive", "00001", "1.1", "--reason", "bác sĩ đi học", "--approver", "Sở Y tế",
             "--granted", "2024-01-10", "--expires", "2025-03-31", "--db", db]  # fmt: skip
    assert main(waive) == 0
    assert main(waive) == 0  # the same waiver again: recorded once
    capsys.readouterr()
    # The same facts with a waiver are a different evaluation: it replaces the first one.
    assert main(imp) == 0
    out = capsys.readouterr().out
    assert "1 replacing an earlier one" in out and "waived 1.1" in out
    assert main(["register", "decide", "--year", "2024", "--db", db, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Newly recognised" in out and "1.1" in out
    assert main(["register", "history", "00001", "--db", db, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "bác sĩ đi học" in out and "Sở Y tế" in out
    assert main(["review", "--year", "2025", "--db", db, "--lang", "en"]) == 0
    assert "EXPIRED waivers" in capsys.readouterr().out
    assert main(["register", "waivers", "--on", "2025-04-01", "--db", db, "--lang", "en"]) == 0
    assert "1 waiver(s) expired on 01/04/2025" in capsys.readouterr().out
    assert main(["register", "waive", "--revoke", "1", "--db", db, "--lang", "en"]) == 0
    assert main(["register", "waivers", "--db", db, "--lang", "en"]) == 0
    assert "revoked" in capsys.readouterr().out


def test_a_waiver_needs_its_reason_approver_and_expiry(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite3")
    assert main(["register", "waive", "00001", "1.1", "--db", db]) == 2
    assert "missing: reason, approver, expires" in capsys.readouterr().err
    bad = ["register", "waive", "00001", "1.1", "--reason", "x y z", "--approver", "Sở",
           "--granted", "2025-01-01", "--expires", "2024-01-01", "--db", db]  # fmt: skip
    assert main(bad) == 2
    assert "expires_on is before granted_on" in capsys.readouterr().err


def test_a_waiver_names_a_commune_of_the_register_and_an_indicator_of_a_set_in_force(tmp_path, capsys):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "00001.yaml").write_text(yaml.safe_dump(tiny_facts("00001", 2024), allow_unicode=True), "utf-8")
    db = str(tmp_path / "r.sqlite3")
    assert main(["register", "import", str(folder), "--year", "2024", "--appraiser", "A",
                 "--criteria", str(TINY), "--db", db]) == 0  # fmt: skip
    capsys.readouterr()
    base = ["--reason", "bác sĩ đi học", "--approver", "Sở Y tế", "--granted", "2024-01-10",
            "--expires", "2025-03-31", "--db", db]  # fmt: skip
    assert main(["register", "waive", "00011", "1.1", *base]) == 2
    err = capsys.readouterr().err
    assert "the register has no commune '00011'" in err and "did you mean 00001?" in err
    assert main(["register", "waive", "00001", "11.1", *base]) == 2
    err = capsys.readouterr().err
    assert "no criteria set in force from 2024 to 2025 (national-2030) has an indicator '11.1'" in err
    assert main(["register", "waivers", "--db", db, "--lang", "en"]) == 0
    assert "No waivers." in capsys.readouterr().out
