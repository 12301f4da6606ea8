"""Hostile spreadsheets: odd line endings, giant cells, damaged or padded XLSX, formulas without a
value, other sheets, columns without a header — each reported at its file, row or column, in
bounded memory, never a traceback; nothing in the file left unread without a word."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from cli import main
from engine.errors import UserError
from engine.inputs import sheets
from engine.inputs.tabular import read_table
from tests.inputs.test_tabular import GOOD, HEAD_PATHS


def write_csv(path: Path, rows: list[list[str]], newline: str = "\n") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator=newline).writerows(rows)
    return path


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> tuple[Workbook, Path]:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    for r in rows:
        ws.append(r)
    return wb, path


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_csv_with_any_line_ending(newline: str, tmp_path: Path) -> None:
    got = read_table(write_csv(tmp_path / "x.csv", [HEAD_PATHS, *GOOD], newline))
    assert (got.rows, got.rejected, [f.commune.code for f in got.facts]) == (2, 0, ["00001", "00002"])


def test_a_giant_csv_cell_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [HEAD_PATHS, GOOD[0], [*GOOD[1][:-1], "x" * 200_000]])
    with pytest.raises(UserError) as info:
        read_table(path)
    [d] = info.value.diagnostics
    assert d.line == 3 and "longer than 131,072 characters" in d.message and d.hint


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e309", "9" * 5000, "1" + "0" * 20])
def test_numbers_that_are_no_figure_are_reported_in_their_cell(value: str, tmp_path: Path) -> None:
    row = [*GOOD[1][:7], value, *GOOD[1][8:]]  # staffing.doctors
    got = read_table(write_csv(tmp_path / "x.csv", [HEAD_PATHS, GOOD[0], row]))
    assert (got.rows, got.rejected, len(got.facts)) == (2, 1, 1)
    [d] = got.diagnostics
    assert (d.line, d.col) == (3, 8) and "staffing.doctors" in d.where and len(d.format()) < 400


def test_a_damaged_sheet_inside_a_valid_zip(tmp_path: Path) -> None:
    wb, path = workbook(tmp_path / "x.xlsx", [HEAD_PATHS, *GOOD])
    wb.save(path)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<row r='9'><c r='A9'><v>1</c></row>"
            dst.writestr(item, data)
    with pytest.raises(UserError) as info:
        read_table(damaged)
    [d] = info.value.diagnostics
    assert d.path == str(damaged) and "is damaged" in d.message and d.hint


@pytest.mark.parametrize("cell", ["XFD1048576", "XFD50000"])
def test_one_value_in_the_last_cell_is_read_in_bounded_memory(cell: str, tmp_path: Path) -> None:
    """The sheet then declares A1:XFD1048576: read by that, every row padded to 16,384 cells (17
    billion). The memory is measured on the smaller sheet (tracemalloc slows the reading tenfold)."""
    wb, path = workbook(tmp_path / "x.xlsx", [HEAD_PATHS, *GOOD])
    wb.active[cell] = 1
    wb.save(path)
    measure = cell != "XFD1048576"
    if measure:
        tracemalloc.start()
    try:
        got = read_table(path)
        peak = tracemalloc.get_traced_memory()[1] if measure else 0
    finally:
        tracemalloc.stop()
    assert (got.rows, got.rejected, len(got.facts)) == (2, 0, 2)  # the stray value is no commune row
    [d] = got.diagnostics
    assert f"column XFD has no header: its 1 value(s) (row {cell[3:]}) are not read" in d.message
    assert peak < 50 * 2**20, f"{peak / 2**20:.0f} MB"


def test_formulas_without_a_computed_value_are_reported(tmp_path: Path) -> None:
    row = [*GOOD[1][:7], "=1+1", *GOOD[1][8:]]  # openpyxl stores the formula, never its value
    wb, path = workbook(tmp_path / "x.xlsx", [HEAD_PATHS, GOOD[0], row])
    wb.save(path)
    got = read_table(path)
    assert (got.rows, got.rejected) == (2, 1)
    [d] = got.diagnostics
    assert (d.line, d.col) == (3, 8) and "formula whose value was never computed" in d.message


def test_other_sheets_are_named(tmp_path: Path) -> None:
    wb, path = workbook(tmp_path / "x.xlsx", [HEAD_PATHS, *GOOD])
    wb.create_sheet("Hướng dẫn").append(["the template's guide: not data"])
    wb.create_sheet("Ghi chú").append(["a note"])
    wb.create_sheet("Huyện khác").append(HEAD_PATHS)
    wb.save(path)
    got = read_table(path)
    assert len(got.facts) == 2
    said = {d.message.split("»")[0].split("«")[-1]: d for d in got.diagnostics}
    assert set(said) == {"Ghi chú", "Huyện khác"}
    assert said["Ghi chú"].level == "note"
    assert said["Huyện khác"].is_error and "header row of commune columns" in said["Huyện khác"].message


def test_an_xlsx_that_expands_too_far_is_refused_before_parsing(tmp_path, monkeypatch) -> None:
    wb, path = workbook(tmp_path / "x.xlsx", [HEAD_PATHS, *GOOD])
    wb.save(path)
    monkeypatch.setattr(sheets, "XLSX_UNZIPPED_LIMIT", 1000)
    with pytest.raises(UserError, match="expands to"):
        read_table(path)


def test_values_without_a_header_and_stray_hash_rows_are_reported(tmp_path: Path) -> None:
    header = [*HEAD_PATHS[:8], "", *HEAD_PATHS[8:]]  # a blank header cell in column I
    rows = [[*r[:8], "5", *r[8:], "", "stray"] for r in GOOD]  # and a value right of the header
    rows.append(
        ["# 00003", "Xã Ba", "Điện Biên", "Tuần Giáo", "3", "rural", "2024", "1", "", "95", "có", "tốt"]
    )
    path = tmp_path / "x.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    got = read_table(path)
    assert (got.rows, got.rejected, len(got.facts)) == (3, 1, 2)
    messages = [d.format() for d in got.diagnostics]
    assert any("column I has no header: its 2 value(s) (rows 2–3)" in m for m in messages)
    assert any("column N has no header: its 2 value(s)" in m for m in messages)
    assert any(":4:1: row 4: the row starts with '#'" in m for m in messages)


def test_the_csv_template_guide_rows_are_skipped(tmp_path: Path, capsys) -> None:
    out = tmp_path / "t.csv"
    assert main(["template", "--format", "csv", "--criteria", "national-2030", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert sum(1 for line in lines if line.startswith("#")) == 3
    got = read_table(out)
    assert (got.rows, got.rejected, got.diagnostics) == (0, 0, [])  # the guide rows are no communes
