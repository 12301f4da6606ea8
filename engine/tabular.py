"""Spreadsheet input: a CSV or XLSX file with one row per commune, read into commune facts.

Columns are named by fact path (``staffing.doctors``) or by the fact's Vietnamese or English label
(``Bác sĩ làm việc tại trạm``), with or without its unit in parentheses. Every bad cell is reported
with the file, row, column and what is wrong; a bad row is rejected and the other rows are still
read; nothing is dropped silently (unknown columns are reported too).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Diagnostic, UserError
from .facts import CommuneFacts, catalogue
from .i18n import LABELS
from .yamlio import read_text


@dataclass(frozen=True)
class Column:
    path: str
    kind: str  # count, percent, number, boolean, choice, text, zone, year
    label_vi: str
    label_en: str
    unit_vi: str = ""
    unit_en: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def header(self, lang: str) -> str:
        label, unit = (self.label_vi, self.unit_vi) if lang == "vi" else (self.label_en, self.unit_en)
        return f"{label} ({unit})" if unit else label


_HEAD = (
    Column("commune.code", "text", "Mã xã", "Commune code"),
    Column("commune.name", "text", "Tên xã", "Commune name"),
    Column("commune.province", "text", "Tỉnh", "Province"),
    Column("commune.district", "text", "Huyện", "District"),
    Column("commune.zone", "zone", "Vùng", "Zone", choices=("1", "2", "3")),
    Column("commune.area", "choice", "Khu vực", "Area", choices=("urban", "rural")),
    Column("year", "year", "Năm đánh giá", "Assessment year"),
)
_TAIL = (
    Column("services.year", "year", "Năm của số liệu", "Year the figures refer to"),
    Column("illustrative", "boolean", "Số liệu minh họa", "Illustrative figures"),
    Column("note", "text", "Ghi chú", "Note"),
)
REQUIRED = ("commune.code", "commune.name", "commune.province", "commune.zone", "commune.area", "year")


def columns(facts: Sequence[str] | None = None) -> list[Column]:
    """Identity columns, then the facts (all, or those listed, in catalogue order), then the rest."""
    specs = catalogue()
    wanted = set(facts) if facts is not None else set(specs)
    body = [
        Column(s.path, s.kind, s.label_vi, s.label_en, s.unit_vi, s.unit_en, s.choices, s.minimum, s.maximum)
        for s in specs.values()
        if s.path in wanted or s.path in ("commune.population", "commune.villages")
    ]
    return [*_HEAD, *body, *_TAIL]


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _lookup() -> dict[str, Column]:
    out: dict[str, Column] = {}
    for c in columns():
        for name in (c.path, c.label_vi, c.label_en, c.header("vi"), c.header("en")):
            out.setdefault(_key(name), c)
    return out


def match_header(cell: str, table: dict[str, Column]) -> Column | None:
    text = cell.strip()
    bracket = re.search(r"\[([a-z_.]+)\]\s*$", text)
    if bracket and _key(bracket.group(1)) in table:
        return table[_key(bracket.group(1))]
    for candidate in (text, re.sub(r"\s*\([^()]*\)\s*$", "", text)):
        if _key(candidate) in table:
            return table[_key(candidate)]
    return None


_TRUE = {"có", "co", "yes", "y", "true", "đúng", "x", "1", "đạt"}
_FALSE = {"không", "khong", "no", "n", "false", "sai", "0", "chưa", "chưa đạt"}


def _choice_names(col: Column) -> dict[str, str]:
    names = {_key(c): c for c in col.choices}
    for c in col.choices:
        if c in LABELS:
            names.update({_key(LABELS[c][0]): c, _key(LABELS[c][1]): c})
    return names


def _number(raw: str, whole: bool) -> float | int:
    text = raw.strip().replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
    if whole and re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return int(re.sub(r"[.,]", "", text))  # thousands separators: 4.020 or 4,020
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    return float(text)


def convert(col: Column, value: Any, percent_format: bool = False) -> Any:
    """One cell to its typed value; raises ValueError with a readable reason."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
    if col.kind == "text":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)
    if col.kind == "boolean":
        if isinstance(value, bool):
            return value
        key = _key(str(value if not isinstance(value, float) or not value.is_integer() else int(value)))
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(f"{value!r} is not yes/no")
    if col.kind == "choice":
        found = _choice_names(col).get(_key(str(value)))
        if found is None:
            raise ValueError(f"{value!r} is not one of {', '.join(col.choices)}")
        return found
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    whole = col.kind in ("count", "zone", "year")
    try:
        number = value if isinstance(value, (int, float)) else _number(str(value), whole)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    if col.kind == "percent" and percent_format and isinstance(value, (int, float)):
        number = number * 100  # an Excel cell formatted as % holds 0.95 for 95 %
    if whole:
        if float(number) != int(number):
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    return float(number)


_HINTS = {
    "count": "write a whole number, e.g. 2",
    "percent": "write a percentage from 0 to 100, e.g. 95.5",
    "number": "write a number, e.g. 12.5",
    "boolean": "write có/không (yes/no)",
    "zone": "write 1, 2 or 3",
    "year": "write a year, e.g. 2024",
    "text": "write text",
}


@dataclass(frozen=True)
class TabularInput:
    facts: list[CommuneFacts]
    sources: list[str]
    diagnostics: list[Diagnostic]
    rows: int  # data rows read (blank rows aside)
    rejected: int  # rows not evaluated because of errors


