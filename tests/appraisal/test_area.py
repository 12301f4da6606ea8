"""`appraise` end to end on the sample district, and `template` generated from the criteria set."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli import main
from engine.appraisal.area import Appraisal, appraise, league_table
from engine.commands.evaluate import evaluate_loaded
from engine.inputs.loader import load_fact_files, resolve_set
from engine.inputs.tabular import read_table
from engine.render.template import fact_users

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"
SAMPLE_XLSX = ROOT / "communes" / "dien-bien" / "tuan-giao.xlsx"


@pytest.fixture(scope="module")
def sample() -> Appraisal:
    return appraise(SAMPLE)


def test_league_agrees_with_evaluate(sample: Appraisal) -> None:
    a = sample
    loaded, problems = load_fact_files([SAMPLE])
    assert not problems
    evaluated = {r.commune.id: r for r in evaluate_loaded(loaded, None)}
    assert len(a.results) == len(evaluated) >= 16
    assert a.qualified == sum(r.qualified for r in evaluated.values())
    scores = [row.score for row in a.league]
    assert scores == sorted(scores, reverse=True)
    for row in a.league:
        r = evaluated[row.commune]
        assert (row.score, row.qualified, row.knockouts_failed) == (
            r.total_score,
            r.qualified,
            r.knockouts_failed,
        )
        assert row.criteria_below_floor == r.criteria_below_floor
    assert a.rows == 16 and a.rejected == 0 and a.diagnostics == []


def test_equal_scores_share_a_rank(sample: Appraisal) -> None:
    a = sample
    rows = league_table(a.results)
    for prev, cur in itertools.pairwise(rows):
        assert cur.rank == prev.rank if cur.score == prev.score else cur.rank > prev.rank
    assert rows[-1].rank <= len(rows)


def test_default_plans_say_which_were_used(sample: Appraisal) -> None:
    a = sample  # the facts are for 2024; no Điện Biên plan is in force then
    assert [p.plan for p in a.plans] == ["dien-bien-2021", "tuan-giao-2021"]
    assert any("--plan" in n.text("en") for n in a.notes)
    keep = next(t for t in a.plans[1].targets if t.target == "keep-title-14")
    assert keep.communes == 14  # the 14 communes the plan names are all in the sample


def test_cli_table_json_csv_and_dossier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["appraise", str(SAMPLE), "--plan", "tuan-giao-2021", "--out", str(tmp_path), "--lang", "en"])
    out = capsys.readouterr()
    assert code == 1  # some communes do not qualify: a result, not an error
    assert "League table" in out.out and "communes qualify" in out.out and "DRAFT" in out.out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"appraisal-tuan-giao-2024.{x}" for x in ("csv", "html", "json", "xlsx")]
    code = main(["appraise", str(SAMPLE), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert doc["communes_evaluated"] == len(doc["league"]) == len(doc["communes"]) == 16
    assert doc["uses_draft_indicators"] is True and doc["rows_rejected"] == 0
    assert doc["summary"][0].startswith(f"{doc['qualified']}/16 xã đạt")
    main(["appraise", str(SAMPLE), "--format", "csv"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rank,code,commune") and len(lines) == 17


def test_bad_path_and_plan_are_user_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["appraise", str(tmp_path / "nowhere")]) == 2
    assert main(["appraise", str(SAMPLE), "--plan", "nope"]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "no plan with id 'nope'" in err and "Traceback" not in err


def test_template_lists_every_fact_the_set_reads(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cs = resolve_set("national-2030")
    users = fact_users(cs)
    assert main(["template", "--criteria", "national-2030"]) == 0
    text = capsys.readouterr().out
    for fact, ids in users.items():
        line = next(x for x in text.splitlines() if x.strip().startswith(fact.split(".")[1] + ":"))
        assert ", ".join(ids) in line, line
    # the CSV template (header, then '#' guide rows), filled in, is read back by appraise's reader
    assert main(["template", "--format", "csv", "--criteria", "national-2030"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.lstrip("\ufeff").splitlines()))
    cols, guide_rows = rows[0], rows[1:]
    assert [r[0] for r in guide_rows] == ["# Đơn vị", "# Giá trị cho phép", "# Chỉ tiêu sử dụng"]
    by_header = dict(zip(cols, guide_rows[2], strict=True))
    assert by_header["Bác sĩ làm việc tại trạm (bác sĩ)"] == ", ".join(users["staffing.doctors"])
    assert (
        dict(zip(cols, guide_rows[1], strict=True))["Bác sĩ làm việc tại trạm (bác sĩ)"] == "≥ 0, số nguyên"
    )
    values = {"Mã xã": "00001", "Tên xã": "Xã Thử", "Tỉnh": "Điện Biên", "Vùng": "2", "Khu vực": "nông thôn",
              "Năm đánh giá": "2024", "Bác sĩ làm việc tại trạm (bác sĩ)": "1"}  # fmt: skip
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([*rows, [values.get(c, "") for c in cols]])
    got = read_table(path)
    assert (got.diagnostics, got.rows, got.facts[0].staffing.doctors) == ([], 1, 1)
    # the XLSX template carries a guide sheet: unit, allowed range, indicators of every column
    out = tmp_path / "t.xlsx"
    assert main(["template", "--format", "xlsx", "--out", str(out)]) == 0
    guide = load_workbook(out)["Hướng dẫn"]
    listed = {guide.cell(r, 2).value: guide.cell(r, 5).value for r in range(2, guide.max_row + 1)}
    for fact, ids in users.items():
        assert listed[fact] == ", ".join(ids)


def test_sample_xlsx_is_in_sync_with_the_folder(tmp_path: Path, sample: Appraisal) -> None:
    """communes/dien-bien/tuan-giao.xlsx is generated by `make sample-xlsx`; regenerate it if this fails."""
    fresh = tmp_path / "fresh.xlsx"
    note = str(load_workbook(SAMPLE_XLSX).active.cell(1, 1).value)
    assert "MINH HỌA" in note and "illustrative" in note
    assert main(["template", "--format", "xlsx", "--fill", str(SAMPLE), "--out", str(fresh),
                 "--illustrative-note", note]) == 0  # fmt: skip
    old, new = load_workbook(SAMPLE_XLSX).active, load_workbook(fresh).active
    assert [[c.value for c in r] for r in old.iter_rows()] == [[c.value for c in r] for r in new.iter_rows()]
    from_xlsx, from_folder = appraise(SAMPLE_XLSX), sample
    assert [(r.commune, r.score, r.qualified) for r in from_xlsx.league] == [
        (r.commune, r.score, r.qualified) for r in from_folder.league
    ]
    assert all(f.illustrative for f in from_xlsx.facts)


def test_communes_of_another_year_are_left_out_and_said_so(tmp_path: Path) -> None:
    for name in ("ta-ma.yaml", "muong-khong.yaml"):
        text = (SAMPLE / name).read_text(encoding="utf-8")
        if name == "ta-ma.yaml":
            text = text.replace("year: 2024", "year: 2023")
        (tmp_path / name).write_text(text, encoding="utf-8")
    a = appraise(tmp_path, year=2024)
    assert [r.commune.name for r in a.results] == ["Xã Mường Khong"]
    assert a.other_years == 1 and any(
        "1 commune(s)" in n.text("en") and "--year" in n.text("en") for n in a.notes
    )
    assert a.league[0].rank == 1


def test_bad_fact_file_in_a_folder_is_reported_and_the_others_evaluated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-bad.yaml").write_text("year: 2024\ncommune: {code: '1'}\n", encoding="utf-8")
    (tmp_path / "ta-ma.yaml").write_text(
        (SAMPLE / "ta-ma.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    a = appraise(tmp_path)  # the first file is unreadable: the year comes from the next one
    assert (a.rows, a.rejected, len(a.results)) == (2, 1, 1)
    assert main(["appraise", str(tmp_path), "--lang", "en"]) == 2
    out = capsys.readouterr()
    assert "a-bad.yaml:2:1: commune › zone: required key 'zone' is missing" in out.err
    assert "Read 2 communes; 1 rejected for bad data" in out.out
    only_bad = tmp_path / "only"
    only_bad.mkdir()
    (only_bad / "x.yaml").write_text("year: 2024\n", encoding="utf-8")
    assert main(["appraise", str(only_bad)]) == 2
    assert "x.yaml" in capsys.readouterr().err
