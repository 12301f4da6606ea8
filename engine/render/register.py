"""Register outputs as rich tables: decisions for the council, a commune's history, waivers.

Renders only; computes nothing. Every output that shows evaluations says when they used draft
indicators, and shows waived indicators.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from engine.i18n import msg, num, score
from engine.register.decisions import ApplySummary, Proposal
from engine.register.history import CommuneHistory
from engine.register.rules import KIND_LABELS
from engine.register.waivers import Waiver, expired


def labelled_table(lang: str, title: str, *cols: str) -> Table:
    """A table titled ``title``; each column a message id (``register.col_code``) or a symbol ("#", "%")."""
    tab = Table(title=title)
    for c in cols:
        tab.add_column(msg(c, lang) if "." in c else c)
    return tab


def print_decisions(
    con: Console, props: list[Proposal], summary: ApplySummary | None, head: str, lang: str
) -> None:
    tab = labelled_table(
        lang,
        head,
        "register.col_code",
        "register.col_commune",
        "register.col_score",
        "register.col_decision",
        "register.col_valid_until",
        "register.col_reason",
        "register.col_waived",
        "register.col_recorded",
    )
    for p in props:
        tab.add_row(
            p.commune,
            p.name,
            "—" if p.total_score is None else score(p.total_score, lang),
            KIND_LABELS[p.kind].text(lang) if p.kind else "—",
            f"{p.valid_until:%d/%m/%Y}" if p.valid_until else "—",
            p.reason.text(lang) + "".join(f"\n• {r.get(lang)}" for r in p.verdict_reasons),
            ", ".join(p.waived) or "",
            KIND_LABELS[p.recorded_kind].text(lang) if p.recorded_kind else "",
        )
    con.print(tab)
    counts: dict[str, int] = defaultdict(int)
    for p in props:
        if p.kind:
            counts[p.kind] += 1
    con.print(
        ", ".join(f"{KIND_LABELS[k].text(lang)}: {n}" for k, n in counts.items()) or "—", highlight=False
    )
    drafts = max((p.draft_indicators for p in props), default=0)
    if drafts:
        con.print(msg("register.decisions_draft", lang), style="bold yellow")
    if summary is not None:
        con.print(
            msg(
                "register.recorded",
                lang,
                created=len(summary.created),
                changed=len(summary.changed),
                unchanged=len(summary.unchanged),
                deleted=len(summary.deleted),
            ),
            highlight=False,
        )
        if summary.undecided_years:
            years = ", ".join(map(str, summary.undecided_years))
            con.print(msg("register.undecided_years", lang, years=years), style="yellow")
        if summary.later_years:
            years = ", ".join(map(str, summary.later_years))
            con.print(msg("register.later_years", lang, years=years), style="yellow")
    else:
        con.print(msg("register.not_recorded", lang), style="dim")


def history_json(h: CommuneHistory) -> dict[str, Any]:
    return {
        "code": h.code,
        "name": h.name,
        "province": h.province,
        "district": h.district,
        "predecessors": [{"code": c, "since_year": y} for c, y in h.predecessors],
        "successors": [{"code": c, "since_year": y} for c, y in h.successors],
        "evaluations": h.evaluations,
        "decisions": h.decisions,
        "audit": h.audit,
        "waivers": [w.model_dump(mode="json") for w in h.waivers],
    }


def print_history(con: Console, h: CommuneHistory, lang: str) -> None:
    place = ", ".join(x for x in (h.district, h.province) if x)
    con.print(RichText.assemble((h.name, "bold"), f" ({h.code}) — {place}"))
    for c, y in h.predecessors:
        con.print(msg("register.merged_from", lang, code=c, year=y), highlight=False)
    for c, y in h.successors:
        con.print(msg("register.merged_into", lang, code=c, year=y), highlight=False)
    ev = labelled_table(
        lang,
        msg("register.evaluations", lang),
        "#",
        "register.col_year",
        "register.col_code",
        "register.col_criteria_set",
        "register.col_score",
        "register.col_verdict",
        "register.col_waived",
        "register.col_appraiser",
        "register.col_drafts",
    )
    for e in h.evaluations:
        ev.add_row(
            str(e["id"]),
            str(e["year"]),
            e["code"],
            f"{e['criteria_set']} #{e['criteria_hash']}",
            f"{score(e['score'], lang)}/{num(e['max'], lang)}",
            msg("register.qualifies" if e["qualified"] else "register.does_not_qualify", lang),
            ", ".join(e["waived"]),
            e["appraiser"],
            f"{e['draft_indicators']}/{e['total_indicators']}",
        )
    con.print(ev)
    dec = labelled_table(
        lang,
        msg("register.decisions", lang),
        "register.col_year",
        "register.col_code",
        "register.col_decision",
        "register.col_number",
        "register.col_date",
        "register.col_valid_until",
    )
    for d in h.decisions:
        dec.add_row(
            str(d["year"]),
            d["code"],
            KIND_LABELS[d["kind"]].text(lang),
            d["number"],
            d["date"],
            d["valid_until"] or "—",
        )
    con.print(dec)
    if h.audit:
        au = labelled_table(
            lang,
            msg("register.audit", lang),
            "register.col_at",
            "register.col_who",
            "register.col_year",
            "register.col_action",
            "register.col_before",
            "register.col_after",
            "register.col_reason",
        )
        for a in h.audit:
            au.add_row(
                a["at"],
                a["actor"],
                str(a["year"]),
                a["action"],
                brief(a["old"]),
                brief(a["new"]),
                a["reason"] or "",
            )
        con.print(au)
    print_waivers(con, h.waivers, dt.date.today(), lang)
    if any(e["draft_indicators"] for e in h.evaluations):
        con.print(msg("register.history_draft", lang), style="bold yellow")


def brief(snap: dict | None) -> str:
    if not snap:
        return "—"
    return f"{snap.get('kind')} {snap.get('decision_number')} {snap.get('decision_date')} → {snap.get('valid_until')}"


def print_waivers(con: Console, waivers: list[Waiver], on: dt.date, lang: str) -> None:
    if not waivers:
        return
    old = {w.id for w in expired(waivers, on)}
    tab = labelled_table(
        lang,
        msg("register.waivers", lang),
        "id",
        "register.col_commune",
        "register.col_indicator",
        "register.col_reason",
        "register.col_approver",
        "register.col_from",
        "register.col_until",
        "register.col_state",
    )
    for w in waivers:
        state = msg(
            "register.state_revoked"
            if w.revoked_on
            else "register.state_expired"
            if w.id in old
            else "register.state_in_force",
            lang,
        )
        tab.add_row(
            str(w.id),
            w.commune,
            w.indicator,
            w.reason,
            w.approver,
            f"{w.granted_on:%d/%m/%Y}",
            f"{w.expires_on:%d/%m/%Y}",
            state,
        )
    con.print(tab)
