"""The columns of a commune spreadsheet and how one cell becomes a typed fact value.

A column is named by fact path or by the fact's Vietnamese or English label (with or without its
unit); cells accept what people type in Vietnam: decimal commas, thousands separators, có/không,
choice labels, and Excel percentage cells.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.i18n import has, pick, t
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.loader import places


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
    labels: tuple[tuple[str, str, str], ...] = ()  # (choice, Vietnamese name, English name)

    def header(self, lang: str) -> str:
        label, unit = pick(lang, self.label_vi, self.label_en), pick(lang, self.unit_vi, self.unit_en)
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
# The first cells of the guide rows a CSV template has under its header (engine.render.template):
# the reader skips these rows, and only these, among rows starting with '#'.
GUIDE_ROWS = frozenset(
    {
        "# Đơn vị",
        "# Giá trị cho phép",
        "# Chỉ tiêu sử dụng",
        "# Unit",
        "# Allowed values",
        "# Used by indicators",
    }
)


def region_column() -> Column:
    """The socio-economic region: optional (the province gives it), by code or by name."""
    regions = places().table.regions
    return Column(
        "commune.region",
        "choice",
        "Vùng kinh tế - xã hội",
        "Socio-economic region",
        choices=tuple(r.code for r in regions),
        labels=tuple((r.code, r.name.vi, r.name.en) for r in regions),
    )


def columns(facts: Sequence[str] | None = None) -> list[Column]:
    """Identity columns, then the facts (all, or those listed, in catalogue order), then the rest."""
    specs = catalogue()
    wanted = set(facts) if facts is not None else set(specs)
    body = [
        Column(s.path, s.kind, s.label_vi, s.label_en, s.unit_vi, s.unit_en, s.choices, s.minimum, s.maximum)
        for s in specs.values()
        if s.path in wanted or s.path in ("commune.population", "commune.villages")
    ]
    head = [*_HEAD[:6], region_column(), *_HEAD[6:]]
    return [*head, *body, *_TAIL]


def header_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def lookup() -> dict[str, Column]:
    out: dict[str, Column] = {}
    for c in columns():
        for name in (c.path, c.label_vi, c.label_en, c.header("vi"), c.header("en")):
            out.setdefault(header_key(name), c)
    return out


def match_header(cell: str, table: dict[str, Column]) -> Column | None:
    text = cell.strip()
    bracket = re.search(r"\[([a-z_.]+)\]\s*$", text)
    if bracket and header_key(bracket.group(1)) in table:
        return table[header_key(bracket.group(1))]
    for candidate in (text, re.sub(r"\s*\([^()]*\)\s*$", "", text)):
        if header_key(candidate) in table:
            return table[header_key(candidate)]
    return None


_TRUE = {"có", "co", "yes", "y", "true", "đúng", "x", "1", "đạt"}
_FALSE = {"không", "khong", "no", "n", "false", "sai", "0", "chưa", "chưa đạt"}


def _choice_names(col: Column) -> dict[str, str]:
    names = {header_key(c): c for c in col.choices}
    for code, vi, en in col.labels:
        names.update({header_key(vi): code, header_key(en): code})
    for c in col.choices:
        if has(f"common.{c}"):
            names.update({header_key(t(c, "vi")): c, header_key(t(c, "en")): c})
    return names


def _number(raw: str, whole: bool) -> float | int:
    text = raw.strip().replace("\u00a0", "").replace(" ", "").rstrip("%").strip()
    if whole and re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return int(re.sub(r"[.,]", "", text))  # thousands separators: 4.020 or 4,020
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    return float(text)


def _shown(value: Any) -> str:
    """A cell's value for a message, cut short (a cell may hold thousands of characters)."""
    text = (
        repr(value)
        if not isinstance(value, int) or abs(value) < 10**30
        else f"a number of {len(str(abs(value)))} digits"
    )
    return text if len(text) <= 40 else text[:37] + "…"


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
        word = header_key(
            str(value if not isinstance(value, float) or not value.is_integer() else int(value))
        )
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(f"{_shown(value)} is not yes/no")
    if col.kind == "choice":
        found = _choice_names(col).get(header_key(str(value)))
        if found is None:
            raise ValueError(f"{_shown(value)} is not one of {', '.join(col.choices)}")
        return found
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    whole = col.kind in ("count", "zone", "year")
    try:
        number = value if isinstance(value, (int, float)) else _number(str(value), whole)
    except ValueError:
        raise ValueError(f"{_shown(value)} is not a number") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"{_shown(value)} is not a finite number")
    if col.kind == "percent" and percent_format and isinstance(value, (int, float)):
        number = number * 100  # an Excel cell formatted as % holds 0.95 for 95 %
    if whole:
        if isinstance(number, int):
            return number
        if not number.is_integer():
            raise ValueError(f"{_shown(value)} is not a whole number")
        return int(number)
    return float(number)


HINTS = {
    "count": "write a whole number, e.g. 2",
    "percent": "write a percentage from 0 to 100, e.g. 95.5",
    "number": "write a number, e.g. 12.5",
    "boolean": "write có/không (yes/no)",
    "zone": "write 1, 2 or 3",
    "year": "write a year, e.g. 2024",
    "text": "write text",
}
