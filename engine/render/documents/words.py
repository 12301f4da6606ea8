"""Words the documents share: who issues them, numbers, dates, places, warnings, amounts, values.

Every phrase comes from the catalogue ``engine/messages/<lang>/documents.yaml``. Years are passed to
messages as text (a number parameter would print 2.024 in Vietnamese).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import i18n
from engine.i18n import msg
from engine.inputs.criteria import Decision
from engine.render.documents.layout import Heading

UNITS = ("Thành phố ", "Tỉnh ", "TP. ")


@dataclass(frozen=True)
class Options:
    """How documents are written: language and the province's base template (None: the built-in one)."""

    lang: str = "vi"
    template: Path | None = None


def slug(text: str) -> str:
    """ASCII file-name part: 'Xã Mường Khong' → 'xa-muong-khong'."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


def province_body(province: str, lang: str) -> str:
    """'tỉnh Điện Biên' (a name that already says 'Thành phố …' is kept as it is)."""
    if province.startswith(UNITS):
        return province
    return msg("documents.province_of", lang, province=province)


def heading(
    lang: str,
    issuer: str,
    place: str,
    superior: str | None = None,
    number: str | None = None,
    date: dt.date | None = None,
) -> Heading:
    return Heading(
        superior=superior,
        issuer=issuer,
        number=None if number is None else msg("documents.number", lang, number=number),
        place_date=place_date(place, date, lang),
        motto=msg("documents.motto", lang),
        slogan=msg("documents.slogan", lang),
    )


def number_blank(suffix: str) -> str:
    """'……/KH-UBND': the number is given when the document is registered."""
    return f"……/{suffix}"


def place_date(place: str, date: dt.date | None, lang: str) -> str:
    if date is None:
        return msg("documents.place_date_blank", lang, place=place)
    return msg("documents.place_date", lang, place=place, **date_parts(date))


def date_parts(d: dt.date) -> dict[str, str]:
    return {"day": f"{d.day:02d}", "month": f"{d.month:02d}", "year": str(d.year)}


def date_text(d: dt.date | None, lang: str) -> str:
    return "—" if d is None else msg("documents.date", lang, **date_parts(d))


def decision_ref(decision: Decision, lang: str) -> str:
    """'Quyết định số 1300/QĐ-BYT ngày 09/03/2023 (…)'."""
    text = msg("documents.decision_ref", lang, number=decision.number, date=date_text(decision.date, lang))
    if decision.title is not None:
        text += msg("documents.decision_title", lang, title=decision.title)
    return text


def warnings(lang: str, drafts: int, total: int, illustrative: bool) -> list[str]:
    """The provenance warnings an output must carry: draft indicators, illustrative figures."""
    out = []
    if drafts:
        out.append(i18n.t("drafts", lang, n=drafts, total=total))
    if illustrative:
        out.append(msg("documents.illustrative", lang))
    return out


def vnd(amount: int, lang: str) -> str:
    return i18n.num(amount, lang)


def value(observed: Any, unit: Any, lang: str) -> str:
    """An observed value with its unit ('32 loài'); '—' when absent."""
    if observed is None:
        return msg("documents.no_data", lang)
    text = i18n.value(observed, lang)
    u = unit.get(lang) if unit is not None and hasattr(unit, "get") else ""
    return (
        f"{text} {u}".strip()
        if isinstance(observed, (int, float)) and not isinstance(observed, bool)
        else text
    )


def month_span(start_year: int, start_month: int, end_month: int, lang: str) -> str:
    """'01/2025–06/2025' for an action starting ``start_month`` months after January of ``start_year``."""

    def label(m: int) -> str:
        idx = start_year * 12 + m
        return f"{idx % 12 + 1:02d}/{idx // 12}"

    return msg(
        "documents.month_span", lang, start=label(start_month), end=label(max(end_month - 1, start_month))
    )


def years_text(start: int, end: int, lang: str) -> str:
    if start >= end:
        return msg("documents.year_single", lang, year=str(start))
    return msg("documents.year_range", lang, start=str(start), end=str(end))
