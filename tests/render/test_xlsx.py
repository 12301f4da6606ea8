"""The XLSX dossier read back with openpyxl: a summary sheet and score sheets matching the evaluation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from engine.appraisal.area import Appraisal, appraise
from engine.render import xlsx

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"


@pytest.fixture(scope="module")
def appraisal() -> Appraisal:
    return appraise(SAMPLE, plan_refs=["tuan-giao-2021", "dien-bien-2021"])


def _find(ws: Worksheet, col: int, text: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, col).value == text:
            return row
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def test_workbook_sheets_and_totals_match_the_evaluation(appraisal: Appraisal, tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx.workbook_bytes(appraisal, "vi"))
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Tổng hợp"
    assert len(wb.sheetnames) == 1 + len(appraisal.results) == 17
    by_id = {r.commune.id: r for r in appraisal.results}
    for k, row in enumerate(appraisal.league, start=1):
        ws = wb.worksheets[k]
        r = by_id[row.commune]
        assert r.commune.id in str(ws.cell(1, 1).value) and r.commune.name in str(ws.cell(1, 1).value)
        head = _find(ws, 2, "Tiêu chí")
        scores = []
        for j, cr in enumerate(r.criteria, start=1):
            assert ws.cell(head + j, 1).value == cr.id
            assert ws.cell(head + j, 3).value == pytest.approx(cr.score)
            assert ws.cell(head + j, 4).value == pytest.approx(cr.max)
            scores.append(ws.cell(head + j, 3).value)
        total = _find(ws, 2, "Tổng điểm")
        assert total == head + len(r.criteria) + 1
        assert ws.cell(total, 3).value == pytest.approx(r.total_score) == pytest.approx(sum(scores))
        assert ws.cell(total, 6).value == ("Đạt" if r.qualified else "Chưa đạt")
        # every indicator of the set has its row, with the points the evaluation gave
        ind_head = _find(ws, 1, "Chỉ tiêu")
        got = {
            ws.cell(ind_head + j, 1).value: ws.cell(ind_head + j, 3).value
            for j in range(1, len(r.indicators) + 1)
        }
        assert got == {f"Chỉ tiêu {i.no} ({i.id})": i.points for i in r.indicators}  # cited by number
        assert any("DỰ THẢO" in str(ws.cell(x, 1).value) for x in range(1, 6))
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_summary_sheet_league_and_plan(appraisal: Appraisal) -> None:
    wb = load_workbook(io.BytesIO(xlsx.workbook_bytes(appraisal, "vi")))
    ws = wb["Tổng hợp"]
    texts = [str(ws.cell(r, 1).value) for r in range(1, 12)]
    assert any("CẢNH BÁO" in x and "47/47" in x for x in texts)
    assert any(x.startswith("9/16 xã đạt") for x in texts)
    head = _find(ws, 1, "Hạng")
    for k, row in enumerate(appraisal.league, start=1):
        cells = [ws.cell(head + k, c).value for c in range(1, 8)]
        assert cells[:3] == [row.rank, row.commune, row.name]
        assert cells[5] == pytest.approx(row.score)
        assert cells[6] == ("Đạt" if row.qualified else "Chưa đạt")
    keep = _find(ws, 1, "Duy trì 14 xã, thị trấn đạt tiêu chí quốc gia về y tế xã")
    assert ws.cell(keep, 3).value == "9 xã" and ws.cell(keep, 5).value == "5 xã"


def test_large_batches_list_only_the_indicators_to_act_on(
    appraisal: Appraisal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "DETAIL_LIMIT", 5)
    wb = load_workbook(io.BytesIO(xlsx.workbook_bytes(appraisal, "en")))
    summary = wb.worksheets[0]
    assert any("More than 5 communes" in str(summary.cell(r, 1).value) for r in range(1, 15))
    r = next(x for x in appraisal.results if x.commune.id == appraisal.league[-1].commune)
    ws = wb.worksheets[len(appraisal.league)]
    head = _find(ws, 1, "Indicator")
    listed = []
    row = head + 1
    while ws.cell(row, 1).value:
        listed.append(ws.cell(row, 1).value)
        row += 1
    assert listed == [
        f"Indicator {i.no} ({i.id})" for i in r.indicators if i.status in ("fail", "partial", "missing")
    ]
    assert ws.cell(_find(ws, 2, "Total"), 3).value == pytest.approx(r.total_score)


def test_data_never_becomes_a_formula(tmp_path: Path) -> None:
    from engine.render import csvout

    name = '=HYPERLINK("http://example.invalid","Xã")'
    path = tmp_path / "x.csv"
    path.write_text(
        "commune.code,commune.name,commune.province,commune.zone,commune.area,year,staffing.doctors\n"
        f'00001,"{name.replace(chr(34), chr(34) * 2)}",Điện Biên,1,rural,2024,1\n',
        encoding="utf-8",
    )
    a = appraise(path, criteria="national-2030")
    assert a.results[0].commune.name == name
    wb = load_workbook(io.BytesIO(xlsx.workbook_bytes(a, "vi")))
    cells = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value and name in str(c.value)
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    assert "'=HYPERLINK" in csvout.dumps_csv(a, "vi")
