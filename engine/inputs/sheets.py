"""The raw rows of a CSV or XLSX file, read within bounds, with what was left unread said.

Both readers yield ``(row number, [(value, percent_format), ...])``. They read through
:mod:`engine.files` (regular files only, size-limited), so a FIFO or ``/dev/zero`` named as a
spreadsheet is refused and nothing is read without limit:

* CSV: any line ending (``\\r\\n``, ``\\n`` or the old Mac ``\\r``), ``;`` or ``,`` as separator; a
  malformed file or a cell longer than the csv module's 131,072 characters is an error at its line;
* XLSX: the zip's uncompressed size is checked before anything is parsed (a "zip bomb" is refused);
  the sheet's declared dimension is ignored (a single value in cell XFD1048576 would otherwise make
  the reader pad every row to 16,384 cells); a sheet whose XML is damaged is an error at the row
  reached; a formula cell whose value was never computed (no cached value: the file was written by
  a program that does not calculate) is yielded as :data:`UNCACHED`, which the caller reports; the
  other sheets are named: an error when one looks like commune data, a note otherwise.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from engine.errors import Diagnostic, UserError
from engine.files import TABLE_LIMIT, MiB, read_bytes, read_text

Cells = list[tuple[Any, bool]]
Rows = Iterator[tuple[int, Cells]]

# Uncompressed size of all the parts of an XLSX file: a national workbook is about 40 MB.
XLSX_UNZIPPED_LIMIT = 512 * MiB
# Sheets the template adds beside the data (the reader knows they hold no commune).
GUIDE_SHEETS = ("hướng dẫn", "guide")
DATA_SHEETS = ("dữ liệu", "data", "xã", "communes")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


class Uncached:
    """A formula cell without a computed value."""

    def __repr__(self) -> str:
        return "UNCACHED"


UNCACHED = Uncached()


def csv_rows(path: Path) -> Rows:
    text = read_text(path, TABLE_LIMIT, "CSV file")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": \r, \n and \r\n all end a line, and line breaks inside quoted cells are kept.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            too_long = "field larger than field limit" in str(exc)
            raise UserError.single(
                str(path),
                f"a cell is longer than {csv.field_size_limit():,} characters: the file is not read"
                if too_long
                else f"malformed CSV ({exc}): the file is not read",
                "a cell holds one value; check the separators and quotes around here"
                if too_long
                else "save it again as CSV (UTF-8) from the spreadsheet program",
                line=reader.line_num,
            ) from None
        n += 1
        yield reader.line_num if reader.line_num else n, [(cell, False) for cell in row]


def _open_xlsx(path: Path, data: bytes, data_only: bool) -> Any:
    from openpyxl import load_workbook  # imported here: only spreadsheet input needs it

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise UserError.single(
            str(path), f"cannot be read as XLSX ({exc})", "save it from Excel as .xlsx"
        ) from None


def _check_zip(path: Path, data: bytes) -> bool:
    """Refuse a zip that would expand past the limit; True when any sheet holds a formula."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            unzipped = sum(i.file_size for i in infos)
            if unzipped > XLSX_UNZIPPED_LIMIT:
                raise UserError.single(
                    str(path),
                    f"expands to {unzipped / MiB:,.0f} MB: more than the {XLSX_UNZIPPED_LIMIT // MiB} MB "
                    "an XLSX file may hold",
                    "save only the data sheet, or check that it is the file you meant",
                )
            return any(i.filename.startswith("xl/worksheets/") and _has_formula(zf.open(i)) for i in infos)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return False  # not a zip, or a damaged one: openpyxl says so below


def _has_formula(member: Any) -> bool:
    tail = b""
    with member:
        while chunk := member.read(MiB):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _iter(ws: Any, path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of the rows of a read-only sheet that hold cells, its declared dimension
    ignored (a million empty rows above one value cost a second, not a million padded rows);
    a damaged sheet is an error at the row reached."""
    ws.reset_dimensions()
    rows = ws.iter_rows()
    n = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet: lxml/ElementTree/openpyxl errors of many kinds
            raise UserError.single(
                str(path),
                f"sheet «{ws.title}» is damaged after row {n} ({type(exc).__name__}: {exc}): the file is not read",
                "open it in Excel or LibreOffice and save it again",
                line=n + 1,
            ) from None
        n += 1
        if row:
            yield n, row


def _formula_cells(path: Path, data: bytes, title: str) -> set[tuple[int, int]]:
    wb = _open_xlsx(path, data, data_only=False)
    try:
        return {
            (n, k)
            for n, row in _iter(wb[title], path)
            for k, c in enumerate(row)
            if getattr(c, "data_type", None) == "f"
        }
    finally:
        wb.close()


def _sheet_note(path: Path, ws: Any, looks_like_data: Callable[[list[Any]], bool]) -> Diagnostic | None:
    """What to say of a sheet that is not read: an error if it holds commune rows, a note if anything."""
    if ws.title.strip().casefold() in GUIDE_SHEETS:
        return None
    filled = False
    for n, row in _iter(ws, path):
        values = [getattr(c, "value", None) for c in row]
        if looks_like_data(values):
            return Diagnostic(
                str(path),
                f"sheet «{ws.title}» has a header row of commune columns (row {n}) but is not read: "
                "only the first sheet (or the one named «Dữ liệu»/«Data») is",
                "put every commune in one sheet, or give each sheet its own file",
            )
        filled = filled or any(v not in (None, "") for v in values)
        if n >= 50:
            break
    if not filled:
        return None
    return Diagnostic(str(path), f"not read: sheet «{ws.title}» (not the data sheet)", "", level="note")


def xlsx_rows(path: Path, notes: list[Diagnostic], looks_like_data: Callable[[list[Any]], bool]) -> Rows:
    """The rows of the workbook's data sheet; the other sheets are named in ``notes``."""
    data = read_bytes(path, TABLE_LIMIT, "XLSX file")
    formulas = _check_zip(path, data)
    wb = _open_xlsx(path, data, data_only=True)
    try:
        preferred = [n for n in wb.sheetnames if n.strip().casefold() in DATA_SHEETS]
        ws = wb[preferred[0]] if preferred else wb.worksheets[0]
        for other in wb.worksheets:
            if other.title != ws.title and (note := _sheet_note(path, other, looks_like_data)):
                notes.append(note)
        uncached = _formula_cells(path, data, ws.title) if formulas else set()
        for n, row in _iter(ws, path):
            cells: Cells = []
            for k, c in enumerate(row):
                value = getattr(c, "value", None)
                if value is None and (n, k) in uncached:
                    value = UNCACHED
                cells.append((value, "%" in str(getattr(c, "number_format", "") or "")))
            yield n, cells
    finally:
        wb.close()
