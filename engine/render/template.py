"""Data-collection templates generated from a criteria set, and facts written back to spreadsheets.

A template lists every fact the criteria set reads, its unit and allowed range, and the indicators
that use it, so a station can fill it in and hand it back; ``appraise`` reads the filled file with
:mod:`engine.inputs.tabular`. The same writer turns a folder of fact files into one spreadsheet (the
sample district's XLSX).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from engine import i18n
from engine.inputs.columns import REQUIRED, Column, columns
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts


def fact_users(cs: CriteriaSet) -> dict[str, list[str]]:
    """Each fact the set reads -> the ids of the indicators reading it (set order)."""
    out: dict[str, list[str]] = {}
    for _, ind in cs.indicators():
        out.setdefault(ind.fact, []).append(ind.id)
    return out


def template_columns(cs: CriteriaSet) -> list[Column]:
    return columns(list(fact_users(cs)))


def allowed(col: Column, lang: str) -> str:
    """The allowed values of a column in words: '0–100', '≥ 0, whole number', 'có / không'."""
    vi = lang == "vi"
    if col.kind == "boolean":
        return "có / không" if vi else "yes / no"
    if col.kind in ("choice", "zone"):
        return " / ".join(i18n.value(c, lang) if i18n.has(f"common.{c}") else c for c in col.choices)
    if col.kind in ("count", "number", "percent"):
        lo = "" if col.minimum is None else i18n.num(col.minimum, lang)
        hi = "" if col.maximum is None else i18n.num(col.maximum, lang)
        rng = f"{lo}–{hi}" if hi else f"≥ {lo}"
        if col.kind == "count":
            rng += ", số nguyên" if vi else ", whole number"
        return rng
    if col.kind == "year":
        return "1990–2100"
    return "bắt buộc" if vi and col.path in REQUIRED else ("required" if col.path in REQUIRED else "")


def guide_rows(cs: CriteriaSet, lang: str) -> list[list[str]]:
    """One row per column: header, fact path, unit, allowed values, indicators, required."""
    users = fact_users(cs)
    vi = lang == "vi"
    head = (
        ["Cột", "Mã số liệu", "Đơn vị", "Giá trị cho phép", "Chỉ tiêu sử dụng", "Bắt buộc"]
        if vi
        else ["Column", "Fact path", "Unit", "Allowed values", "Used by indicators", "Required"]
    )
    rows = [head]
    for col in template_columns(cs):
        rows.append(
            [
                col.header(lang),
                col.path,
                col.unit_vi if vi else col.unit_en,
                allowed(col, lang),
                ", ".join(users.get(col.path, [])),
                ("có" if vi else "yes") if col.path in REQUIRED else "",
            ]
        )
    return rows


def cell_value(col: Column, facts: CommuneFacts, lang: str) -> Any:
    v = facts.get(col.path)
    if isinstance(v, bool):
        return i18n.t("yes" if v else "no", lang)
    if col.kind == "choice" and isinstance(v, str) and i18n.has(f"common.{v}"):
        return i18n.t(v, lang)
    return v


def rows_for(cols: Sequence[Column], records: Sequence[CommuneFacts], lang: str) -> list[list[Any]]:
    return [[col.header(lang) for col in cols]] + [[cell_value(c, f, lang) for c in cols] for f in records]


def guide_lines(cs: CriteriaSet, cols: Sequence[Column], lang: str) -> list[list[Any]]:
    """Rows under a CSV template's header, each starting with '#' (the reader skips them): the
    unit, the allowed values and the indicators of every column."""
    users = fact_users(cs)
    vi = lang == "vi"
    units = [col.unit_vi if vi else col.unit_en for col in cols]
    return [
        ["# Đơn vị" if vi else "# Unit", *units[1:]],
        ["# Giá trị cho phép" if vi else "# Allowed values", *(allowed(c, lang) for c in cols[1:])],
        [
            "# Chỉ tiêu sử dụng" if vi else "# Used by indicators",
            *(", ".join(users.get(c.path, [])) for c in cols[1:]),
        ],
    ]


def to_csv(rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return "\ufeff" + buf.getvalue()  # a BOM so that Excel opens the Vietnamese text as UTF-8


def to_yaml(cs: CriteriaSet, lang: str) -> str:
    """A blank fact file with one commented line per fact: label, unit, allowed values, indicators."""
    users = fact_users(cs)
    vi = lang == "vi"
    title = "Mẫu thu thập số liệu" if vi else "Data-collection template"
    lines = [
        f"# {title} — {cs.title.get(lang)} ({cs.id}, {cs.decision.number})",
        "# "
        + (
            "Điền số liệu sau dấu ':'; để trống nếu chưa có (thiếu số liệu không được tính điểm)."
            if vi
            else "Fill in after each ':'; leave blank when unknown (missing data earns no points)."
        ),
        "schema_version: 1",
        "illustrative: false",
        "year:  # " + ("Năm đánh giá (bắt buộc)" if vi else "Assessment year (required)"),
    ]
    section = None
    for col in template_columns(cs):
        if "." not in col.path or col.path in ("services.year",):
            continue
        sec, name = col.path.split(".", 1)
        if sec != section:
            lines.append(f"{sec}:")
            section = sec
        label = col.label_vi if vi else col.label_en
        unit = col.unit_vi if vi else col.unit_en
        parts = [label + (f" [{unit}]" if unit else ""), allowed(col, lang)]
        if users.get(col.path):
            parts.append(("chỉ tiêu " if vi else "indicators ") + ", ".join(users[col.path]))
        lines.append(f"  {name}:  # " + "; ".join(p for p in parts if p))
    return "\n".join(lines) + "\n"
