"""The appraisal dossier as one self-contained HTML page: inline CSS and SVG, no network, no script.

League table, a bar chart of the scores with the 80-point line, a heat map of criterion scores across
communes, the area against its plans, and every commune's score sheet. The draft-indicator warning
stands at the top of the page and on every score sheet.
"""

from __future__ import annotations

import io
from functools import lru_cache
from html import escape
from typing import BinaryIO

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.appraisal.targets import TargetResult
from engine.evaluation.batch import fanout
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

CSS = """
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:24px;color:#222;font-size:14px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:2px solid #4472c4}h3{font-size:16px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
th{background:#ddebf7}td.num{text-align:right}.ok{color:#006100;font-weight:bold}.ko{color:#c00000;font-weight:bold}
.warning{background:#ffeb9c;color:#9c0006;border:2px solid #9c0006;padding:10px;font-weight:bold;margin:10px 0}
.note{font-style:italic;color:#555}.summary li{font-weight:bold}
section.score-sheet{page-break-before:always;margin-top:28px}
svg text{font-family:inherit;font-size:11px}
@media print{.warning{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


# Escaping a text is pure: the same texts (titles, statuses, requirements) recur on every score sheet.
_escape = lru_cache(maxsize=1 << 14)(escape)


def _e(x: object) -> str:
    return "" if x is None else _escape(x if type(x) is str else str(x))


def _g(value: float, lang: str) -> str:
    return i18n.decimal_point(f"{value:g}", lang)


def _colour(share: float) -> str:
    """Red (0) through yellow (0.5) to green (1)."""
    s = max(0.0, min(1.0, share))
    if s < 0.5:
        r, g = 220, int(60 + 340 * s)
    else:
        r, g = int(220 - 340 * (s - 0.5)), 200
    return f"rgb({r},{g},70)"


def bar_chart(a: Appraisal, lang: str) -> str:
    rows = a.league
    top = max((r.max_score for r in rows), default=100.0) or 100.0
    line_at = a.results[0].min_total if a.results else 80.0
    label_w, plot_w, bar_h, gap = 180, 560, 18, 6
    height = 30 + len(rows) * (bar_h + gap) + 20
    x80 = label_w + plot_w * line_at / top
    parts = [
        f'<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" width="{label_w + plot_w + 60}" '
        f'height="{height}" role="img" aria-label="{_e(t("chart", lang))}">'
    ]
    for k, row in enumerate(rows):
        y = 20 + k * (bar_h + gap)
        w = plot_w * row.score / top
        colour = "#4caf50" if row.qualified else "#e53935"
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{_e(row.name)}</text>')
        parts.append(
            f'<rect class="bar" data-code="{_e(row.commune)}" data-score="{row.score:.2f}" x="{label_w}" '
            f'y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
        )
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{_e(i18n.score(row.score, lang))}</text>')
    bottom = 20 + len(rows) * (bar_h + gap)
    parts.append(
        f'<line id="threshold-line" data-score="{line_at:g}" x1="{x80:.1f}" y1="10" x2="{x80:.1f}" '
        f'y2="{bottom}" stroke="#1f3864" stroke-width="2" stroke-dasharray="6,3"/>'
    )
    parts.append(
        f'<text x="{x80 + 4:.1f}" y="{bottom + 14}" fill="#1f3864">{line_at:g} {i18n.t("points_word", lang)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def heat_map(a: Appraisal, lang: str) -> str:
    by_id = {r.commune.id: r for r in a.results}
    crits = a.criteria_set.criteria
    label_w, cell_w, cell_h = 180, 46, 20
    width = label_w + cell_w * len(crits) + 10
    height = 30 + cell_h * len(a.league) + 10
    parts = [
        f'<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(t("heatmap", lang))}">'
    ]
    for j, c in enumerate(crits):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x:.0f}" y="16" text-anchor="middle"><title>{_e(c.name.get(lang))}</title>'
            f"{_e(i18n.msg('appraisal.criterion_short', lang, id=c.id))}</text>"
        )
    for k, row in enumerate(a.league):
        r = by_id[row.commune]
        y = 24 + k * cell_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(row.name)}</text>')
        for j, cr in enumerate(r.criteria):
            share = cr.score / cr.max if cr.max else 0.0
            x = label_w + j * cell_w
            stroke = ' stroke="#000" stroke-width="2"' if not cr.passed else ' stroke="#fff"'
            parts.append(
                f'<rect class="cell" data-code="{_e(r.commune.id)}" data-criterion="{_e(cr.id)}" '
                f'data-share="{share:.3f}" x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" '
                f'fill="{_colour(share)}"{stroke}><title>{_e(r.commune.name)} · {_e(cr.name.get(lang))}: '
                f"{cr.score:g}/{cr.max:g}</title></rect>"
                f'<text x="{x + cell_w / 2:.0f}" y="{y + 14}" text-anchor="middle">{_g(cr.score, lang)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _league(a: Appraisal, lang: str) -> str:
    heads = "".join(
        f"<th>{_e(t(k, lang))}</th>"
        for k in ("rank", "commune", "zone", "score", "below_floor", "knockouts", "qualified", "top_actions")
    )
    body = []
    for row in a.league:
        ok = (
            f'<td class="ok">{_e(t("yes", lang))}</td>'
            if row.qualified
            else f'<td class="ko">{_e(t("no", lang))}</td>'
        )
        actions = "<br>".join(f"• {_e(x.get(lang))}" for x in row.top_actions)
        body.append(
            f'<tr class="commune-row" data-code="{_e(row.commune)}"><td class="num">{row.rank}</td>'
            f'<td><a href="#sheet-{_e(row.commune)}">{_e(row.name)}</a></td><td class="num">{row.zone}</td>'
            f'<td class="num score">{_e(i18n.score(row.score, lang))}</td><td>{_e(", ".join(row.criteria_below_floor))}</td>'
            f"<td>{_e(', '.join(row.knockouts_failed))}</td>{ok}<td>{actions}</td></tr>"
        )
    return f'<table id="league"><thead><tr>{heads}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _targets(targets: list[TargetResult], lang: str, cls: str) -> str:
    heads = "".join(
        f"<th>{_e(t(k, lang))}</th>"
        for k in ("target", "required", "observed", "status", "needed", "due", "source")
    )
    rows = []
    for tr in targets:
        counted = (
            f"{tr.meeting}/{tr.communes} = " if tr.meeting is not None and tr.kind.startswith("share") else ""
        )
        css = "ok" if tr.status == "met" else "ko"
        rows.append(
            f'<tr data-target="{_e(tr.target)}" data-status="{tr.status}"><td>{_e(tr.title.get(lang))}</td>'
            f'<td>{_e(requirement(tr, lang))}</td><td class="num">{_e(counted + amount(tr, tr.observed, lang))}</td>'
            f'<td class="{css}">{_e(status_text(tr, lang))}</td><td class="num">{_e(needed_text(tr, lang))}</td>'
            f'<td class="num">{tr.due_year}</td><td>{_e(tr.source.document)}, {_e(tr.source.section)}</td></tr>'
        )
    return f'<table class="{cls}"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _sheet(r: CommuneResult, a: Appraisal, lang: str) -> str:
    c = r.commune
    verdict = i18n.t("qualified" if r.qualified else "not_qualified", lang)
    out = [
        f'<section class="score-sheet" id="sheet-{_e(c.id)}" data-total="{r.total_score:.2f}">',
        f"<h3>{_e(t('score_sheet', lang))}: {_e(c.name)} ({_e(c.id)})</h3>",
        f"<p>{_e(', '.join(x for x in (c.district, c.province) if x))} — {_e(i18n.t('zone', lang))} {c.zone} — {r.year}</p>",
    ]
    if r.uses_drafts:
        out.append(f'<div class="warning">{_e(draft_warning(a, lang))}</div>')
    rows = "".join(
        f'<tr data-criterion="{_e(cr.id)}"><td>{_e(cr.id)}</td><td>{_e(cr.name.get(lang))}</td>'
        f'<td class="num">{_e(i18n.score(cr.score, lang))}</td><td class="num">{cr.max:g}</td>'
        f'<td class="num">{_e(i18n.num(cr.min_required, lang))}</td><td class="{"ok" if cr.passed else "ko"}">'
        f"{'✓' if cr.passed else '✗'}</td></tr>"
        for cr in r.criteria
    )
    total = (
        f'<tr class="total"><td></td><th>{_e(i18n.t("total", lang))}</th><th class="num">{_e(i18n.score(r.total_score, lang))}</th>'
        f'<th class="num">{r.max_score:g}</th><th class="num">{r.min_total:g}</th><th></th></tr>'
    )
    out.append(
        f'<table class="criteria"><thead><tr><th>#</th><th>{_e(i18n.t("criterion", lang))}</th>'
        f"<th>{_e(i18n.t('score', lang))}</th><th>{_e(i18n.t('max', lang))}</th>"
        f"<th>{_e(i18n.t('min_required', lang))}</th><th></th></tr></thead><tbody>{rows}{total}</tbody></table>"
    )
    out.append(f'<p class="{"ok" if r.qualified else "ko"} verdict">{_e(verdict)}</p>')
    out.extend(f'<p class="ko">• {_e(x.text(lang))}</p>' for x in r.reasons)
    gaps = [i for i in r.indicators if i.status in ("fail", "partial", "missing")]
    if gaps:
        body = "".join(
            f"<tr><td>{_e(shown.label(i, lang))}</td><td>{_e(i.title.get(lang))}{' [' + _e(i18n.t('knockout', lang)) + ']' if i.knockout else ''}</td>"
            f"<td>{_e(i18n.t(i.status, lang))}</td><td>{_e(shown.observed(i.observed, lang))}</td>"
            f"<td>{_e(shown.requirement(i, lang))}</td><td>{_e(i.gap.text(lang) if i.gap else '')}</td>"
            f"<td>{'<br>'.join('• ' + _e(x.action.get(lang)) for x in i.remediation)}</td></tr>"
            for i in gaps
        )
        out.append(
            f'<h4>{_e(i18n.t("gaps_title", lang))}</h4><table class="gaps"><thead><tr><th>#</th>'
            f"<th>{_e(i18n.t('indicator', lang))}</th><th>{_e(i18n.t('status', lang))}</th><th>{_e(i18n.t('observed', lang))}</th>"
            f"<th>{_e(i18n.t('required', lang))}</th><th>{_e(i18n.t('gap', lang))}</th><th>{_e(i18n.t('action', lang))}</th>"
            f"</tr></thead><tbody>{body}</tbody></table>"
        )
    if a.commune_targets.get(c.id):
        out.append(
            f"<h4>{_e(t('commune_targets', lang))}</h4>"
            + _targets(a.commune_targets[c.id], lang, "commune-targets")
        )
    out.append("</section>")
    return "".join(out)


def _head(a: Appraisal, lang: str) -> str:
    """The page up to the communes' score sheets."""
    cs = a.criteria_set
    title = t("dossier_title", lang)
    body = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_e(title)} — {a.year}</title>'
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(cs.title.get(lang))} — {_e(cs.decision.number)} — {a.year} — {_e(a.source)}</p>",
    ]
    if a.uses_drafts:
        body.append(f'<div class="warning" id="draft-warning">{_e(draft_warning(a, lang))}</div>')
    if any(r.illustrative for r in a.results):
        body.append(f'<p class="note" id="illustrative">{_e(i18n.t("illustrative", lang))}</p>')
    body.append(
        '<ul class="summary" id="summary">'
        + "".join(f"<li>{_e(x)}</li>" for x in summary_lines(a, lang))
        + "</ul>"
    )
    body.append(f"<h2>{_e(t('league', lang))}</h2>" + _league(a, lang))
    body.append(f"<h2>{_e(t('chart', lang))}</h2>" + bar_chart(a, lang))
    body.append(f"<h2>{_e(t('heatmap', lang))}</h2>" + heat_map(a, lang))
    for pr in a.plans:
        body.append(
            f"<h2>{_e(t('area_summary', lang))}</h2><p>{_e(area_caption(pr, lang))}</p>"
            + _targets(pr.targets, lang, "plan-targets")
        )
    if a.diagnostics:
        body.append(
            '<h2 class="ko">'
            + _e(t("rejected_title", lang))
            + '</h2><pre id="problems">'
            + _e("\n".join(d.format() for d in a.diagnostics))
            + "</pre>"
        )
    return "".join(body)


def _sheets(shared: tuple[Appraisal, str, list[CommuneResult]], start: int, stop: int) -> bytes:
    """The score sheets of the communes ``start:stop`` in league order, as UTF-8."""
    a, lang, ordered = shared
    return "".join(_sheet(r, a, lang) for r in ordered[start:stop]).encode("utf-8")


def write(a: Appraisal, lang: str, out: BinaryIO, workers: int | None = 1) -> None:
    """The page, written as it is rendered: the score sheets on ``workers`` processes."""
    out.write(_head(a, lang).encode("utf-8"))
    by_id = {r.commune.id: r for r in a.results}
    ordered = [by_id[row.commune] for row in a.league]
    for part in fanout(_sheets, (a, lang, ordered), len(ordered), workers):
        out.write(part)
    out.write(b"</body></html>\n")


def render(a: Appraisal, lang: str = "vi") -> str:
    buf = io.BytesIO()
    write(a, lang, buf)
    return buf.getvalue().decode("utf-8")
