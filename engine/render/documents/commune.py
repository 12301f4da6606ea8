"""Per commune: the score sheet (phiếu chấm điểm) and the appraisal minutes (biên bản thẩm định).

Renders only: every score, verdict, gap and action is the evaluation's (``CommuneResult``); the zone
check is the evaluation's too (the criteria set's zoning rule, ``CommuneResult.zone_check``).
Indicators are listed in the criteria set's order under their official number (1–47 in Decision
1300) with their id; drafts carry an asterisk.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from engine import i18n
from engine.evaluation.results import CommuneResult, IndicatorResult
from engine.i18n import msg
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import CommuneFacts
from engine.render import indicators as shown
from engine.render.documents import layout
from engine.render.documents.layout import Signer
from engine.render.documents.tables import Column, Row, data_table
from engine.render.documents.words import (
    Options,
    decision_ref,
    heading,
    number_blank,
    province_body,
    value,
    vnd,
)
from engine.render.documents.words import warnings as provenance_warnings


def points(value: float, lang: str) -> str:
    """Points as the scoring guide gives them: up to two decimals (0,75), totals aside (one decimal)."""
    return i18n.num(value, lang, 2)


def requirement(ind: IndicatorResult, lang: str) -> str:
    """What is required, in the words of every other output: the threshold with the zone, area or
    region it was chosen by, a condition over several facts, or the sub-items."""
    return shown.requirement(ind, lang) or "—"


def title(ind: IndicatorResult, lang: str) -> str:
    """The indicator's title, then its sub-items, each marked met, not met or unknown."""
    return "\n".join([ind.title.get(lang), *(shown.item_line(x, lang) for x in ind.items)])


def observed(ind: IndicatorResult, lang: str) -> str:
    """The observed value with its unit; the values of an indicator over several facts by label."""
    if isinstance(ind.observed, dict):
        return shown.observed(ind.observed, lang)
    return value(ind.observed, ind.unit, lang)


def verdict(ind: IndicatorResult, lang: str) -> str:
    parts = [i18n.t(ind.status, lang)]
    if ind.knockout:
        parts.append(msg("documents.knockout_mark", lang))
    if ind.waived:
        parts.append(msg("documents.waived_mark", lang))
    text = "; ".join(parts)
    if ind.gap is not None:
        text += "\n" + ind.gap.get(lang)
    return text


def zone_sentence(r: CommuneResult, f: CommuneFacts, lang: str) -> str:
    """The zone the Department of Health gave, the distance, and the zoning rule's finding on it."""
    zone, km = f.commune.zone, f.facilities.distance_to_hospital_km
    if r.zone_check is None:
        return msg("documents.zone_no_rule", lang, zone=zone)
    reason = r.zone_check.reason.text(lang)
    if km is None:
        return msg("documents.zone_checked", lang, zone=zone, reason=reason)
    return msg("documents.zone_checked_km", lang, zone=zone, km=i18n.num(km, lang), reason=reason)


def _council_heading(doc: DocxDocument, f: CommuneFacts, lang: str, number: str | None) -> None:
    place = f.commune.province
    layout.heading(
        doc,
        heading(
            lang,
            issuer=msg("documents.body_council", lang),
            superior=msg("documents.body_doh_of", lang, province=province_body(place, lang)),
            place=place,
            number=number,
        ),
    )


def _warn(doc: DocxDocument, r: CommuneResult, lang: str) -> None:
    for text in provenance_warnings(
        lang, r.criteria_set.draft_indicators, r.criteria_set.total_indicators, r.illustrative
    ):
        layout.warning(doc, text)


