"""Spreadsheet input: headers in Vietnamese, English or by path; bad rows reported, others read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from cli import main
from engine.appraisal.area import appraise
from engine.errors import UserError
from engine.inputs.tabular import read_table

HEAD_PATHS = ["commune.code", "commune.name", "commune.province", "commune.district", "commune.zone",
              "commune.area", "year", "staffing.doctors", "services.bhyt_coverage_pct",
              "medicinal_garden.has_garden", "facilities.station_condition"]  # fmt: skip
HEAD_VI = ["Mã xã", "Tên xã", "Tỉnh", "Huyện", "Vùng", "Khu vực", "Năm đánh giá", "Bác sĩ làm việc tại trạm (bác sĩ)",
           "Tỷ lệ người dân tham gia bảo hiểm y tế (%)", "Có vườn thuốc nam mẫu", "Tình trạng nhà trạm"]  # fmt: skip
HEAD_EN = ["Commune code", "Commune name", "Province", "District", "Zone", "Area", "Assessment year",
           "Doctors working at the station", "Health-insurance (BHYT) coverage", "Has a model medicinal garden",
           "Condition of the station building"]  # fmt: skip

GOOD = [
    ["00001", "Xã Một", "Điện Biên", "Tuần Giáo", "3", "nông thôn", "2024", "1", "95,5", "có", "tốt"],
    ["00002", "Xã Hai", "Điện Biên", "Tuần Giáo", "2", "rural", "2024", "2", "97.0", "yes", "xuống cấp"],
]
BAD = [  # (row, column of the error, what the message says)
    (["00003", "Xã Ba", "Điện Biên", "Tuần Giáo", "3", "rural", "2024", "hai", "95", "có", "tốt"], 8, "not a number"),
    (["00004", "Xã Bốn", "Điện Biên", "Tuần Giáo", "3", "rural", "2024", "1", "120", "có", "tốt"], 9, "less than or equal to 100"),
    (["00005", "Xã Năm", "Điện Biên", "Tuần Giáo", "5", "rural", "2024", "1", "95", "có", "tốt"], 5, "1, 2 or 3"),
    (["00006", "Xã Sáu", "Điện Biên", "Tuần Giáo", "3", "rural", "2024", "1.5", "95", "có", "tốt"], 8, "not a whole number"),
    (["00007", "Xã Bảy", "Điện Biên", "Tuần Giáo", "3", "rural", "2024", "1", "95", "có lẽ", "tốt"], 10, "not yes/no"),
    (["00001", "Xã Một lần nữa", "Điện Biên", "Tuần Giáo", "3", "rural", "2024", "1", "95", "có", "tốt"], None, "also in row 2"),
]  # fmt: skip


def _csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("header", [HEAD_PATHS, HEAD_VI, HEAD_EN], ids=["paths", "vi", "en"])
def test_headers_in_vietnamese_english_or_paths(header: list[str], tmp_path: Path) -> None:
    got = read_table(_csv(tmp_path / "x.csv", header, GOOD))
    assert (got.rows, got.rejected, got.diagnostics) == (2, 0, [])
    one, two = got.facts
    assert one.commune.zone == 3 and one.commune.area == "rural" and one.staffing.doctors == 1
    assert one.services.bhyt_coverage_pct == 95.5  # decimal comma
    assert one.medicinal_garden.has_garden is True and one.facilities.station_condition == "good"
    assert two.facilities.station_condition == "degraded"
    assert got.sources == [f"{tmp_path / 'x.csv'}:2", f"{tmp_path / 'x.csv'}:3"]


def test_csv_bad_rows_reported_and_the_others_read(tmp_path: Path) -> None:
    path = _csv(tmp_path / "bad.csv", HEAD_VI, GOOD + [r for r, _, _ in BAD], delimiter=";")
    got = read_table(path)
    assert got.rows == 8 and got.rejected == len(BAD)
    assert [f.commune.code for f in got.facts] == ["00001", "00002"]
    for k, (_, col, message) in enumerate(BAD):
        row = 4 + k
        hits = [d for d in got.diagnostics if d.line == row]
        assert len(hits) == 1, (row, [d.format() for d in got.diagnostics])
        d = hits[0]
        assert d.path == str(path) and message in d.message and d.col == col and d.hint
        assert d.format().startswith(f"{path}:{row}")
        if col is not None:
            assert f"column {chr(64 + col)}" in d.where


def test_unknown_column_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    got = read_table(_csv(tmp_path / "u.csv", [*HEAD_PATHS, "staffing.doctorz"], [[*r, "1"] for r in GOOD]))
    assert len(got.facts) == 2
    assert any(
        "unknown column 'staffing.doctorz'" in d.message and "staffing.doctors" in d.hint
        for d in got.diagnostics
    )


def test_missing_required_column_stops_the_file(tmp_path: Path) -> None:
    header = [h for h in HEAD_PATHS if h != "commune.zone"]
    with pytest.raises(UserError, match="lacks the column"):
        read_table(_csv(tmp_path / "m.csv", header, [r[:4] + r[5:] for r in GOOD]))


def test_xlsx_bad_rows_with_title_row_and_percent_cells(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Số liệu các xã — huyện Tuần Giáo"])  # a title row above the header
    ws.append(HEAD_VI)
    ws.append(["00001", "Xã Một", "Điện Biên", "Tuần Giáo", 3, "nông thôn", 2024, 1, 0.955, True, "tốt"])
    ws.cell(3, 9).number_format = "0.0%"  # Excel keeps 95.5 % as 0.955
    ws.append(["00002", "Xã Hai", "Điện Biên", "Tuần Giáo", 2, "rural", 2024, 2.0, 97, "không", "good"])
    ws.append(["00003", "Xã Ba", "Điện Biên", "Tuần Giáo", 4, "rural", 2024, -1, 97, "có", "mới"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    got = read_table(path)
    assert (got.rows, got.rejected) == (3, 1)
    assert got.facts[0].services.bhyt_coverage_pct == pytest.approx(95.5)
    assert got.facts[1].staffing.doctors == 2 and got.facts[1].medicinal_garden.has_garden is False
    rows = {(d.line, d.col) for d in got.diagnostics}
    assert rows == {(5, 5), (5, 8), (5, 11)}  # zone 4, -1 doctors, "mới": every problem of the row at once
    assert all(d.path == str(path) for d in got.diagnostics)


def test_appraise_spreadsheet_summary_counts_rejected_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path / "district.csv", HEAD_VI, [*GOOD, BAD[0][0], BAD[1][0]])
    a = appraise(path, criteria="national-2030")
    assert (a.rows, a.rejected, len(a.results)) == (4, 2, 2)
    code = main(["appraise", str(path), "--criteria", "national-2030", "--lang", "en"])
    out = capsys.readouterr()
    assert code == 2  # bad rows are reported: the input needs fixing
    assert "Read 4 communes; 2 rejected for bad data" in out.out
    assert f"{path}:4" in out.err and f"{path}:5" in out.err
    assert "2 row(s)/file(s) rejected; the other communes were evaluated." in out.err


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(UserError, match="cannot be read as XLSX"):
        read_table(path)
