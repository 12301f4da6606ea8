"""Simulations, plans and area targets as rich tables. Renders only; computes nothing."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text as RichText

from engine import i18n
from engine.i18n import Message, t
from engine.planner.action_plan import ActionPlan, ActionPlanReport
from engine.planner.targeting import TargetReport
from engine.planner.whatif import Simulation
from engine.render import indicators as shown
from engine.render.table import draft_warning, status_text


def _t(key: str, lang: str) -> str:
    """A planner label (``planner.<key>``)."""
    return i18n.msg(f"planner.{key}", lang)


def _vnd(x: int | None, lang: str) -> str:
    return "—" if x is None else t("vnd", lang, amount=x)


def _verdict(q: bool, lang: str) -> RichText:
    return RichText(t("qualified" if q else "not_qualified", lang), style="bold green" if q else "bold red")


def _reasons(reasons: list[Message], lang: str) -> str:
    return "".join(f"\n  • {r.text(lang)}" for r in reasons)


def simulation_view(s: Simulation, lang: str) -> Group:
    parts: list[object] = [
        RichText.assemble((s.commune_name, "bold"), f" ({s.commune}) — {s.year} — {s.criteria_set}")
    ]
    if s.illustrative:
        parts.append(RichText(t("illustrative", lang), style="italic dim"))
    if s.draft_indicators:
        parts.append(draft_warning(s.draft_indicators, s.total_indicators, lang))
    ch = Table(title=_t("changes", lang))
    for col in ("fact", "before", "after"):
        ch.add_column(_t(col, lang))
    for change in s.changes:
        ch.add_row(
            f"{change.path}\n{change.label.get(lang)}",
            i18n.value(change.before, lang),
            i18n.value(change.after, lang),
        )
    parts.append(ch)
    if s.indicators:
        tb = Table(title=_t("changed_ind", lang))
        for col in ("indicator", "status"):
            tb.add_column(t(col, lang))
        tb.add_column(_t("before", lang) + " → " + _t("after", lang))
        tb.add_column(t("score", lang), justify="right")
        for d in s.indicators:
            label = RichText(f"{shown.cite(d.no, d.id, lang)} ", style="bold")
            label.append(d.title.get(lang))
            if d.knockout:
                label.append(f" [{t('knockout', lang)}]", style="bold red")
            status = status_text(d.status_before, lang)
            status.append(" → ")
            status.append_text(status_text(d.status_after, lang))
            tb.add_row(
                label,
                status,
                f"{shown.observed(d.observed_before, lang)} → {shown.observed(d.observed_after, lang)}",
                f"{i18n.score(d.points_before, lang)} → {i18n.score(d.points_after, lang)}",
            )
        parts.append(tb)
    else:
        parts.append(RichText(_t("nothing_changes", lang), style="dim"))
    if s.criteria:
        tc = Table(title=_t("changed_crit", lang))
        tc.add_column("#")
        tc.add_column(t("criterion", lang))
        tc.add_column(t("score", lang), justify="right")
        tc.add_column(t("min_required", lang), justify="right")
        for c in s.criteria:
            tc.add_row(
                c.id,
                c.name.get(lang),
                f"{i18n.score(c.before, lang)} → {i18n.score(c.after, lang)}",
                i18n.num(c.min_required, lang),
            )
        parts.append(tc)
    total = RichText(
        f"{t('total', lang)}: {i18n.score(s.total_before, lang)} → {i18n.score(s.total_after, lang)}\n",
        style="bold",
    )
    total.append(f"{_t('before', lang)}: ")
    total.append_text(_verdict(s.qualified_before, lang))
    total.append(_reasons(s.reasons_before, lang), style="red")
    total.append(f"\n{_t('after', lang)}: ")
    total.append_text(_verdict(s.qualified_after, lang))
    total.append(_reasons(s.reasons_after, lang), style="red")
    parts.append(total)
    parts.extend(RichText(f"• {n.text(lang)}", style="yellow") for n in s.notes)
    return Group(*parts)  # type: ignore[arg-type]


def plan_view(p: ActionPlan, lang: str, title: str) -> Group:
    bits = [f"{_t('cost', lang).lower()} {_vnd(p.cost_vnd, lang)}"]
    if p.actions:
        bits.append(f"{_t('completes', lang)} {p.completes} ({p.months} {t('months', lang)})")
    else:
        bits.append(_t("no_action", lang))
    bits.append(f"{_t('score_after', lang)} {i18n.score(p.total_after, lang)}")
    head = RichText(f"{title}: " + " — ".join(bits) + " — ", style="bold")
    head.append_text(_verdict(p.qualified_after, lang))
    tb = Table(show_lines=False)
    tb.add_column("#", justify="right")
    tb.add_column(t("action", lang))
    tb.add_column(_t("indicators", lang))
    tb.add_column(t("responsible", lang))
    tb.add_column(f"{_t('start', lang)}–{_t('end', lang)} ({_t('month', lang)})", justify="right")
    tb.add_column(t("cost", lang), justify="right")
    for k, a in enumerate(p.actions, start=1):
        tb.add_row(
            str(k),
            RichText.assemble((a.id, "bold"), f"\n{a.action.get(lang)}"),
            ", ".join(a.indicators),
            a.responsible.get(lang),
            f"{a.start_month}–{a.end_month}",
            i18n.num(a.cost_vnd, lang),
        )
    parts: list[object] = [head]
    if p.actions:
        parts.append(tb)
        parts.append(RichText(_t("parallel" if p.parallel else "sequential", lang), style="dim"))
    if p.changes:
        ch = RichText("")
        for c in p.changes:
            ch.append(f"  {c.id} ")
            ch.append_text(status_text(c.status_before, lang))
            ch.append(" → ")
            ch.append_text(status_text(c.status_after, lang))
            ch.append(f" ({i18n.score(c.points_before, lang)} → {i18n.score(c.points_after, lang)})\n")
        parts.append(ch)
    return Group(*parts)  # type: ignore[arg-type]


def plan_report_view(r: ActionPlanReport, lang: str) -> Group:
    parts: list[object] = [
        RichText.assemble((r.commune_name, "bold"), f" ({r.commune}) — {r.year} — {r.criteria_set}")
    ]
    if r.illustrative:
        parts.append(RichText(t("illustrative", lang), style="italic dim"))
    if r.draft_indicators:
        parts.append(draft_warning(r.draft_indicators, r.total_indicators, lang))
    parts.append(RichText(r.costs_note.text(lang), style="yellow"))
    c = r.constraints
    parts.append(
        RichText(
            f"{_t('limits', lang)}: {_t('budget', lang)} {_vnd(c.budget_vnd, lang) if c.budget_vnd is not None else _t('none', lang)}"
            f"; {_t('by', lang)} {c.by_year if c.by_year is not None else _t('none', lang)}"
            f"; {_t('start_year', lang)} 01/{c.start_year}"
        )
    )
    now = RichText(f"{t('total', lang)} {i18n.score(r.total_before, lang)} — ")
    now.append_text(_verdict(r.qualified_before, lang))
    now.append(_reasons(r.reasons_before, lang), style="red")
    parts.append(now)
    if r.assumptions:
        parts.append(RichText(_t("assume", lang) + ":" + _reasons(r.assumptions, lang), style="magenta"))
    if r.qualified_before:
        parts.append(RichText(_t("already", lang), style="bold green"))
    for p in r.plans:
        parts.append(plan_view(p, lang, f"{_t('plan', lang)} {p.rank}"))
    if not r.feasible:
        parts.append(RichText(_t("no_plan", lang), style="bold red"))
        parts.append(RichText(_t("blocks", lang) + ":" + _reasons(r.blockers, lang), style="red"))
        if r.best_reachable is not None:
            parts.append(plan_view(r.best_reachable, lang, _t("best", lang)))
    return Group(*parts)  # type: ignore[arg-type]


def target_view(r: TargetReport, lang: str) -> Group:
    parts: list[object] = [
        RichText.assemble((f"{_t('area', lang)}: {r.area}", "bold"), f" — {r.criteria_set}")
    ]
    if r.illustrative:
        parts.append(RichText(t("illustrative", lang), style="italic dim"))
    if r.draft_indicators:
        parts.append(draft_warning(r.draft_indicators, r.total_indicators, lang))
    parts.append(RichText(r.costs_note.text(lang), style="yellow"))
    spec = r.target
    goal = f"{i18n.num(spec.rate, lang, 2)} %" if spec.rate is not None else str(spec.count)
    strict = "> " if spec.strict else "≥ "
    line = f"{_t('target', lang)}: {strict}{goal} ({r.required}/{r.communes_total}) — {_t('by', lang)} {spec.by_year}"
    if spec.source:
        line += f"\n  {spec.source.text(lang)}"
    parts.append(RichText(line))
    parts.append(
        RichText(
            f"{_t('now', lang)}: {r.qualifying_now}/{r.communes_total} = {i18n.num(r.rate_now, lang, 2)} %; "
            f"{_t('needed', lang)}: {r.needed}; {_t('budget', lang)}: {_vnd(r.budget_vnd, lang)}"
        )
    )
    if r.selected:
        tb = Table(title=_t("selected", lang))
        tb.add_column("#", justify="right")
        tb.add_column(_t("commune", lang))
        tb.add_column(t("score", lang), justify="right")
        tb.add_column(t("action", lang))
        tb.add_column(_t("completes", lang))
        tb.add_column(t("cost", lang), justify="right")
        for k, o in enumerate(r.selected, start=1):
            assert o.plan is not None
            tb.add_row(
                str(k),
                f"{o.name} ({o.commune})",
                f"{i18n.score(o.total_before, lang)} → {i18n.score(o.plan.total_after, lang)}",
                ", ".join(a.id for a in o.plan.actions) or "—",
                o.plan.completes or "—",
                i18n.num(o.plan.cost_vnd, lang),
            )
        parts.append(tb)
    ph = Table(title=_t("phases", lang))
    for col in ("year", "new_q", "cum", "rate", "spend"):
        ph.add_column(_t(col, lang), justify="right" if col != "new_q" else "left")
    for y in r.phases:
        ph.add_row(
            str(y.year),
            ", ".join(y.qualifying) or "—",
            str(y.cumulative),
            f"{i18n.num(y.rate, lang, 2)} %",
            i18n.num(y.spend_vnd, lang),
        )
    parts.append(ph)
    verdict = RichText(
        f"{_t('reached' if r.reachable else 'not_reached', lang)} — {_t('total_cost', lang)} {_vnd(r.total_cost_vnd, lang)}",
        style="bold green" if r.reachable else "bold red",
    )
    if not r.reachable:
        verdict.append(
            f"\n  {r.best_count}/{r.communes_total} = {i18n.num(r.best_rate, lang, 2)} % "
            + _t("best_reachable", lang)
        )
    parts.append(verdict)
    if r.blocked:
        parts.append(
            RichText(
                _t("blocked", lang) + ": " + ", ".join(f"{o.name} ({o.commune})" for o in r.blocked),
                style="red",
            )
        )
    parts.extend(RichText(f"• {n.text(lang)}", style="yellow") for n in r.notes)
    return Group(*parts)  # type: ignore[arg-type]


def print_view(console: Console, view: Group) -> None:
    console.print(view)
