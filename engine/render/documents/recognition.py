"""The year's recognition documents from the register: the proposal (tờ trình) and the draft decision.

Renders only :class:`~engine.register.dossier.YearDecisions`: the communes by decision type (new,
maintained, re-recognised, withdrawn) with their scores, recognition years and validity, the legal
bases (the criteria sets' decisions) and, when decisions are recorded, their number and date. Both
are marked "DỰ THẢO" and say whether they list recorded decisions or proposals.
"""

from __future__ import annotations

from collections.abc import Mapping

from docx.document import Document as DocxDocument

from engine import i18n
from engine.i18n import msg
from engine.inputs.criteria import CriteriaSet
from engine.register.dossier import DecisionEntry, YearDecisions
from engine.register.rules import KINDS, DecisionKind
from engine.render.documents import layout
from engine.render.documents.layout import Signer
from engine.render.documents.tables import Column, Row, data_table
from engine.render.documents.words import (
    Options,
    date_text,
    decision_ref,
    heading,
    number_blank,
    province_body,
    warnings,
)

ROMAN = ("I", "II", "III", "IV")


def kind_label(kind: DecisionKind | None, lang: str) -> str:
    return msg(f"documents.kind_{kind or 'none'}", lang)


def province_of(yd: YearDecisions) -> str:
    names = sorted({e.province for e in yd.entries + yd.without_decision if e.province})
    return ", ".join(names) or "……"


def legal_bases(yd: YearDecisions, sets: Mapping[str, CriteriaSet], lang: str) -> list[str]:
    """'Căn cứ Quyết định số …' for each criteria set the year's evaluations used, and its amendments."""
    out = []
    used = sorted({(e.criteria_set_id, e.criteria_decision) for e in yd.evaluated if e.criteria_set_id})
    for set_id, number in used:
        cs = sets.get(set_id or "")
        if cs is None:
            out.append(msg("documents.basis_number", lang, number=number or set_id))
            continue
        out.append(msg("documents.basis", lang, ref=decision_ref(cs.decision, lang)))
        out.extend(msg("documents.basis", lang, ref=decision_ref(d, lang)) for d in cs.amended_by)
    return out


def _warn(doc: DocxDocument, yd: YearDecisions, lang: str) -> None:
    total = max((e.total_indicators for e in yd.evaluated), default=0)
    for text in warnings(lang, yd.draft_indicators, total, yd.illustrative):
        layout.warning(doc, text)
    if yd.recorded:
        layout.warning(
            doc,
            msg("documents.state_recorded", lang, year=str(yd.year), numbers=", ".join(yd.decision_numbers),
                dates=", ".join(date_text(d, lang) for d in yd.decision_dates)),
        )  # fmt: skip
    else:
        layout.warning(doc, msg("documents.state_proposed", lang, year=str(yd.year)))
    if yd.differing:
        layout.warning(doc, msg("documents.state_differing", lang, codes=", ".join(yd.differing)))


def _until(e: DecisionEntry, lang: str) -> str:
    if e.kind == "withdrawn":
        return "—"
    if e.valid_until is not None:
        return date_text(e.valid_until, lang)
    return msg("documents.valid_from_signing", lang, years=e.validity_years or 0)


def _list_table(doc: DocxDocument, yd: YearDecisions, lang: str) -> None:
    """The communes by decision type, one group of rows per type (the annex of the decision)."""
    width = layout.text_width_cm(doc)
    cols = [
        Column(msg("documents.col_no", lang), 0.9, "center"),
        Column(msg("documents.col_commune", lang), round(width - 0.9 - 2.6 - 1.5 - 2.6 - 1.8 - 2.6, 2)),
        Column(msg("documents.col_district", lang), 2.6),
        Column(msg("documents.col_points", lang), 1.5, "right"),
        Column(msg("documents.col_set", lang), 2.6),
        Column(msg("documents.col_recognised", lang), 1.8, "center"),
        Column(msg("documents.col_valid_until", lang), 2.6, "center"),
    ]
    rows: list[Row] = []
    groups = [k for k in KINDS if yd.of_kind(k)]
    for roman, kind in zip(ROMAN, groups, strict=False):
        entries = yd.of_kind(kind)
        rows.append(Row([msg("documents.group_row", lang, roman=roman, kind=kind_label(kind, lang), n=len(entries))],
                        bold=True, shaded=True, merge=True))  # fmt: skip
        for k, e in enumerate(entries, start=1):
            rows.append(
                Row(
                    [str(k), f"{e.name} ({e.commune})", e.district or "", _score(e, lang), e.criteria_decision or "—",
                     str(e.recognised_year) if e.recognised_year and kind != "withdrawn" else "—", _until(e, lang)]
                )
            )  # fmt: skip
    data_table(doc, cols, rows, size=10)


def _score(e: DecisionEntry, lang: str) -> str:
    return "—" if e.total_score is None else i18n.score(e.total_score, lang)


def _evaluated_table(doc: DocxDocument, yd: YearDecisions, lang: str) -> None:
    width = layout.text_width_cm(doc)
    cols = [
        Column(msg("documents.col_no", lang), 0.9, "center"),
        Column(msg("documents.col_commune", lang), 3.8),
        Column(msg("documents.col_points", lang), 1.5, "right"),
        Column(msg("documents.col_result", lang), 1.8, "center"),
        Column(msg("documents.col_proposal", lang), 2.6, "center"),
        Column(msg("documents.col_reason", lang), round(width - 0.9 - 3.8 - 1.5 - 1.8 - 2.6, 2)),
    ]
    rows = []
    for k, e in enumerate(yd.evaluated, start=1):
        result = msg("documents.result_pass" if e.qualified else "documents.result_fail", lang)
        why = "; ".join([e.reason.get(lang), *(r.get(lang) for r in e.reasons)])
        if e.waived:
            why += "; " + msg("documents.waived_list", lang, ids=", ".join(e.waived))
        rows.append(
            Row([str(k), f"{e.name} ({e.commune})", _score(e, lang), result, kind_label(e.kind, lang), why],
                red={3} if not e.qualified else set())
        )  # fmt: skip
    data_table(doc, cols, rows, size=10)


