"""Results as rich tables for the terminal. Renders only; computes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from engine import i18n
from engine.evaluation.results import CommuneResult
from engine.i18n import t
from engine.render import indicators as shown

_STATUS_STYLE = {
    "pass": "green",
    "partial": "yellow",
    "fail": "red",
    "missing": "magenta",
    "not_applicable": "dim",
}


def status_text(status: str, lang: str) -> RichText:
    return RichText(t(status, lang), style=_STATUS_STYLE.get(status, ""))


def draft_warning(n: int, total: int, lang: str) -> Panel:
    return Panel(t("drafts", lang, n=n, total=total), style="bold yellow", border_style="yellow")


def commune_view(r: CommuneResult, lang: str) -> Group:
    c = r.commune
    place = ", ".join(x for x in (c.district, c.province) if x)
    head = RichText.assemble(
        (f"{c.name}", "bold"),
        f" ({c.id}) — {place} — {t('zone', lang)} {c.zone}, {t(c.area, lang)} — {r.year}\n",
        (f"{r.criteria_set.id} · {r.criteria_set.decision} · #{r.criteria_set.hash}", "dim"),
    )
    parts: list[object] = [head]
    if r.zone_check is not None and r.zone_check.finding != "agrees":
        style = "yellow" if r.zone_check.finding == "undetermined" else "bold yellow"
        parts.append(
            RichText(f"{i18n.msg('criteria.zone_check', lang)}: {r.zone_check.reason.get(lang)}", style=style)
        )
    if r.illustrative:
        parts.append(RichText(t("illustrative", lang), style="italic dim"))
    if r.uses_drafts:
        parts.append(draft_warning(r.criteria_set.draft_indicators, r.criteria_set.total_indicators, lang))

    crit = Table(title=None, show_lines=False, expand=False)
    crit.add_column("#", justify="right")
    crit.add_column(t("criterion", lang))
    crit.add_column(t("score", lang), justify="right")
    crit.add_column(t("max", lang), justify="right")
    crit.add_column(t("min_required", lang), justify="right")
    crit.add_column("", justify="center")
    for cr in r.criteria:
        crit.add_row(
            cr.id,
            cr.name.get(lang),
            i18n.score(cr.score, lang),
            i18n.num(cr.max, lang),
            i18n.num(cr.min_required, lang),
            RichText("✓", style="green") if cr.passed else RichText("✗", style="bold red"),
        )
    crit.add_row(
        "",
        RichText(t("total", lang), style="bold"),
        RichText(i18n.score(r.total_score, lang), style="bold"),
        i18n.num(r.max_score, lang),
        i18n.num(r.min_total, lang),
        "",
    )
    parts.append(crit)

    by_id = {i.id: i for i in r.indicators}
    if r.remediation:
        gaps = Table(title=t("gaps_title", lang), show_lines=True, expand=True)
        gaps.add_column(t("indicator", lang), ratio=3, min_width=20)
        gaps.add_column(t("status", lang), ratio=1)
        gaps.add_column(t("observed", lang), justify="right", ratio=1)
        gaps.add_column(t("required", lang), ratio=2)
        gaps.add_column(t("gap", lang), ratio=2)
        gaps.add_column(t("action", lang), ratio=3)
        for item in r.remediation:
            ind = by_id[item.indicator]
            label = RichText(f"{shown.label(ind, lang)} ", style="bold")
            label.append(ind.title.get(lang))
            if ind.knockout:
                label.append(f" [{t('knockout', lang)}]", style="bold red")
            for x in ind.items:
                label.append(f"\n  {shown.item_line(x, lang)}")
            label.append(f"\n{shown.provenance(ind, lang, short=True)}", style="dim")
            actions = "\n".join(
                f"• {a.action.get(lang)} — {a.responsible.get(lang)}, {a.lead_time_months} "
                f"{t('months', lang)}, {t('vnd', lang, amount=a.cost_vnd)}"
                for a in item.actions
            )
            gaps.add_row(
                label,
                status_text(ind.status, lang),
                shown.observed(ind.observed, lang),
                shown.requirement(ind, lang),
                ind.gap.text(lang) if ind.gap else "",
                actions,
            )
        parts.append(gaps)

    verdict = t("qualified" if r.qualified else "not_qualified", lang)
    line = RichText(
        f"{verdict} — {t('total', lang)} {i18n.score(r.total_score, lang)}/{i18n.num(r.max_score, lang)}",
        style="bold green" if r.qualified else "bold red",
    )
    for reason in r.reasons:
        line.append(f"\n  • {reason.text(lang)}", style="red")
    parts.append(line)
    return Group(*parts)  # type: ignore[arg-type]


def print_results(console: Console, results: Sequence[CommuneResult], lang: str) -> None:
    for k, r in enumerate(results):
        if k:
            console.rule()
        console.print(commune_view(r, lang))
    if len(results) > 1:
        ok = sum(r.qualified for r in results)
        console.rule()
        console.print(
            RichText(
                i18n.msg("evaluation.communes_qualify", lang, qualified=ok, total=len(results)),
                style="bold",
            )
        )
    if len(results) > 1 and any(r.uses_drafts for r in results):
        r0 = next(r for r in results if r.uses_drafts)
        console.print(draft_warning(r0.criteria_set.draft_indicators, r0.criteria_set.total_indicators, lang))
