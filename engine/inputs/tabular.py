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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.errors import Diagnostic, UserError
from engine.inputs.columns import HINTS, REQUIRED, Column, columns, convert, header_key, lookup, match_header
from engine.inputs.facts import CommuneFacts
from engine.inputs.yamlio import read_text

__all__ = ["REQUIRED", "Column", "TabularInput", "columns", "convert", "match_header", "read_table"]


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
    preferred = [n for n in wb.sheetnames if header_key(n) in ("dữ liệu", "data", "xã", "communes")]
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
                Diagnostic(p, str(exc), HINTS.get(col.kind, "see the template"), n, i + 1, where(i, col.path))
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
    table = lookup()
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
                    close = difflib.get_close_matches(header_key(name), list(table), n=1)
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
        if cells and isinstance(cells[0][0], str) and cells[0][0].lstrip().startswith("#"):
            continue  # a guide row of the template (unit, allowed values, indicators), not a commune
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
