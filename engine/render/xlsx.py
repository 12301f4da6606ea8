"""The appraisal dossier as a printable XLSX workbook: a summary sheet and one score sheet per commune.

Renders only: every number is copied from the evaluation, so the totals on each score sheet are the
evaluation's totals. Sheets are set up for A4 printing by :mod:`engine.render.xlsx_print` (rows as high as
their wrapped text, fit to width, header rows repeated, a score sheet on at most two pages).
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
from engine.render.xlsx_print import SIZE, fit_rows, print_setup

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

# Above this many communes a score sheet lists only the indicators to act on (openpyxl writes about
# 10,000 styled cells a second; 47 indicators x 11 columns x 10,000 communes would take hours).
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


def text_only(ws: Worksheet) -> None:
    """Keep text that starts with '=' as text in the last row: data never becomes a formula."""
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _register_styles(wb: Workbook) -> None:
    """Named cell styles: one assignment per cell instead of four (openpyxl hashes every style)."""
    # The default style's font sets the unit of column widths (the width of its '0'): Times New Roman,
    # like the cells, so that Excel and LibreOffice lay columns out alike (openpyxl has no public API).
    wb._named_styles["Normal"].font = PLAIN
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


def _row(ws: Worksheet, values: Sequence[Any], bold: bool = False, fill: PatternFill | None = None) -> int:
    ws.append(list(values))
    text_only(ws)
    r = ws.max_row
    filled = "ch-head" if fill is not None else "ch-bold" if bold else "ch-cell"
    for c, value in enumerate(values, start=1):
        ws.cell(r, c).style = filled if value is not None and value != "" else "ch-plain"
    return r


def _banner(ws: Worksheet, text: str, width: int, font: Font, fill: PatternFill | None = None) -> None:
    ws.append([text])
    text_only(ws)
    r = ws.max_row
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    cell = ws.cell(r, 1)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if fill is not None:
        cell.fill = fill
    ws.row_dimensions[r].height = 32 if len(text) > 90 else 18


def _targets(ws: Worksheet, title: str, targets: Sequence[TargetResult], lang: str) -> None:
    ws.append([])
    _banner(ws, title, 8, BOLD)
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
        r = _row(
            ws,
            [
                tr.title.get(lang),
                requirement(tr, lang),
                counted + amount(tr, tr.observed, lang),
                status_text(tr, lang),
                needed_text(tr, lang),
                tr.due_year,
                f"{tr.source.document}, {tr.source.section}",
            ],
        )
        ws.cell(r, 4).font = OK_FONT if tr.status == "met" else FAIL_FONT


def _summary(wb: Workbook, a: Appraisal, lang: str) -> None:
    ws = wb.active
    ws.title = t("summary", lang)
    cs = a.criteria_set
    _banner(
        ws,
        t("dossier_banner", lang),
        10,
        TITLE,
    )
    _banner(ws, f"{cs.title.get(lang)} — {cs.decision.number} — {a.year} — {a.source}", 10, BOLD)
    if a.uses_drafts:
        _banner(ws, draft_warning(a, lang), 10, WARN_FONT, WARN_FILL)
    if any(r.illustrative for r in a.results):
        _banner(ws, i18n.t("illustrative", lang), 10, ITALIC)
    for line in summary_lines(a, lang):
        _banner(ws, line, 10, BOLD)
    note = _detail_note(a, lang)
    if note:
        _banner(ws, note, 10, ITALIC)
    ws.append([])
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
        r = _row(
            ws,
            [
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
            ],
        )
        ws.cell(r, 6).number_format = "0.0"
        ws.cell(r, 7).font = OK_FONT if row.qualified else FAIL_FONT
    for pr in a.plans:
        _targets(ws, area_caption(pr, lang), pr.targets, lang)
    if a.diagnostics:
        ws.append([])
        _banner(
            ws,
            i18n.msg("appraisal.rejected_count", lang, n=a.rejected),
            10,
            FAIL_FONT,
        )
        for d in a.diagnostics:
            _banner(ws, d.format(), 10, Font(name=FONT, size=SIZE, color="9C0006"))
    print_setup(ws, (6, 9, 22, 14, 6, 8, 10, 14, 14, 60), True, header)


def _detail_note(a: Appraisal, lang: str) -> str | None:
    if len(a.results) <= DETAIL_LIMIT:
        return None
    return i18n.msg("appraisal.detail_limit", lang, limit=DETAIL_LIMIT)


def _score_sheet(wb: Workbook, r: CommuneResult, title: str, a: Appraisal, lang: str) -> None:
    ws = wb.create_sheet(title)
    c = r.commune
    place = ", ".join(x for x in (c.district, c.province) if x)
    _banner(ws, f"{t('score_sheet', lang).upper()} — {c.name} ({c.id})", 11, TITLE)
    _banner(
        ws,
        f"{place} — {i18n.t('zone', lang)} {c.zone}, {i18n.t(c.area, lang)} — {r.year} — "
        f"{r.criteria_set.id} ({r.criteria_set.decision})",
        11,
        BOLD,
    )
    if r.uses_drafts:
        _banner(ws, draft_warning(a, lang), 11, WARN_FONT, WARN_FILL)
    if r.illustrative:
        _banner(ws, i18n.t("illustrative", lang), 11, ITALIC)
    ws.append([])
    head_keys = ("criterion", "score", "max", "min_required")
    _row(ws, ["#", *(i18n.t(k, lang) for k in head_keys), t("qualified", lang)], bold=True, fill=HEAD_FILL)
    for cr in r.criteria:
        row = _row(
            ws,
            [
                cr.id,
                cr.name.get(lang),
                cr.score,
                cr.max,
                cr.min_required,
                t("yes" if cr.passed else "no", lang),
            ],
        )
        ws.cell(row, 3).number_format = "0.0#"
        ws.cell(row, 6).font = OK_FONT if cr.passed else FAIL_FONT
    row = _row(
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
    )
    ws.cell(row, 3).number_format = "0.0#"
    verdict = i18n.t("qualified" if r.qualified else "not_qualified", lang)
    _banner(
        ws,
        f"{verdict} — {i18n.t('total', lang)} {i18n.score(r.total_score, lang)}/{i18n.num(r.max_score, lang)}",
        11,
        OK_FONT if r.qualified else FAIL_FONT,
    )
    for reason in r.reasons:
        _banner(ws, f"• {reason.text(lang)}", 11, FAIL_FONT)
    ws.append([])
    head = t("indicator_header", lang).split("|")
    header = _row(ws, list(head), bold=True, fill=HEAD_FILL)
    detail = len(a.results) <= DETAIL_LIMIT
    for ind in (
        r.indicators if detail else [i for i in r.indicators if i.status in ("fail", "partial", "missing")]
    ):
        row = _row(
            ws,
            [
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
            ],
        )
        ws.cell(row, 5).font = OK_FONT if ind.status in ("pass", "not_applicable") else FAIL_FONT
    if a.commune_targets.get(c.id):
        _targets(ws, t("commune_targets", lang), a.commune_targets[c.id], lang)
    ws.append([])
    ws.append(
        [
            "",
            t("assessor", lang),
            "",
            "",
            "",
            "",
            t("council_chair", lang),
        ]
    )
    print_setup(ws, (7, 58, 6, 6, 12, 10, 12, 7, 22, 44, 9), True, header, max_pages=2)


def workbook(a: Appraisal, lang: str = "vi") -> Workbook:
    wb = Workbook()
    _register_styles(wb)
    _summary(wb, a, lang)
    used: set[str] = {wb.active.title}
    by_id = {x.commune.id: x for x in a.results}
    for k, row in enumerate(a.league, start=1):
        r = by_id[row.commune]
        _score_sheet(wb, r, _sheet_title(k, r.commune.name, used), a, lang)
    cache: dict[tuple[str, float, float, bool], int] = {}  # the same texts recur from commune to commune
    for ws in wb.worksheets:
        fit_rows(ws, cache)
    return wb


def workbook_bytes(a: Appraisal, lang: str = "vi") -> bytes:
    buf = io.BytesIO()
    workbook(a, lang).save(buf)
    return buf.getvalue()