def _identity(doc: DocxDocument, r: CommuneResult, f: CommuneFacts, cs: CriteriaSet, lang: str) -> None:
    c = f.commune
    width = layout.text_width_cm(doc)
    rows = [
        (msg("documents.label_commune", lang), f"{c.name} ({c.code})"),
        (msg("documents.label_place", lang), ", ".join(x for x in (c.district, c.province) if x)),
        (msg("documents.label_area", lang), i18n.t(c.area, lang)),
        (msg("documents.label_population", lang), value(c.population, None, lang)),
        (msg("documents.label_villages", lang), value(c.villages, None, lang)),
        (msg("documents.label_zone", lang), zone_sentence(r, f, lang)),
        (msg("documents.label_year", lang), str(r.year)),
        (msg("documents.label_criteria", lang), f"{cs.title.get(lang)} — {decision_ref(cs.decision, lang)}"),
        (msg("documents.label_source", lang), r.source_file or "—"),
    ]
    data_table(
        doc,
        [
            Column(msg("documents.col_item", lang), 4.5),
            Column(msg("documents.col_content", lang), width - 4.5),
        ],
        [Row(list(x)) for x in rows],
    )


def _criteria_rows(r: CommuneResult, lang: str) -> list[Row]:
    rows = []
    for cr in r.criteria:
        ok = msg("documents.criterion_passed" if cr.passed else "documents.criterion_failed", lang)
        rows.append(
            Row(
                [cr.id, cr.name.get(lang), i18n.num(cr.max, lang), i18n.num(cr.min_required, lang),
                 points(cr.score, lang), ok],
                red={5} if not cr.passed else set(),
            )
        )  # fmt: skip
    total_ok = i18n.t("qualified" if r.qualified else "not_qualified", lang)
    rows.append(
        Row(
            ["", i18n.t("total", lang), i18n.num(r.max_score, lang), i18n.num(r.min_total, lang),
             i18n.score(r.total_score, lang), total_ok],
            bold=True,
            red={5} if not r.qualified else set(),
        )
    )  # fmt: skip
    return rows


def _criteria_table(doc: DocxDocument, r: CommuneResult, lang: str) -> None:
    width = layout.text_width_cm(doc)
    cols = [
        Column(msg("documents.col_no", lang), 1.0, "center"),
        Column(i18n.t("criterion", lang), width - 10.0),
        Column(msg("documents.col_max", lang), 1.8, "right"),
        Column(msg("documents.col_floor", lang), 2.0, "right"),
        Column(msg("documents.col_points", lang), 1.8, "right"),
        Column(msg("documents.col_verdict", lang), 3.4, "center"),
    ]
    data_table(doc, cols, _criteria_rows(r, lang))


def _indicator_rows(r: CommuneResult, lang: str) -> list[Row]:
    by_criterion: dict[str, list[tuple[int, IndicatorResult]]] = {}
    for n, ind in enumerate(r.indicators, start=1):
        by_criterion.setdefault(ind.criterion, []).append((n, ind))
    rows: list[Row] = []
    for cr in r.criteria:
        rows.append(
            Row(
                [msg("documents.criterion_row", lang, id=cr.id, name=cr.name, score=points(cr.score, lang),
                     max=cr.max, floor=cr.min_required)],
                bold=True,
                shaded=True,
                merge=True,
            )
        )  # fmt: skip
        for n, ind in by_criterion.get(cr.id, []):
            mark = "*" if ind.provenance == "draft" else ""
            failing = ind.status in ("fail", "missing") or (ind.status == "partial")
            rows.append(
                Row(
                    [str(ind.no or n), f"{ind.id}{mark}", title(ind, lang), observed(ind, lang),
                     requirement(ind, lang), points(ind.max_points, lang), points(ind.points, lang),
                     verdict(ind, lang)],
                    red={7} if failing else set(),
                )
            )  # fmt: skip
    rows.append(
        Row(
            ["", "", i18n.t("total", lang), "", "", i18n.num(r.max_score, lang), i18n.score(r.total_score, lang),
             i18n.t("qualified" if r.qualified else "not_qualified", lang)],
            bold=True,
            red={7} if not r.qualified else set(),
        )
    )  # fmt: skip
    return rows


