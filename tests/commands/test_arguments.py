"""Every numeric flag and date is checked where it enters: exit 2 naming the flag, with a hint, never a
traceback, a hang or a run that eats the memory; the promises of every command hold with bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from tests.support import ROOT

SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"
FACTS = SAMPLE / "muong-khong.yaml"
HUGE = "9" * 5000

BAD_FLAGS = {  # name: (argv, what stderr names)
    "workers -1": (["appraise", str(SAMPLE), "--workers", "-1"], "--workers"),
    "workers 0": (["appraise", str(SAMPLE), "--workers", "0"], "--workers"),
    "workers 1000": (["appraise", str(SAMPLE), "--workers", "1000"], "--workers"),
    "workers huge": (["appraise", str(SAMPLE), "--workers", HUGE], "--workers"),
    "appraise year 0": (["appraise", str(SAMPLE), "--year", "0"], "--year"),
    "review year 0": (["review", "--year", "0"], "--year"),
    "review 20-digit year": (["review", "--year", "9" * 20], "--year"),
    "decide year 0000": (["register", "decide", "--year", "0000"], "--year"),
    "decision date 9999-12-31": (["register", "decide", "--year", "2024", "--decision-date", "9999-12-31"], "--decision-date"),
    "decision date not a date": (["register", "decide", "--year", "2024", "--decision-date", "2024-02-30"], "--decision-date"),
    "import year 20 digits": (["register", "import", str(SAMPLE), "--year", "9" * 20, "--appraiser", "A"], "--year"),
    "batch size 0": (["register", "import", str(SAMPLE), "--year", "2024", "--appraiser", "A", "--batch-size", "0"], "--batch-size"),
    "revoke huge": (["register", "waive", "--revoke", HUGE], "--revoke"),
    "waiver expiry 9999": (["register", "waive", "1", "1.1", "--expires", "9999-12-31"], "--expires"),
    "top 0": (["plan", str(FACTS), "--top", "0"], "--top"),
    "top a million": (["plan", str(FACTS), "--top", "1000000"], "--top"),
    "by 0000": (["plan", str(FACTS), "--by", "0000"], "--by"),
    "start year 0000": (["target", str(SAMPLE), "--rate", "90", "--by", "2030", "--start-year", "0000"], "--start-year"),
    "rate inf": (["target", str(SAMPLE), "--rate", "inf", "--by", "2030"], "--rate"),
    "budget 1e400": (["plan", str(FACTS), "--budget", "1e400"], "--budget"),
    "synth count huge": (["synth", "--count", "1000000000000", "--out", "/nonexistent"], "--count"),
    "synth count 0": (["synth", "--count", "0", "--out", "/nonexistent"], "--count"),
    "synth year 0": (["synth", "--year", "0", "--out", "/nonexistent"], "--year"),
    "template year 0": (["template", "--year", "0"], "--year"),
    "set 5,000 digits": (["simulate", str(FACTS), "--set", f"staffing.doctors={HUGE}"], "--set"),
    "set inf": (["simulate", str(FACTS), "--set", "services.bhyt_coverage_pct=inf"], "--set"),
    "set 1e20 doctors": (["simulate", str(FACTS), "--set", "staffing.doctors=100000000000000000000"], "--set"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_FLAGS))
def test_a_bad_flag_is_exit_2_naming_it(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, flag = BAD_FLAGS[name]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert flag in err and "hint:" in err and "Traceback" not in err, err
    assert len(err) < 2000  # a 5,000-digit value is not echoed back whole


def test_start_years_and_decision_dates_are_checked_against_the_assessment_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", str(FACTS), "--start-year", "2020", "--format", "json"]) == 2
    assert "2020 is before the assessment year 2024" in capsys.readouterr().err
    assert main(["target", str(SAMPLE), "--rate", "90", "--by", "2026", "--start-year", "2028"]) == 2
    assert "2028 is after --by 2026" in capsys.readouterr().err
    db = tmp_path / "r.sqlite3"
    argv = ["register", "decide", "--year", "2024", "--apply", "--decision-number", "1", "--db", str(db)]
    assert main([*argv, "--decision-date", "2030-01-01"]) == 2
    assert "2030-01-01 is not in 2024 or 2025" in capsys.readouterr().err
    assert main([*argv, "--decision-date", "2023-12-31"]) == 2
    assert main([*argv, "--decision-date", "2025-03-01"]) == 2  # the date is fine: the register is missing
    assert "no register here" in capsys.readouterr().err


def test_an_appraisal_of_no_commune_of_the_year_is_not_a_failing_district(capsys) -> None:
    assert main(["appraise", str(SAMPLE), "--year", "2030", "--format", "json", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "no commune of 2030 was evaluated (16 commune(s) of other years)" in err and "--year" in err


def good_and_bad(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.yaml").write_text(FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bad.yaml").write_text("year: 2024\ncommune: [oops]\n", encoding="utf-8")
    return folder


def test_target_and_template_fill_process_the_good_files_beside_bad_ones(tmp_path: Path, capsys) -> None:
    folder = good_and_bad(tmp_path / "area")
    assert main(["target", str(folder), "--rate", "50", "--by", "2030", "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert '"communes_total": 2' in out and '"communes_rejected": 1' in out and "bad.yaml:2" in err
    filled = tmp_path / "filled.csv"
    assert main(["template", "--format", "csv", "--fill", str(folder), "--out", str(filled)]) == 2
    assert "bad.yaml:2" in capsys.readouterr().err
    assert "03316" in filled.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("where", ["an existing file", "a file's child", "a read-only folder"])
def test_every_unwritable_out_is_exit_2_with_the_path(where: str, open_tmp: Path, capsys) -> None:
    from tests.support import without_privileges

    blocker = open_tmp / "report.txt"
    blocker.write_text("x", encoding="utf-8")
    read_only = open_tmp / "ro"
    read_only.mkdir(mode=0o555)
    out = {"an existing file": blocker, "a file's child": blocker / "out", "a read-only folder": read_only}[
        where
    ]
    with without_privileges():
        code = main(["appraise", str(SAMPLE), "--out", str(out), "--format", "json"])
        tmpl = main(["template", "--format", "csv", "--out", str(out / "t.csv")])
    err = capsys.readouterr().err
    assert code == 2 and tmpl == 2 and str(out) in err and "hint:" in err and "Traceback" not in err
    assert list(read_only.iterdir()) == [] and blocker.read_text(encoding="utf-8") == "x"