def _letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _csv_rows(path: Path) -> Iterator[tuple[int, list[tuple[Any, bool]]]]:
    text = read_text(path)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        yield n, [(cell, False) for cell in row]


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[tuple[Any, bool]]]]:
    from openpyxl import load_workbook  # imported here: only spreadsheet input needs it

    if not path.exists():
        raise UserError.single(str(path), "file not found", "check the path")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise UserError.single(
            str(path), f"cannot be read as XLSX ({exc})", "save it from Excel as .xlsx"
        ) from None
    preferred = [n for n in wb.sheetnames if _key(n) in ("dữ liệu", "data", "xã", "communes")]
    ws = wb[preferred[0]] if preferred else wb.worksheets[0]
    for n, row in enumerate(ws.iter_rows(), start=1):
        yield n, [(c.value, "%" in str(getattr(c, "number_format", "") or "")) for c in row]
    wb.close()


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = data
    for p in parents:
        node = node.setdefault(p, {})
    node[leaf] = value


def _read_row(
    p: str, n: int, cells: list[tuple[Any, bool]], header: dict[int, Column], names: dict[int, str]
) -> tuple[CommuneFacts | None, list[Diagnostic]]:
    """One data row: the commune's facts, or every problem of the row (all cells checked)."""
    data: dict[str, Any] = {}
    diags: list[Diagnostic] = []
    by_path: dict[str, int] = {}
    failed: set[str] = set()

    def where(i: int | None, path: str) -> str:
        return (
            f"row {n} › column {_letter(i + 1)} «{names[i]}» ({path})"
            if i is not None
            else f"row {n} › {path}"
        )

    for i, col in header.items():
        value, pct = cells[i] if i < len(cells) else (None, False)
        by_path[col.path] = i
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            _set(data, col.path, convert(col, value, pct))
        except ValueError as exc:
            failed.add(col.path)
            diags.append(
                Diagnostic(
                    p, str(exc), _HINTS.get(col.kind, "see the template"), n, i + 1, where(i, col.path)
                )
            )
    try:
        record = CommuneFacts.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            path = ".".join(str(x) for x in err["loc"] if not isinstance(x, int))
            path = next((q for q in by_path if path.startswith(q)), path)
            if path in failed:
                continue  # already reported: the cell could not be read
            i = by_path.get(path)
            diags.append(
                Diagnostic(
                    p,
                    err["msg"],
                    "correct the value in this cell",
                    n,
                    None if i is None else i + 1,
                    where(i, path),
                )
            )
        return None, diags
    return (None, diags) if diags else (record, diags)


def read_table(path: Path) -> TabularInput:
    """Read a CSV or XLSX file of communes; raise UserError only when no row can be read."""
    suffix = path.suffix.lower()
    rows = _xlsx_rows(path) if suffix in (".xlsx", ".xlsm") else _csv_rows(path)
    table = _lookup()
    p = str(path)
    diags: list[Diagnostic] = []
    header: dict[int, Column] | None = None
    facts: list[CommuneFacts] = []
    sources: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    count = rejected = 0
    head_names: dict[int, str] = {}
    for n, cells in rows:
        if header is None:
            hits = {i: match_header(str(v), table) for i, (v, _) in enumerate(cells) if v not in (None, "")}
            if sum(1 for c in hits.values() if c) < 3:
                continue  # a title row above the header
            header = {}
            for i, col in hits.items():
                name = str(cells[i][0])
                if col is None:
                    close = difflib.get_close_matches(_key(name), list(table), n=1)
                    diags.append(
                        Diagnostic(
                            p,
                            f"unknown column {name!r}: its values are not read",
                            f"did you mean {table[close[0]].path}?"
                            if close
                            else "name columns by fact path or label (see 'commune-health template')",
                            n,
                            i + 1,
                            f"column {_letter(i + 1)}",
                        )
                    )
                elif col in header.values():
                    diags.append(
                        Diagnostic(
                            p,
                            f"column {name!r} repeats {col.path}",
                            "keep one of them",
                            n,
                            i + 1,
                            f"column {_letter(i + 1)}",
                        )
                    )
                else:
                    header[i] = col
                    head_names[i] = name
            absent = [r for r in REQUIRED if r not in {c.path for c in header.values()}]
            if absent:
                raise UserError.single(
                    p,
                    f"the header row lacks the column(s) {', '.join(absent)}",
                    "add them (see 'commune-health template --format csv')",
                    line=n,
                )
            continue
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v, _ in cells):
            continue
        count += 1
        record, row_diags = _read_row(p, n, cells, header, head_names)
        if record is not None:
            key = (record.commune.code, record.year)
            if key in seen:
                msg = f"commune {record.commune.code} ({record.year}) is also in row {seen[key]}"
                row_diags.append(Diagnostic(p, msg, "keep one row per commune and year", n, None, f"row {n}"))
            else:
                seen[key] = n
                facts.append(record)
                sources.append(f"{p}:{n}")
        if row_diags:
            rejected += 1
            diags.extend(row_diags)
    if header is None:
        raise UserError.single(
            p,
            "no header row naming the columns was found",
            "put the column names (fact paths or labels) in the first row",
            line=1,
        )
    return TabularInput(facts, sources, diags, count, rejected)
