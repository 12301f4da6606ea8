"""The annual review (:mod:`engine.register.review`) as JSON and as rich tables. Renders only."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.table import Table

from engine.i18n import decimal_point, msg
from engine.register.review import Review
from engine.register.rules import KIND_LABELS, KINDS
from engine.render.register import labelled_table

_SYMBOL = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "="}


def review_json(rv: Review) -> dict[str, Any]:
    return {
        "year": rv.year,
        "decisions_recorded": rv.recorded,
        "counts": {k: rv.counts.get(k, 0) for k in KINDS},
        "evaluated": rv.evaluated,
        "recognised": rv.recognised,
        "share_recognised_pct": {
            a: (None if (pct := rv.share(a)) is None else round(pct, 2)) for a in rv.evaluated
        },
        "draft_evaluations": rv.draft_evaluations,
        "targets": [
            {**asdict(t), "title": t.title.model_dump(), "note": t.note.texts() if t.note else None}
            for t in rv.targets
        ],
        "plans_note": rv.plans_note.texts() if rv.plans_note else None,
        "regressions": [asdict(r) for r in rv.regressions],
        "expiring_next_year": [{"code": c, "name": n, "valid_until": str(d)} for c, n, d in rv.expiring],
        "waivers_in_force": [w.model_dump(mode="json") for w in rv.waivers_in_force],
        "waivers_expired": [w.model_dump(mode="json") for w in rv.waivers_expired],
        "waivers_expiring_next_year": [w.model_dump(mode="json") for w in rv.waivers_expiring],
    }


def _shares(con: Console, rv: Review, lang: str) -> None:
    share = labelled_table(
        lang,
        msg("register.share_title", lang),
        "register.col_area",
        "register.col_recognised",
        "register.col_evaluated",
        "%",
    )
    for area in ("total", "urban", "rural"):
        if area not in rv.evaluated:
            continue
        s = rv.share(area)
        share.add_row(
            msg(f"register.area_{area}", lang),
            str(rv.recognised.get(area, 0)),
            str(rv.evaluated[area]),
            "—" if s is None else decimal_point(f"{s:.1f}", lang),
        )
    con.print(share)


def _targets(con: Console, rv: Review, lang: str) -> None:
    if rv.targets:
        tg = labelled_table(
            lang,
            msg("register.against_targets", lang),
            "register.col_plan",
            "register.col_target",
            "register.col_required",
            "register.col_due",
            "register.col_actual",
            "",
        )
        for t in rv.targets:
            tg.add_row(
                t.plan,
                t.title.get(lang),
                f"{_SYMBOL[t.comparator]} {decimal_point(f'{t.value:g}', lang)}",
                str(t.due_year),
                decimal_point(f"{t.actual:g}", lang) + (f" ({t.note.text(lang)})" if t.note else ""),
                "?" if t.note else ("✓" if t.met else "✗"),
            )
        con.print(tg)
    if rv.plans_note:
        con.print(rv.plans_note.text(lang), style="dim")


def _regressions(con: Console, rv: Review, lang: str) -> None:
    if not rv.regressions:
        con.print(msg("register.no_regression", lang))
        return
    tab = labelled_table(
        lang,
        msg("register.regressions", lang),
        "register.col_commune",
        "register.col_recognised_year",
        "register.col_indicator",
        "register.col_then",
        "register.col_now",
        "register.col_waived",
    )
    for r in rv.regressions:
        tab.add_row(
            f"{r.name} ({r.commune})",
            str(r.since_year),
            f"{r.indicator} ({r.fact})",
            r.before,
            r.now,
            msg("register.waived", lang) if r.waived else "",
        )
    con.print(tab)


def print_review(con: Console, rv: Review, lang: str) -> None:
    state = msg("register.review_recorded" if rv.recorded else "register.review_proposed", lang)
    con.print(f"[bold]{msg('register.review_title', lang, year=rv.year)}[/bold] — {state}")
    counts = Table(title=msg("register.by_type", lang))
    counts.add_column(msg("register.col_type", lang))
    counts.add_column(msg("register.col_communes", lang), justify="right")
    for k in KINDS:
        counts.add_row(KIND_LABELS[k].text(lang), str(rv.counts.get(k, 0)))
    con.print(counts)
    _shares(con, rv, lang)
    _targets(con, rv, lang)
    _regressions(con, rv, lang)
    next_year = rv.year + 1
    if rv.expiring:
        ex = Table(title=msg("register.expiring", lang, year=next_year))
        ex.add_column(msg("register.col_commune", lang))
        ex.add_column(msg("register.col_valid_until", lang))
        for code, name, until in rv.expiring:
            ex.add_row(f"{name} ({code})", f"{until:%d/%m/%Y}")
        con.print(ex)
    else:
        con.print(msg("register.none_expiring", lang, year=next_year))
    for title, ws in (
        (msg("register.waivers_in_force", lang), rv.waivers_in_force),
        (msg("register.waivers_expired", lang), rv.waivers_expired),
        (msg("register.waivers_expiring", lang, year=next_year), rv.waivers_expiring),
    ):
        if ws:
            con.print(f"[bold]{title}[/bold]")
            for w in ws:
                con.print(f"  • {w.commune}: {w.label(lang)}", highlight=False)
    if rv.draft_evaluations:
        con.print(msg("register.review_draft", lang, n=rv.draft_evaluations), style="bold yellow")
