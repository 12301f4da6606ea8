"""The appraisal dossier as a printable XLSX workbook: a summary sheet and one score sheet per commune.

Renders only: every number is copied from the evaluation, so the totals on each score sheet are the
evaluation's totals. Sheets are set up for A4 printing by :mod:`engine.render.xlsx_print` (rows as high as
their wrapped text, fit to width, header rows repeated, a score sheet on at most two pages). The
workbook is written row by row in openpyxl's write-only mode (:mod:`engine.render.xlsx_sheet`): a
national dossier never holds its cells in memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.appraisal.targets import TargetResult
from engine.evaluation.results import CommuneResult
from engine.render import indicators as shown
from engine.render.appraisal_text import (
    amount,
    area_caption,
    draft_warning,
    needed_text,
    requirement,
    status_text,
    summary_lines,
    t,
)
from engine.render.xlsx_print import SIZE, FitCache
from engine.render.xlsx_sheet import Look, Sheet, Styles

# Times New Roman (Liberation Serif where it is not installed: the same metrics), as official papers use.
FONT = "Times New Roman"
PLAIN = Font(name=FONT, size=SIZE)
BOLD = Font(name=FONT, size=SIZE, bold=True)
ITALIC = Font(name=FONT, size=SIZE, italic=True)
TITLE = Font(name=FONT, bold=True, size=14)
WARN_FONT = Font(name=FONT, size=SIZE, bold=True, color="9C0006")
WARN_FILL = PatternFill("solid", fgColor="FFEB9C")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
FAIL_FONT = Font(name=FONT, size=SIZE, color="C00000", bold=True)
OK_FONT = Font(name=FONT, size=SIZE, color="006100", bold=True)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")

# Above this many communes a score sheet lists only the indicators to act on (47 indicators x 11
# columns x 10,000 communes would be five million cells: a file no one opens).
DETAIL_LIMIT = 200


def _sheet_title(k: int, name: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", "", name).strip()
    for prefix in ("Xã ", "Phường ", "Thị trấn "):
        clean = clean.removeprefix(prefix)
    title = f"{k:02d} {clean}"[:31]
    while title in used:
        title = title[:28] + f"~{len(used) % 100:02d}"
    used.add(title)
    return title


def text_only(ws: Worksheet, row: int, width: int) -> None:
    """Keep text that starts with '=' as text in row ``row`` (of ``width`` cells): data never becomes
    a formula. (Not ``ws[row]``: it works out the sheet's width from every cell, each time.)"""
    for (cell,) in ws.iter_cols(min_row=row, max_row=row, min_col=1, max_col=max(width, 1)):
        if cell.data_type == "f":
            cell.data_type = "s"


def _register_styles(wb: Workbook) -> Styles:
    """Named cell styles: one assignment per cell instead of four (openpyxl hashes every style)."""
    # The default style's font sets the unit of column widths (the width of its '0'): Times New Roman,
    # like the cells, so that Excel and LibreOffice lay columns out alike (openpyxl has no public API).
    wb._named_styles["Normal"].font = PLAIN
    fonts: dict[str, Font] = {}
    for name, font, fill, border in (
        ("ch-cell", PLAIN, None, BOX),
        ("ch-plain", PLAIN, None, None),
        ("ch-bold", BOLD, None, BOX),
        ("ch-head", BOLD, HEAD_FILL, BOX),
    ):
        style = NamedStyle(name=name, alignment=WRAP, font=font)
        if fill is not None:
            style.fill = fill
        if border is not None:
            style.border = border
        wb.add_named_style(style)
        fonts[name] = font
    return Styles(wb, fonts)


def _look(value: Any, bold: bool, fill: PatternFill | None) -> Look:
    filled = "ch-head" if fill is not None else "ch-bold" if bold else "ch-cell"
    return (filled if value is not None and value != "" else "ch-plain", None, None, None, None)


def _row(
    ws: Sheet,
    values: Sequence[Any],
    bold: bool = False,
    fill: PatternFill | None = None,
    special: dict[int, Look] | None = None,
) -> int:
    """A row of boxed cells; ``special``: the look of some cells (by column, from 1) instead."""
    looks = [_look(v, bold, fill) for v in values]
    for col, look in (special or {}).items():
        looks[col - 1] = look
    return ws.append(values, looks)


def _with(look: Look, font: Font | None = None, number_format: str | None = None) -> Look:
    return (look[0], font or look[1], look[2], look[3], number_format or look[4])


_BANNER = Alignment(wrap_text=True, vertical="center")


def _banner(ws: Sheet, text: str, font: Font, fill: PatternFill | None = None, span: int = 0) -> None:
    """A line of text across ``span`` columns (default: the sheet's width)."""
    look: Look = (None, font, fill, _BANNER, None)
    ws.append([text], [look], 32 if len(text) > 90 else 18, merge=span or ws.width)


def _targets(ws: Sheet, title: str, targets: Sequence[TargetResult], lang: str) -> None:
    ws.blank()
    _banner(ws, title, BOLD, span=8)
    _row(
        ws,
        [t(k, lang) for k in ("target", "required", "observed", "status", "needed", "due", "source")],
        bold=True,
        fill=HEAD_FILL,
    )
    for tr in targets:
        counted = (
            f"{tr.meeting}/{tr.communes} = " if tr.meeting is not None and tr.kind.startswith("share") else ""
        )
        values = [
            tr.title.get(lang),
            requirement(tr, lang),
            counted + amount(tr, tr.observed, lang),
            status_text(tr, lang),
            needed_text(tr, lang),
            tr.due_year,
            f"{tr.source.document}, {tr.source.section}",
        ]
        font = OK_FONT if tr.status == "met" else FAIL_FONT
        _row(ws, values, special={4: _with(_look(values[3], False, None), font)})


SUMMARY_WIDTHS = (6, 9, 22, 14, 6, 8, 10, 14, 14, 60)


def _summary(wb: Workbook, styles: Styles, fit: FitCache, a: Appraisal, lang: str) -> None:
    ws = Sheet(wb, styles, t("summary", lang), SUMMARY_WIDTHS, fit)
    cs = a.criteria_set
    _banner(ws, t("dossier_banner", lang), TITLE)
    _banner(ws, f"{cs.title.get(lang)} — {cs.decision.number} — {a.year} — {a.source}", BOLD)
    if a.uses_drafts:
        _banner(ws, draft_warning(a, lang), WARN_FONT, WARN_FILL)
    if any(r.illustrative for r in a.results):
        _banner(ws, i18n.t("illustrative", lang), ITALIC)
    for line in summary_lines(a, lang):
        _banner(ws, line, BOLD)
    note = _detail_note(a, lang)
    if note:
        _banner(ws, note, ITALIC)
    ws.blank()
    header = _row(
        ws,
        [
            t(k, lang)
            for k in (
                "rank",
                "code",
                "commune",
                "district",
                "zone",
                "score",
                "qualified",
                "below_floor",
                "knockouts",
                "top_actions",
            )
        ],
        bold=True,
        fill=HEAD_FILL,
    )
    for row in a.league:
        values = [
            row.rank,
            row.commune,
            row.name,
            row.district or "",
            row.zone,
            row.score,
            t("yes" if row.qualified else "no", lang),
            ", ".join(row.criteria_below_floor),
            ", ".join(row.knockouts_failed),
            "\n".join(f"• {x.get(lang)}" for x in row.top_actions),
        ]
        _row(
            ws,
            values,
            special={
                6: _with(_look(values[5], False, None), number_format="0.0"),
                7: _with(_look(values[6], False, None), OK_FONT if row.qualified else FAIL_FONT),
            },
        )
    for pr in a.plans:
        _targets(ws, area_caption(pr, lang), pr.targets, lang)
    if a.diagnostics:
        ws.blank()
        _banner(ws, i18n.msg("appraisal.rejected_count", lang, n=a.rejected), FAIL_FONT)
        for d in a.diagnostics:
            _banner(ws, d.format(), Font(name=FONT, size=SIZE, color="9C0006"))
    ws.close(header)


def _detail_note(a: Appraisal, lang: str) -> str | None:
    if len(a.results) <= DETAIL_LIMIT:
        return None
    return i18n.msg("appraisal.detail_limit", lang, limit=DETAIL_LIMIT)


SCORE_WIDTHS = (7, 58, 6, 6, 12, 10, 12, 7, 22, 44, 9)


def _score_sheet(
    wb: Workbook, styles: Styles, fit: FitCache, r: CommuneResult, title: str, a: Appraisal, lang: str
) -> None:
    ws = Sheet(wb, styles, title, SCORE_WIDTHS, fit, max_pages=2)
    c = r.commune
    place = ", ".join(x for x in (c.district, c.province) if x)
    _banner(ws, f"{t('score_sheet', lang).upper()} — {c.name} ({c.id})", TITLE)
    _banner(
        ws,
        f"{place} — {i18n.t('zone', lang)} {c.zone}, {i18n.t(c.area, lang)} — {r.year} — "
        f"{r.criteria_set.id} ({r.criteria_set.decision})",
        BOLD,
    )
    if r.uses_drafts:
        _banner(ws, draft_warning(a, lang), WARN_FONT, WARN_FILL)
    if r.illustrative:
        _banner(ws, i18n.t("illustrative", lang), ITALIC)
    ws.blank()
    head_keys = ("criterion", "score", "max", "min_required")
    _row(ws, ["#", *(i18n.t(k, lang) for k in head_keys), t("qualified", lang)], bold=True, fill=HEAD_FILL)
    for cr in r.criteria:
        values = [
            cr.id,
            cr.name.get(lang),
            cr.score,
            cr.max,
            cr.min_required,
            t("yes" if cr.passed else "no", lang),
        ]
        _row(
            ws,
            values,
            special={
                3: _with(_look(cr.score, False, None), number_format="0.0#"),
                6: _with(_look(values[5], False, None), OK_FONT if cr.passed else FAIL_FONT),
            },
        )
    _row(
        ws,
        [
            "",
            i18n.t("total", lang),
            r.total_score,
            r.max_score,
            r.min_total,
            t("yes" if r.qualified else "no", lang),
        ],
        bold=True,
        special={3: _with(_look(r.total_score, True, None), number_format="0.0#")},
    )
    verdict = i18n.t("qualified" if r.qualified else "not_qualified", lang)
    _banner(
        ws,
        f"{verdict} — {i18n.t('total', lang)} {i18n.score(r.total_score, lang)}/{i18n.num(r.max_score, lang)}",
        OK_FONT if r.qualified else FAIL_FONT,
    )
    for reason in r.reasons:
        _banner(ws, f"• {reason.text(lang)}", FAIL_FONT)
    ws.blank()
    head = t("indicator_header", lang).split("|")
    header = _row(ws, list(head), bold=True, fill=HEAD_FILL)
    detail = len(a.results) <= DETAIL_LIMIT
    for ind in (
        r.indicators if detail else [i for i in r.indicators if i.status in ("fail", "partial", "missing")]
    ):
        values = [
            shown.label(ind, lang),
            ind.title.get(lang),
            ind.points,
            ind.max_points,
            i18n.t(ind.status, lang),
            shown.observed(ind.observed, lang),
            shown.requirement(ind, lang),
            i18n.t("yes", lang) if ind.knockout else "",
            ind.gap.text(lang) if ind.gap else "",
            "\n".join(f"• {x.action.get(lang)}" for x in ind.remediation),
            shown.provenance(ind, lang, short=True),
        ]
        font = OK_FONT if ind.status in ("pass", "not_applicable") else FAIL_FONT
        _row(ws, values, special={5: _with(_look(values[4], False, None), font)})
    if a.commune_targets.get(c.id):
        _targets(ws, t("commune_targets", lang), a.commune_targets[c.id], lang)
    ws.blank()
    signature = ["", t("assessor", lang), "", "", "", "", t("council_chair", lang)]
    ws.append(signature, [None] * len(signature))
    ws.close(header)


def workbook(a: Appraisal, lang: str = "vi") -> Workbook:
    """The dossier, every sheet written (write-only: it can only be saved)."""
    wb = Workbook(write_only=True)
    styles = _register_styles(wb)
    fit: FitCache = {}  # the same texts recur from commune to commune
    _summary(wb, styles, fit, a, lang)
    used: set[str] = {t("summary", lang)}
    by_id = {x.commune.id: x for x in a.results}
    for k, row in enumerate(a.league, start=1):
        r = by_id[row.commune]
        _score_sheet(wb, styles, fit, r, _sheet_title(k, r.commune.name, used), a, lang)
    return wb


def workbook_bytes(a: Appraisal, lang: str = "vi") -> bytes:
    buf = io.BytesIO()
    workbook(a, lang).save(buf)
    return buf.getvalue()
