"""The area's plan (kế hoạch) drafted from ``target``: objectives, communes, actions, phasing, budget.

Renders only. The objective, the communes to bring in, their cheapest qualifying plans (actions,
responsible bodies, months, costs), the phasing by year and the total cost are the planner's
(:class:`~engine.planner.targeting.TargetReport`); the communes to keep are those the appraisal
found qualifying. Always marked "DỰ THẢO": officials review, cost and sign it.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.i18n import msg
from engine.planner.targeting import CommuneOption, TargetReport
from engine.render.documents import layout
from engine.render.documents.layout import Signer
from engine.render.documents.tables import Column, Row, data_table
from engine.render.documents.words import (
    Options,
    decision_ref,
    heading,
    month_span,
    number_blank,
    province_body,
    vnd,
    warnings,
    years_text,
)


def area_names(a: Appraisal) -> tuple[str, str | None]:
    """(province, district) of the appraised communes; district None when they span several."""
    provinces = sorted({f.commune.province for f in a.facts})
    districts = sorted({f.commune.district or "" for f in a.facts})
    province = provinces[0] if len(provinces) == 1 else ", ".join(provinces)
    district = districts[0] if len(districts) == 1 and districts[0] else None
    return province, district


def objective(report: TargetReport, lang: str) -> str:
    spec = report.target
    if spec.rate is not None:
        goal = msg(
            "documents.goal_rate_strict" if spec.strict else "documents.goal_rate",
            lang,
            rate=i18n.num(spec.rate, lang, 2),
            year=str(spec.by_year),
        )
    else:
        goal = msg("documents.goal_count", lang, count=spec.count or 0, year=str(spec.by_year))
    return msg(
        "documents.plan_objective",
        lang,
        goal=goal,
        required=report.required,
        total=report.communes_total,
        now=report.qualifying_now,
        rate_now=i18n.num(report.rate_now, lang, 2),
        year=str(report.start_year - 1),
    )


def _names(options: list[CommuneOption]) -> dict[str, str]:
    return {o.commune: o.name for o in options}


def _commune_actions(doc: DocxDocument, k: int, o: CommuneOption, start: int, lang: str) -> None:
    assert o.plan is not None
    p = o.plan
    layout.para(
        doc,
        msg("documents.plan_commune", lang, n=k, name=o.name, code=o.commune, before=i18n.score(o.total_before, lang),
            after=i18n.score(p.total_after, lang), completes=p.completes),
        bold=True,
        keep=True,
    )  # fmt: skip
    width = layout.text_width_cm(doc)
    cols = [
        Column(msg("documents.col_no", lang), 0.8, "center"),
        Column(msg("documents.col_action", lang), round(width - 0.8 - 1.6 - 3.4 - 3.0 - 2.6, 2)),
        Column(i18n.t("indicator", lang), 1.6, "center"),
        Column(i18n.t("responsible", lang), 3.4),
        Column(msg("documents.col_period", lang), 3.0, "center"),
        Column(msg("documents.col_cost", lang), 2.6, "right"),
    ]
    rows = [
        Row(
            [str(j), a.action.get(lang), ", ".join(a.indicators), a.responsible.get(lang),
             month_span(start, a.start_month, a.end_month, lang), vnd(a.cost_vnd, lang)]
        )
        for j, a in enumerate(p.actions, start=1)
    ]  # fmt: skip
    rows.append(Row(["", msg("documents.subtotal", lang), "", "", "", vnd(p.cost_vnd, lang)], bold=True))
    data_table(doc, cols, rows, size=10)


def _phasing(doc: DocxDocument, report: TargetReport, lang: str) -> None:
    names = _names(report.selected)
    width = layout.text_width_cm(doc)
    cols = [
        Column(msg("documents.col_year", lang), 1.6, "center"),
        Column(msg("documents.col_new_communes", lang), round(width - 1.6 - 2.4 - 2.4 - 3.2, 2)),
        Column(msg("documents.col_cumulative", lang), 2.4, "right"),
        Column(msg("documents.col_rate", lang), 2.4, "right"),
        Column(msg("documents.col_spend", lang), 3.2, "right"),
    ]
    rows = [
        Row(
            [str(ph.year), ", ".join(names.get(c, c) for c in ph.qualifying) or "—",
             f"{ph.cumulative}/{report.communes_total}", f"{i18n.num(ph.rate, lang, 2)} %", vnd(ph.spend_vnd, lang)]
        )
        for ph in report.phases
    ]  # fmt: skip
    data_table(doc, cols, rows)


def _budget(doc: DocxDocument, report: TargetReport, lang: str) -> None:
    width = layout.text_width_cm(doc)
    cols = [
        Column(msg("documents.col_no", lang), 1.0, "center"),
        Column(msg("documents.col_commune", lang), round(width - 1.0 - 2.4 - 3.6, 2)),
        Column(msg("documents.col_actions", lang), 2.4, "right"),
        Column(msg("documents.col_cost", lang), 3.6, "right"),
    ]
    rows = [
        Row([str(k), o.name, str(len(o.plan.actions)), vnd(o.plan.cost_vnd, lang)])
        for k, o in enumerate(report.selected, start=1)
        if o.plan is not None
    ]
    rows.append(Row(["", msg("documents.total_cost", lang), "", vnd(report.total_cost_vnd, lang)], bold=True))
    data_table(doc, cols, rows)


def _organisation(doc: DocxDocument, report: TargetReport, lang: str) -> None:
    """Each responsible body with the actions it leads, in the order they first appear."""
    bodies: dict[str, list[str]] = {}
    for o in report.selected:
        for a in o.plan.actions if o.plan else []:
            bodies.setdefault(a.responsible.get(lang), []).append(
                msg("documents.org_action", lang, action=a.action, name=o.name)
            )
    for body, actions in bodies.items():
        layout.para(doc, msg("documents.org_body", lang, body=body, actions="; ".join(actions)))
    layout.para(doc, msg("documents.org_report", lang))


def plan_document(report: TargetReport, a: Appraisal, opts: Options) -> DocxDocument:
    lang = opts.lang
    province, district = area_names(a)
    issuer = (
        msg("documents.body_district_committee", lang, district=district)
        if district
        else msg("documents.body_province_committee", lang, province=province_body(province, lang))
    )
    period = years_text(report.start_year, report.target.by_year, lang)
    doc = layout.new_document(opts.template)
    layout.draft_mark(doc, msg("documents.draft_mark", lang))
    layout.heading(
        doc,
        heading(
            lang,
            issuer=issuer,
            place=district or province,
            number=number_blank(msg("documents.suffix_plan", lang)),
        ),
    )
    layout.title(doc, msg("documents.plan_title", lang), msg("documents.plan_summary", lang, period=period))
    for text in warnings(lang, report.draft_indicators, report.total_indicators, report.illustrative):
        layout.warning(doc, text)
    layout.warning(doc, msg("documents.plan_draft_note", lang, costs=report.costs_note))
    layout.para(
        doc, msg("documents.basis", lang, ref=decision_ref(a.criteria_set.decision, lang)), italic=True
    )
    if report.target.source is not None:
        layout.para(doc, msg("documents.basis_target", lang, source=report.target.source), italic=True)
    layout.para(
        doc,
        msg("documents.basis_evaluation", lang, year=str(a.year), n=len(a.results), source=a.source),
        italic=True,
    )
    layout.para(doc, msg("documents.plan_intro", lang, issuer=issuer, period=period))
    layout.section(doc, msg("documents.sec_objectives", lang))
    layout.para(doc, msg("documents.plan_general", lang))
    layout.para(doc, objective(report, lang))
    selected = [o for o in report.selected if o.plan is not None]
    if selected:
        layout.para(
            doc,
            msg(
                "documents.plan_to_qualify", lang, n=len(selected), names=", ".join(o.name for o in selected)
            ),
        )
    keep = [row for row in a.league if row.qualified]
    layout.para(
        doc,
        msg("documents.plan_to_keep", lang, n=len(keep), names=", ".join(row.name for row in keep) or "—"),
    )
    chosen = {o.commune for o in selected}
    later = [row.name for row in a.league if not row.qualified and row.commune not in chosen]
    if later:
        layout.para(doc, msg("documents.plan_not_planned", lang, n=len(later), names=", ".join(later)))
    if not report.reachable:
        layout.para(
            doc,
            msg(
                "documents.plan_unreachable",
                lang,
                best=report.best_count,
                rate=i18n.num(report.best_rate, lang, 2),
            ),
            bold=True,
        )
    for o in report.blocked:
        layout.para(doc, msg("documents.plan_blocked", lang, name=o.name))
    for note in report.notes:
        layout.para(doc, note.get(lang))
    layout.section(doc, msg("documents.sec_tasks", lang))
    if not selected:
        layout.para(doc, msg("documents.plan_no_actions", lang))
    for k, o in enumerate(selected, start=1):
        _commune_actions(doc, k, o, report.start_year, lang)
    layout.para(doc, msg("documents.plan_keep_tasks", lang))
    layout.section(doc, msg("documents.sec_phasing", lang))
    _phasing(doc, report, lang)
    layout.section(doc, msg("documents.sec_budget", lang))
    layout.para(doc, msg("documents.budget_total", lang, cost=vnd(report.total_cost_vnd, lang)), keep=True)
    _budget(doc, report, lang)
    layout.para(doc, report.costs_note.get(lang), italic=True)
    layout.section(doc, msg("documents.sec_organisation", lang))
    _organisation(doc, report, lang)
    recipients = [msg("documents.recipients", lang), *msg("documents.plan_recipients", lang).split("\n")]
    layout.signatures(doc, [Signer(msg("documents.sign_committee", lang).split("\n"))], recipients)
    return doc