def _indicator_table(doc: DocxDocument, r: CommuneResult, lang: str) -> None:
    width = layout.text_width_cm(doc)
    fixed = 0.8 + 1.1 + 1.9 + 1.9 + 1.1 + 1.1 + 2.9
    cols = [
        Column(msg("documents.col_no", lang), 0.8, "center"),
        Column(msg("documents.col_id", lang), 1.1, "center"),
        Column(i18n.t("indicator", lang), round(width - fixed, 2)),
        Column(msg("documents.col_observed", lang), 1.9),
        Column(msg("documents.col_required", lang), 1.9),
        Column(msg("documents.col_max", lang), 1.1, "right"),
        Column(msg("documents.col_points", lang), 1.1, "right"),
        Column(msg("documents.col_verdict", lang), 2.9),
    ]
    data_table(doc, cols, _indicator_rows(r, lang), size=10)


def _actions_table(doc: DocxDocument, r: CommuneResult, lang: str) -> None:
    width = layout.text_width_cm(doc)
    cols = [
        Column(i18n.t("indicator", lang), 1.4, "center"),
        Column(msg("documents.col_gap", lang), 3.6),
        Column(msg("documents.col_action", lang), round(width - 1.4 - 3.6 - 3.0 - 1.5 - 2.4, 2)),
        Column(i18n.t("responsible", lang), 3.0),
        Column(msg("documents.col_months", lang), 1.5, "center"),
        Column(msg("documents.col_cost", lang), 2.4, "right"),
    ]
    rows = []
    for item in r.remediation:
        gap = item.gap.get(lang) if item.gap else ""
        if item.knockout:
            gap = f"{msg('documents.knockout_mark', lang)}: {gap}"
        for k, a in enumerate(item.actions or [None]):
            if a is None:
                rows.append(Row([item.indicator, gap, "—", "", "", ""]))
                continue
            rows.append(
                Row(
                    [item.indicator if k == 0 else "", gap if k == 0 else "", a.action.get(lang),
                     a.responsible.get(lang), str(a.lead_time_months), vnd(a.cost_vnd, lang)],
                )
            )  # fmt: skip
    data_table(doc, cols, rows, size=10)


def _verdict(doc: DocxDocument, r: CommuneResult, lang: str) -> None:
    key = "documents.verdict_qualified" if r.qualified else "documents.verdict_not_qualified"
    layout.para(
        doc,
        msg(key, lang, name=r.commune.name, score=i18n.score(r.total_score, lang), max=r.max_score),
        bold=True,
    )
    layout.bullets(doc, (reason.get(lang) for reason in r.reasons))


def score_sheet(r: CommuneResult, f: CommuneFacts, cs: CriteriaSet, opts: Options) -> DocxDocument:
    lang = opts.lang
    doc = layout.new_document(opts.template)
    _council_heading(doc, f, lang, None)
    layout.title(
        doc,
        msg("documents.score_sheet_title", lang),
        msg("documents.score_sheet_summary", lang, name=r.commune.name, year=str(r.year)),
    )
    _warn(doc, r, lang)
    layout.section(doc, msg("documents.sec_identity", lang))
    _identity(doc, r, f, cs, lang)
    layout.section(doc, msg("documents.sec_scores", lang))
    _indicator_table(doc, r, lang)
    layout.para(
        doc,
        msg(
            "documents.draft_asterisk",
            lang,
            n=r.criteria_set.draft_indicators,
            total=r.criteria_set.total_indicators,
        ),
        italic=True,
    )
    layout.section(doc, msg("documents.sec_verdict", lang))
    _verdict(doc, r, lang)
    if r.remediation:
        layout.section(doc, msg("documents.sec_gaps", lang))
        _actions_table(doc, r, lang)
        layout.para(doc, msg("documents.costs_indicative", lang), italic=True)
    layout.signatures(
        doc,
        [
            Signer([msg("documents.sign_assessor", lang)], msg("documents.sign_note", lang)),
            Signer([msg("documents.sign_council_chair", lang)], msg("documents.sign_note", lang)),
        ],
    )
    return doc


