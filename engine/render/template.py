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
from engine.i18n import msg, pick
from engine.inputs.columns import REQUIRED, Column, columns
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts


def fact_users(cs: CriteriaSet, lang: str = "vi") -> dict[str, list[str]]:
    """Each fact the set reads -> the indicators reading it, by number and id ('35 (7.5)'), and the
    zoning rule (set order)."""
    out: dict[str, list[str]] = {}
    for _, ind in cs.indicators():
        for path in ind.reads:
            out.setdefault(path, []).append(f"{ind.no} ({ind.id})" if ind.no is not None else ind.id)
    for path in cs.zoning.reads if cs.zoning else ():
        out.setdefault(path, []).append(i18n.msg("criteria.zoning_rule", lang))
    return out


def template_columns(cs: CriteriaSet) -> list[Column]:
    return columns(list(fact_users(cs)))


def allowed(col: Column, lang: str) -> str:
    """The allowed values of a column in words: '0–100', '≥ 0, whole number', 'có / không'."""
    if col.kind == "boolean":
        return msg("template.yes_no", lang)
    if col.labels:
        return " / ".join(f"{code} ({pick(lang, vi_name, en_name)})" for code, vi_name, en_name in col.labels)
    if col.kind in ("choice", "zone"):
        return " / ".join(i18n.value(c, lang) if i18n.has(f"common.{c}") else c for c in col.choices)
    if col.kind in ("count", "number", "percent"):
        lo = "" if col.minimum is None else i18n.num(col.minimum, lang)
        hi = "" if col.maximum is None else i18n.num(col.maximum, lang)
        rng = f"{lo}–{hi}" if hi else f"≥ {lo}"
        if col.kind == "count":
            rng += msg("template.whole_number", lang)
        return rng
    if col.kind == "year":
        return "1990–2100"
    return msg("template.required", lang) if col.path in REQUIRED else ""


def guide_rows(cs: CriteriaSet, lang: str) -> list[list[str]]:
    """One row per column: header, fact path, unit, allowed values, indicators, required."""
    users = fact_users(cs, lang)
    head = ["column", "fact_path", "unit", "allowed", "used_by", "required_column"]
    rows = [[msg(f"template.{key}", lang) for key in head]]
    for col in template_columns(cs):
        rows.append(
            [
                col.header(lang),
                col.path,
                pick(lang, col.unit_vi, col.unit_en),
                allowed(col, lang),
                ", ".join(users.get(col.path, [])),
                i18n.t("yes", lang) if col.path in REQUIRED else "",
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
    users = fact_users(cs, lang)
    units = [pick(lang, col.unit_vi, col.unit_en) for col in cols]
    return [
        ["# " + msg("template.unit", lang), *units[1:]],
        ["# " + msg("template.allowed", lang), *(allowed(c, lang) for c in cols[1:])],
        ["# " + msg("template.used_by", lang), *(", ".join(users.get(c.path, [])) for c in cols[1:])],
    ]


def to_csv(rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return "\ufeff" + buf.getvalue()  # a BOM so that Excel opens the Vietnamese text as UTF-8


def to_yaml(cs: CriteriaSet, lang: str) -> str:
    """A blank fact file with one commented line per fact: label, unit, allowed values, indicators."""
    users = fact_users(cs, lang)
    lines = [
        f"# {msg('template.title', lang)} — {cs.title.get(lang)} ({cs.id}, {cs.decision.number})",
        "# " + msg("template.fill_in", lang),
        "schema_version: 1",
        "illustrative: false",
        "year:  # " + msg("template.year", lang),
    ]
    section = None
    for col in template_columns(cs):
        if "." not in col.path or col.path in ("services.year",):
            continue
        sec, name = col.path.split(".", 1)
        if sec != section:
            lines.append(f"{sec}:")
            section = sec
        label = pick(lang, col.label_vi, col.label_en)
        unit = pick(lang, col.unit_vi, col.unit_en)
        parts = [label + (f" [{unit}]" if unit else ""), allowed(col, lang)]
        if users.get(col.path):
            parts.append(msg("template.indicators", lang, ids=", ".join(users[col.path])))
        lines.append(f"  {name}:  # " + "; ".join(p for p in parts if p))
    return "\n".join(lines) + "\n"
