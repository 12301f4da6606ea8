"""The appraisal as rich tables for the terminal: league table, area against plan, score sheets."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.appraisal.targets import TargetResult
from engine.evaluation.results import CommuneResult
from engine.render.appraisal_text import (
    amount,
    area_caption,
    counted,
    draft_warning,
    needed_text,
    requirement,
    status_text,
    summary_lines,
    t,
)

# Beyond this many communes the terminal shows the league table only; the dossier has every sheet.
MAX_SHEETS_ON_SCREEN = 40
_STYLE = {
    "met": "green",
    "not_met": "red",
    "incomplete": "yellow",
    "no_data": "magenta",
    "not_computable": "dim",
}


def league(a: Appraisal, lang: str) -> Table:
    tab = Table(title=t("league", lang), show_lines=False)
    for key, justify in (
        ("rank", "right"),
        ("commune", "left"),
        ("zone", "right"),
        ("score", "right"),
        ("below_floor", "left"),
        ("knockouts", "left"),
        ("qualified", "center"),
        ("top_actions", "left"),
    ):
        tab.add_column(t(key, lang), justify=justify)  # type: ignore[arg-type]
    for row in a.league:
        tab.add_row(
            str(row.rank),
            row.name,
            str(row.zone),
            i18n.score(row.score, lang),
            ", ".join(row.criteria_below_floor),
            ", ".join(row.knockouts_failed),
            RichText("✓", style="green") if row.qualified else RichText("✗", style="bold red"),
            "\n".join(f"• {x.get(lang)}" for x in row.top_actions),
        )
    return tab


def _target_row(tab: Table, tr: TargetResult, lang: str, first: str = "") -> None:
    cells = [first] if first else []
    tab.add_row(
        *cells,
        tr.title.get(lang),
        requirement(tr, lang),
        counted(tr, lang),
        amount(tr, tr.observed, lang),
        RichText(status_text(tr, lang), style=_STYLE[tr.status]),
        needed_text(tr, lang),
        str(tr.due_year),
    )


def _target_table(title: str, lang: str, with_commune: bool = False) -> Table:
    tab = Table(title=title, title_justify="left")
    if with_commune:
        tab.add_column(t("commune", lang))
    for key in ("target", "required"):
        tab.add_column(t(key, lang))
    tab.add_column("n", justify="right")
    tab.add_column(t("observed", lang), justify="right")
    tab.add_column(t("status", lang))
    tab.add_column(t("needed", lang), justify="right")
    tab.add_column(t("due", lang), justify="right")
    return tab


def score_sheet(r: CommuneResult, lang: str) -> Table:
    verdict = i18n.t("qualified" if r.qualified else "not_qualified", lang)
    tab = Table(
        title=f"{t('score_sheet', lang)}: {r.commune.name} ({r.commune.id}) — {verdict}", title_justify="left"
    )
    tab.add_column("#", justify="right")
    tab.add_column(i18n.t("criterion", lang))
    tab.add_column(i18n.t("score", lang), justify="right")
    tab.add_column(i18n.t("max", lang), justify="right")
    tab.add_column(i18n.t("min_required", lang), justify="right")
    tab.add_column("", justify="center")
    for c in r.criteria:
        mark = RichText("✓", style="green") if c.passed else RichText("✗", style="bold red")
        tab.add_row(
            c.id,
            c.name.get(lang),
            i18n.score(c.score, lang),
            i18n.num(c.max, lang),
            i18n.num(c.min_required, lang),
            mark,
        )
    tab.add_row(
        "",
        i18n.t("total", lang),
        i18n.score(r.total_score, lang),
        i18n.num(r.max_score, lang),
        i18n.num(r.min_total, lang),
        "",
    )
    return tab


def print_appraisal(console: Console, a: Appraisal, lang: str) -> None:
    if a.uses_drafts:
        console.print(Panel(draft_warning(a, lang), style="bold yellow", border_style="yellow"))
    if any(r.illustrative for r in a.results):
        console.print(RichText(i18n.t("illustrative", lang), style="italic dim"))
    console.print(league(a, lang))
    for pr in a.plans:
        tab = _target_table(area_caption(pr, lang), lang)
        for tr in pr.targets:
            _target_row(tab, tr, lang)
        console.print(tab)
    if a.commune_targets:
        tab = _target_table(t("commune_targets", lang), lang, with_commune=True)
        names = {r.commune.id: r.commune.name for r in a.results}
        for code, targets in a.commune_targets.items():
            for tr in targets:
                _target_row(tab, tr, lang, first=names[code])
        console.print(tab)
    if len(a.results) <= MAX_SHEETS_ON_SCREEN:
        for r in sorted(a.results, key=lambda x: (-x.total_score, x.commune.name)):
            console.print(score_sheet(r, lang))
    else:
        console.print(t("sheets_in_dossier", lang))
    console.rule()
    for line in summary_lines(a, lang):
        console.print(RichText(line, style="bold"))
    if a.uses_drafts:
        console.print(Panel(draft_warning(a, lang), style="bold yellow", border_style="yellow"))