def minutes(r: CommuneResult, f: CommuneFacts, cs: CriteriaSet, opts: Options) -> DocxDocument:
    lang = opts.lang
    c = f.commune
    doc = layout.new_document(opts.template)
    _council_heading(doc, f, lang, number_blank(msg("documents.suffix_minutes", lang)))
    layout.title(
        doc,
        msg("documents.minutes_title", lang),
        msg("documents.minutes_summary", lang, name=c.name, year=str(r.year)),
    )
    _warn(doc, r, lang)
    place = ", ".join(x for x in (c.name, c.district, c.province) if x)
    layout.para(
        doc,
        msg(
            "documents.minutes_opening",
            lang,
            place=place,
            decision=decision_ref(cs.decision, lang),
            year=str(r.year),
        ),
    )
    layout.section(doc, msg("documents.sec_members", lang))
    layout.para(doc, msg("documents.members_council", lang))
    for role in ("chair", "secretary", "member", "member", "member"):
        layout.para(doc, msg("documents.member_line", lang, role=msg(f"documents.role_{role}", lang)))
    layout.para(doc, msg("documents.members_commune", lang, name=c.name))
    for role in ("commune_chair", "station_head"):
        layout.para(doc, msg("documents.member_line", lang, role=msg(f"documents.role_{role}", lang)))
    layout.section(doc, msg("documents.sec_content", lang))
    layout.para(doc, msg("documents.minutes_general", lang), bold=True, keep=True)
    _identity(doc, r, f, cs, lang)
    layout.para(doc, msg("documents.minutes_by_criterion", lang), bold=True, keep=True)
    _criteria_table(doc, r, lang)
    layout.para(doc, msg("documents.minutes_failing", lang), bold=True)
    failing = [i for i in r.indicators if i.status in ("fail", "partial", "missing")]
    if not failing:
        layout.para(doc, msg("documents.minutes_none_failing", lang))
    for ind in failing:
        layout.para(
            doc,
            msg("documents.minutes_indicator", lang, id=ind.id, title=ind.title, status=verdict(ind, lang).replace("\n", " — "),
                observed=observed(ind, lang), required=requirement(ind, lang)),
        )  # fmt: skip
    layout.para(doc, msg("documents.minutes_detail", lang), italic=True)
    layout.section(doc, msg("documents.sec_conclusion", lang))
    _verdict(doc, r, lang)
    layout.section(doc, msg("documents.sec_recommendations", lang))
    if r.qualified:
        layout.para(doc, msg("documents.recommend_recognise", lang, name=c.name, year=str(r.year)))
    for item in r.remediation:
        actions = "; ".join(
            msg("documents.action_brief", lang, action=a.action, responsible=a.responsible,
                months=a.lead_time_months, cost=vnd(a.cost_vnd, lang))
            for a in item.actions
        )  # fmt: skip
        gap = item.gap.get(lang) if item.gap else ""
        layout.para(
            doc, msg("documents.recommend_item", lang, id=item.indicator, gap=gap, actions=actions or "—")
        )
    if r.remediation:
        layout.para(doc, msg("documents.costs_indicative", lang), italic=True)
    layout.para(doc, msg("documents.minutes_closing", lang))
    layout.signatures(
        doc,
        [
            Signer([msg("documents.sign_commune", lang)], msg("documents.sign_note", lang)),
            Signer([msg("documents.sign_secretary", lang)], msg("documents.sign_note", lang)),
            Signer([msg("documents.sign_council_chair", lang)], msg("documents.sign_note", lang)),
        ],
    )
    layout.centered(doc, msg("documents.sign_members", lang))
    layout.signatures(
        doc, [Signer([], msg("documents.sign_note", lang), f"{k}. ……………………") for k in range(1, 4)]
    )
    return doc
