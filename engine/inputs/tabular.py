"""Spreadsheet input: a CSV or XLSX file with one row per commune, read into commune facts.

Columns are named by fact path (``staffing.doctors``) or by the fact's Vietnamese or English label
(``Bác sĩ làm việc tại trạm``), with or without its unit in parentheses. Every bad cell is reported
with the file, row, column and what is wrong; a bad row is rejected and the other rows are still
read. Nothing is dropped silently: unknown columns, values in a column without a header or right of
the header, rows starting with ``#`` other than the template's guide rows, formulas without a
computed value and the workbook's other sheets are all reported (see :mod:`engine.inputs.sheets`
for how the rows are read).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.errors import Diagnostic, UserError
from engine.inputs.columns import (
    GUIDE_ROWS,
    HINTS,
    REQUIRED,
    Column,
    columns,
    convert,
    header_key,
    lookup,
    match_header,
)
from engine.inputs.facts import CommuneFacts
from engine.inputs.sheets import UNCACHED, Cells, csv_rows, xlsx_rows

__all__ = ["REQUIRED", "Column", "TabularInput", "columns", "convert", "match_header", "read_table"]


@dataclass(frozen=True)
class TabularInput:
    facts: list[CommuneFacts]
    sources: list[str]
    diagnostics: list[Diagnostic]
    rows: int  # data rows read (blank rows and the template's guide rows aside)
    rejected: int  # rows not evaluated because of errors
    duplicates: int = 0  # of rejected: rows for a commune and year already read in an earlier row


def _letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# Data rows one file may hold: the whole country is about 10,600 communes.
MAX_ROWS = 200_000


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
        if _blank(value):
            continue
        if value is UNCACHED:
            failed.add(col.path)
            diags.append(
                Diagnostic(
                    p,
                    "a formula whose value was never computed (the file holds no result for it)",
                    "open the file in Excel or LibreOffice and save it, or type the value",
                    n,
                    i + 1,
                    where(i, col.path),
                )
            )
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
            column = by_path.get(path)
            diags.append(
                Diagnostic(
                    p,
                    err["msg"],
                    "correct the value in this cell",
                    n,
                    None if column is None else column + 1,
                    where(column, path),
                )
            )
        return None, diags
    return (None, diags) if diags else (record, diags)


def _header(
    p: str, n: int, cells: Cells, table: dict[str, Column]
) -> tuple[dict[int, Column], dict[int, str], list[Diagnostic]] | None:
    """The columns named in row ``n``, or None when it is not the header (a title row above it)."""
    hits = {i: match_header(str(v), table) for i, (v, _) in enumerate(cells) if not _blank(v)}
    if sum(1 for c in hits.values() if c) < 3:
        return None
    header: dict[int, Column] = {}
    names: dict[int, str] = {}
    diags: list[Diagnostic] = []
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
            names[i] = name
    absent = [r for r in REQUIRED if r not in {c.path for c in header.values()}]
    if absent:
        raise UserError.single(
            p,
            f"the header row lacks the column(s) {', '.join(absent)}",
            "add them (see 'commune-health template --format csv')",
            line=n,
        )
    return header, names, diags


def _unheaded(p: str, head_row: int, stray: dict[int, list[int]]) -> list[Diagnostic]:
    """One error per column holding values under a blank header cell or right of the header."""
    out = []
    for i, rows in sorted(stray.items()):
        span = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}–{rows[-1]}"
        out.append(
            Diagnostic(
                p,
                f"column {_letter(i + 1)} has no header: its {len(rows)} value(s) ({span}) are not read",
                "name the column in the header row (a fact path or label), or clear its values",
                head_row,
                i + 1,
                f"column {_letter(i + 1)}",
            )
        )
    return out


def read_table(path: Path) -> TabularInput:
    """Read a CSV or XLSX file of communes; raise UserError only when no row can be read."""
    p = str(path)
    table = lookup()
    diags: list[Diagnostic] = []

    def looks_like_header(values: list[object]) -> bool:
        return sum(1 for v in values if not _blank(v) and match_header(str(v), table)) >= 3

    suffix = path.suffix.lower()
    rows = xlsx_rows(path, diags, looks_like_header) if suffix in (".xlsx", ".xlsm") else csv_rows(path)
    header: dict[int, Column] | None = None
    head_names: dict[int, str] = {}
    head_row = 0
    named: set[int] = set()  # every column with a header cell (known or not)
    stray: dict[int, list[int]] = {}  # values in columns without a header: column -> rows
    facts: list[CommuneFacts] = []
    sources: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    count = rejected = dups = 0
    for n, cells in rows:
        if header is None:
            found = _header(p, n, cells, table)
            if found is not None:
                header, head_names, head_diags = found
                diags.extend(head_diags)
                head_row = n
                named = {i for i, (v, _) in enumerate(cells) if not _blank(v)}
            continue
        if all(_blank(v) for v, _ in cells):
            continue
        first = cells[0][0] if cells else None
        if isinstance(first, str) and first.strip() in GUIDE_ROWS:
            continue  # a guide row of the template (unit, allowed values, indicators), not a commune
        for i, (v, _) in enumerate(cells):
            if i not in named and not _blank(v):
                stray.setdefault(i, []).append(n)
        if all(_blank(v) for i, (v, _) in enumerate(cells) if i in named):
            continue  # values only in columns without a header: reported below, no commune row
        count += 1
        if count > MAX_ROWS:
            raise UserError.single(
                p,
                f"holds more than {MAX_ROWS:,} commune rows: the file is not read",
                "split it by province",
                line=n,
            )
        if isinstance(first, str) and first.lstrip().startswith("#"):
            rejected += 1
            diags.append(
                Diagnostic(
                    p,
                    f"the row starts with '#' ({first.strip()[:40]!r}) but is not a guide row of the template: "
                    "it is not read",
                    "remove the '#' if the row is a commune, or delete the row",
                    n,
                    1,
                    f"row {n}",
                )
            )
            continue
        record, row_diags = _read_row(p, n, cells, header, head_names)
        if record is not None:
            key = (record.commune.code, record.year)
            if key in seen:
                msg = f"commune {record.commune.code} ({record.year}) is also in row {seen[key]}"
                row_diags.append(Diagnostic(p, msg, "keep one row per commune and year", n, None, f"row {n}"))
                dups += 1
            else:
                seen[key] = n
                facts.append(record)
                sources.append(f"{p}:{n}")
        if row_diags:
            rejected += 1
            diags.extend(row_diags)
    if header is None:
        raise UserError(
            [d for d in diags if d.is_error]
            + [
                Diagnostic(
                    p,
                    "no header row naming the columns was found",
                    "put the column names (fact paths or labels) in the first row",
                    1,
                )
            ]
        )
    diags.extend(_unheaded(p, head_row, stray))
    return TabularInput(facts, sources, diags, count, rejected, dups)
