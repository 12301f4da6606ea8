"""`commune-health criteria list|show|lint`: the criteria sets, readable, and checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table
from rich.text import Text as RichText

from engine import i18n
from engine.commands.args import add_lang, stdout_console
from engine.errors import UserError
from engine.evaluation.remediation import requirement
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.loader import available_sets, load_criteria, resolve_set
from engine.inputs.yamlio import atomic_write
from engine.render import markdown
from engine.render.table import draft_warning

HELP = "list, show and lint criteria sets"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("criteria", help=HELP, description=HELP)
    cmds = p.add_subparsers(dest="criteria_command", required=True, metavar="{list,show,docs,facts,lint}")
    lst = cmds.add_parser("list", help="the criteria sets available")
    add_lang(lst)
    lst.set_defaults(run=run_list)
    show = cmds.add_parser("show", help="one criteria set as a readable table")
    show.add_argument("id", help="criteria set id or YAML file")
    add_lang(show)
    show.set_defaults(run=run_show)
    docs = cmds.add_parser("docs", help="generate the Markdown reference of a criteria set")
    docs.add_argument("id", help="criteria set id or YAML file")
    docs.add_argument("--out", type=Path, help="write to this file (atomically) instead of stdout")
    docs.set_defaults(run=run_docs)
    facts = cmds.add_parser("facts", help="the commune fact vocabulary as Markdown")
    facts.add_argument("--out", type=Path, help="write to this file (atomically) instead of stdout")
    facts.set_defaults(run=run_facts)
    lint = cmds.add_parser("lint", help="check criteria YAML files and report every problem")
    lint.add_argument("files", nargs="+", type=Path, metavar="FILE")
    lint.set_defaults(run=run_lint)


def run_list(args: argparse.Namespace) -> int:
    lang = args.lang
    tab = Table(
        "id",
        "Quyết định" if lang == "vi" else "Decision",
        "Hiệu lực" if lang == "vi" else "In force",
        "Tên" if lang == "vi" else "Title",
        "Chỉ tiêu" if lang == "vi" else "Indicators",
        "Dự thảo" if lang == "vi" else "Drafts",
    )
    for cs in sorted(available_sets().values(), key=lambda s: s.effective.from_year):
        until = cs.effective.until_year or "…"
        tab.add_row(
            cs.id,
            f"{cs.decision.number} ({cs.decision.date:%d/%m/%Y})",
            f"{cs.effective.from_year}–{until}",
            cs.title.get(lang),
            str(len(cs.indicators())),
            str(cs.draft_count),
        )
    stdout_console().print(tab)
    return 0


def render_set(cs: CriteriaSet, lang: str) -> list[object]:
    facts = catalogue()
    out: list[object] = [RichText.assemble((cs.title.get(lang), "bold"), f" — {cs.decision.number}")]
    if cs.draft_count:
        out.append(draft_warning(cs.draft_count, len(cs.indicators()), lang))
    rule = cs.recognition
    out.append(
        RichText(
            (
                f"Đạt khi: tổng điểm ≥ {rule.min_total:g}/{cs.max_points:g}; mỗi tiêu chí ≥ "
                f"{rule.min_criterion_share:.0%} điểm tối đa; không chỉ tiêu điểm liệt nào không đạt. "
                f"Hiệu lực công nhận {rule.validity_years} năm."
            )
            if lang == "vi"
            else (
                f"Qualifies when: total ≥ {rule.min_total:g}/{cs.max_points:g}; every criterion ≥ "
                f"{rule.min_criterion_share:.0%} of its maximum; no knockout indicator failed. "
                f"A recognition lasts {rule.validity_years} years."
            )
        )
    )
    for crit in cs.criteria:
        tab = Table(
            title=f"{crit.id}. {crit.name.get(lang)} ({i18n.num(crit.max_points, lang)} "
            f"{i18n.t('points_word', lang)})",
            expand=True,
            title_justify="left",
        )
        tab.add_column("id", no_wrap=True)
        tab.add_column(i18n.t("indicator", lang))
        tab.add_column("Số liệu" if lang == "vi" else "Fact")
        tab.add_column(i18n.t("required", lang))
        tab.add_column(i18n.t("score", lang), justify="right")
        tab.add_column(i18n.t("knockout", lang), justify="center")
        tab.add_column("Nguồn gốc" if lang == "vi" else "Provenance")
        for ind in crit.indicators:
            if isinstance(ind.threshold, dict):
                req = "; ".join(
                    f"{i18n.t('zone', lang)} {z}: {requirement(ind, v, lang)}"
                    for z, v in sorted(ind.threshold.items())
                )
            else:
                req = requirement(ind, ind.threshold, lang)
            bands = ", ".join(
                f"{requirement(ind, ind.band_threshold(b, 1), lang)} → {b.points:g}" for b in ind.partial
            )
            if bands:
                req += f"\n({'một phần' if lang == 'vi' else 'partial'}: {bands})"
            spec = facts[ind.fact]
            prov = ind.provenance.status
            if ind.provenance.confirmed_parts:
                prov += f" ({', '.join(ind.provenance.confirmed_parts)} ✓)"
            tab.add_row(
                ind.id,
                ind.title.get(lang),
                f"{spec.label(lang)}\n[dim]{ind.fact}[/dim]",
                req,
                i18n.num(ind.points, lang),
                "●" if ind.knockout else "",
                RichText(prov, style="yellow" if prov.startswith("draft") else "green"),
            )
        out.append(tab)
    return out


def run_show(args: argparse.Namespace) -> int:
    cs = resolve_set(args.id)
    console = stdout_console()
    for part in render_set(cs, args.lang):
        console.print(part)
    return 0


def run_docs(args: argparse.Namespace) -> int:
    text = markdown.render(resolve_set(args.id))
    if args.out:
        atomic_write(args.out, text)
    else:
        print(text, end="")
    return 0


def run_facts(args: argparse.Namespace) -> int:
    text = markdown.render_facts()
    if args.out:
        atomic_write(args.out, text)
    else:
        print(text, end="")
    return 0


def run_lint(args: argparse.Namespace) -> int:
    failed = False
    for f in args.files:
        try:
            cs = load_criteria(f)
        except UserError as exc:
            failed = True
            print(exc.format())
            continue
        print(
            f"{f}: OK — {cs.id}: {len(cs.criteria)} criteria, {len(cs.indicators())} indicators, "
            f"{cs.max_points:g} points, {cs.draft_count} draft"
        )
    return 2 if failed else 0
