"""Fuzz: hostile spreadsheets (CSV and XLSX) through the reader and ``appraise``.

Each example is a header (the required columns, some facts by path or label, sometimes a blank or
unknown header cell) and a few rows whose cells come from a pool of good and hostile values
(infinities, 5,000-digit numbers, formulas, '#' rows, text in number columns, values right of the
header), written as CSV (',' or ';', any line ending) or XLSX. Asserted: the file is read or
refused with an error naming it; the counts add up (rows = evaluated + rejected); every row that
holds a value in a named column is evaluated (its "file:row" among the sources) or named at its
row in the errors; ``appraise`` exits 0, 1 or 2 without a traceback.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from engine.errors import UserError
from engine.inputs.tabular import read_table
from tests.fuzz.support import bounded, run, tally
from tests.support import TINY

REQUIRED = ["commune.code", "commune.name", "commune.province", "commune.zone", "commune.area", "year"]
FACTS = ["staffing.doctors", "Bác sĩ làm việc tại trạm (bác sĩ)", "services.full_immunisation_under1_pct",
         "Tỷ lệ người dân tham gia bảo hiểm y tế (%)", "management.steering_committee_active",
         "facilities.station_condition", "medicinal_garden.species", "services.stunting_under5_pct"]  # fmt: skip
GOOD = {"commune.name": "Xã Thử", "commune.province": "Lai Châu", "commune.zone": "2", "commune.area": "rural",
        "year": "2024", "staffing.doctors": "2", "Bác sĩ làm việc tại trạm (bác sĩ)": "1",
        "services.full_immunisation_under1_pct": "96.5", "Tỷ lệ người dân tham gia bảo hiểm y tế (%)": "95,5",
        "management.steering_committee_active": "có", "facilities.station_condition": "tốt",
        "medicinal_garden.species": "40", "services.stunting_under5_pct": "12"}  # fmt: skip
HOSTILE = ["inf", "-inf", "nan", "1e309", "9" * 5000, "", " ", "-1", "1.5", "95,5", "1.000", "có", "không",
           "tốt", "abc", "=1+1", "=1/0", "#", "100.00000000000001", "1e-05", "0", "2", "x" * 300, "١٢"]  # fmt: skip


@st.composite
def table(draw: st.DrawFn) -> tuple[list[Any], list[list[Any]]]:
    facts = draw(st.lists(st.sampled_from(FACTS), max_size=4, unique=True))
    extra = draw(st.lists(st.sampled_from(["", "cột lạ", "staffing.doctorz"]), max_size=1))
    header: list[Any] = REQUIRED + facts + extra
    header = draw(st.permutations(header))
    rows = []
    for k in range(draw(st.integers(0, 5))):
        row = []
        for name in header:
            if name == "commune.code":
                row.append(draw(st.sampled_from([f"{k:05d}", f"{k:05d}", "00000", "", f"# {k}"])))
            elif name in GOOD and draw(st.sampled_from([True, True, True, False])):
                row.append(GOOD[name])
            else:
                row.append(draw(st.sampled_from(HOSTILE)))
        row += draw(st.lists(st.sampled_from(["", "stray"]), max_size=2))  # right of the header
        rows.append(row)
    return header, rows


def write_csv(path: Path, header: list[Any], rows: list[list[Any]], delimiter: str, newline: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator=newline).writerows([header, *rows])


def write_xlsx(path: Path, header: list[Any], rows: list[list[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    for r in [header, *rows]:
        ws.append([_cell(v) for v in r])
    wb.save(path)


def _cell(v: str) -> Any:
    """XLSX cells hold numbers as numbers (1e309 as infinity: what a damaged file can hold)."""
    try:
        return float(v) if len(v) < 30 and v.strip() not in ("", "nan", "-inf", "inf") else v
    except ValueError:
        return v or None


def check(path: Path, header: list[Any], rows: list[list[Any]], outcomes: Counter[str], kind: str) -> None:
    try:
        with bounded():
            got = read_table(path)
    except UserError as exc:
        assert all(d.path == str(path) for d in exc.diagnostics), exc.format()
        tally(outcomes, kind, "refused whole, with its path")
        return
    assert got.rows == len(got.facts) + got.rejected
    named = {i for i, h in enumerate(header) if str(h).strip()}
    lines = {d.line for d in got.diagnostics if d.is_error}
    for n, row in enumerate(rows, start=2):
        if any(str(v).strip() for i, v in enumerate(row) if i in named):
            assert f"{path}:{n}" in got.sources or n in lines, f"row {n} lost: {row}"
    tally(outcomes, kind, f"{len(got.facts)} row(s) read, {got.rejected} rejected")


@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    t=table(),
    kind=st.sampled_from(["CSV", "CSV", "CSV", "XLSX"]),  # XLSX costs more to write
    delimiter=st.sampled_from([",", ";"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_hostile_spreadsheet(t, kind: str, delimiter: str, newline: str, outcomes: Counter[str]) -> None:
    header, rows = t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"district.{kind.lower()}"
        if kind == "CSV":
            write_csv(path, header, rows, delimiter, newline)
        else:
            write_xlsx(path, header, rows)
        check(path, header, rows, outcomes, kind)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=table())
def test_appraise_a_hostile_spreadsheet(t, outcomes: Counter[str]) -> None:
    header, rows = t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "district.csv"
        write_csv(path, header, rows, ",", "\n")
        r = run(["appraise", str(path), "--criteria", str(TINY), "--year", "2024", "--format", "json"])
        tally(outcomes, "appraise of a spreadsheet", f"exit {r.code}")