def proposal(yd: YearDecisions, sets: Mapping[str, CriteriaSet], opts: Options) -> DocxDocument:
    lang = opts.lang
    province = province_of(yd)
    committee = msg("documents.body_province_committee", lang, province=province_body(province, lang))
    doc = layout.new_document(opts.template)
    layout.draft_mark(doc, msg("documents.draft_mark", lang))
    layout.heading(
        doc,
        heading(lang, issuer=msg("documents.body_doh", lang), superior=committee, place=province,
                number=number_blank(msg("documents.suffix_proposal", lang))),
    )  # fmt: skip
    layout.title(
        doc, msg("documents.proposal_title", lang), msg("documents.proposal_summary", lang, year=str(yd.year))
    )
    layout.centered(doc, msg("documents.to", lang, body=committee), bold=False)
    _warn(doc, yd, lang)
    for basis in legal_bases(yd, sets, lang):
        layout.para(doc, basis, italic=True)
    layout.para(doc, msg("documents.basis_appraisal", lang, year=str(yd.year)), italic=True)
    layout.section(doc, msg("documents.sec_results", lang))
    evaluated = yd.evaluated
    qualified = sum(1 for e in evaluated if e.qualified)
    layout.para(
        doc,
        msg("documents.proposal_results", lang, year=str(yd.year), n=len(evaluated), q=qualified),
        keep=True,
    )
    _evaluated_table(doc, yd, lang)
    layout.section(doc, msg("documents.sec_proposal", lang))
    for kind in KINDS:
        entries = yd.of_kind(kind)
        if entries:
            names = ", ".join(f"{e.name} ({_score(e, lang)})" for e in entries)
            layout.para(
                doc,
                msg(
                    "documents.proposal_kind", lang, kind=kind_label(kind, lang), n=len(entries), names=names
                ),
            )
    if not yd.entries:
        layout.para(doc, msg("documents.proposal_nothing", lang, year=str(yd.year)))
    layout.para(doc, msg("documents.proposal_annex", lang), keep=True)
    _list_table(doc, yd, lang)
    layout.para(doc, msg("documents.proposal_closing", lang, body=committee))
    recipients = [msg("documents.recipients", lang), *msg("documents.proposal_recipients", lang).split("\n")]
    layout.signatures(doc, [Signer(msg("documents.sign_director", lang).split("\n"))], recipients)
    return doc


def decision(yd: YearDecisions, sets: Mapping[str, CriteriaSet], opts: Options) -> DocxDocument:
    lang = opts.lang
    province = province_of(yd)
    body = province_body(province, lang)
    committee = msg("documents.body_province_committee", lang, province=body)
    one_number = yd.decision_numbers[0] if len(yd.decision_numbers) == 1 else None
    one_date = yd.decision_dates[0] if len(yd.decision_dates) == 1 else None
    doc = layout.new_document(opts.template)
    layout.draft_mark(doc, msg("documents.draft_mark", lang))
    layout.heading(
        doc,
        heading(lang, issuer=committee, place=province, number=one_number or number_blank(msg("documents.suffix_decision", lang)),
                date=one_date),
    )  # fmt: skip
    layout.title(
        doc,
        msg("documents.decision_title_kind", lang),
        msg("documents.decision_summary", lang, year=str(yd.year)),
    )
    layout.centered(doc, msg("documents.decision_authority", lang, province=body).upper())
    _warn(doc, yd, lang)
    layout.para(doc, msg("documents.basis_authority", lang), italic=True)
    for basis in legal_bases(yd, sets, lang):
        layout.para(doc, basis, italic=True)
    layout.para(doc, msg("documents.basis_proposal", lang), italic=True)
    layout.centered(doc, msg("documents.decides", lang))
    article = 0
    groups = [k for k in KINDS if yd.of_kind(k)]
    for roman, kind in zip(ROMAN, groups, strict=False):
        article += 1
        layout.para(
            doc,
            msg(f"documents.article_{kind}", lang, n=article, count=len(yd.of_kind(kind)), year=str(yd.year),
                roman=roman),
        )  # fmt: skip
    if not groups:
        article += 1
        layout.para(doc, msg("documents.article_nothing", lang, n=article, year=str(yd.year)))
    validity = sorted({e.validity_years for e in yd.entries if e.validity_years and e.kind != "withdrawn"})
    if validity:
        article += 1
        years = ", ".join(str(v) for v in validity)
        layout.para(doc, msg("documents.article_validity", lang, n=article, years=years))
    article += 1
    layout.para(doc, msg("documents.article_effect", lang, n=article))
    recipients = [
        msg("documents.recipients", lang),
        msg("documents.decision_recipient_article", lang, n=article),
        *msg("documents.decision_recipients", lang).split("\n"),
    ]
    layout.signatures(doc, [Signer(msg("documents.sign_committee", lang).split("\n"))], recipients)
    layout.page_break(doc)
    layout.title(
        doc,
        msg("documents.annex_title", lang),
        msg("documents.annex_summary", lang, year=str(yd.year), number=one_number or "……"),
    )
    _list_table(doc, yd, lang)
    return doc
