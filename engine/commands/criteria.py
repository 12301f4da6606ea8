"""`commune-health criteria list|show|docs|facts|lint`: the criteria sets, readable, and checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table
from rich.text import Text as RichText

from engine import i18n
from engine.commands import zones
from engine.commands.args import add_lang, stdout_console
from engine.errors import Diagnostic, UserError
from engine.files import write_file
from engine.i18n import msg
from engine.inputs.cost_models import CostFile
from engine.inputs.criteria import CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.lint.files import Linted, lint_file
from engine.inputs.lint.registry import all_rules, ignorable
from engine.inputs.loader import available_sets, resolve_set
from engine.inputs.plan_models import Plan
from engine.render import criteria_text as words
from engine.render import lint_rules, markdown
from engine.render.indicators import cite
from engine.render.table import draft_warning

HELP = "list, show and lint criteria sets"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("criteria", help=HELP, description=HELP)
    cmds = p.add_subparsers(
        dest="criteria_command", required=True, metavar="{list,show,docs,facts,lint,zones}"
    )
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
    lint = cmds.add_parser(
        "lint",
        help="check criteria sets, plan files and cost files, and report every problem",
        description="Check criteria sets, plan files and cost files with the lint rules "
        "(docs/lint-rules.md) and report every problem as file:line:col: where: what [CODE].",
    )
    lint.add_argument("files", nargs="*", type=Path, metavar="FILE")
    lint.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help="skip a rule, by code (CS101) or name (point-sum); repeat or separate with commas",
    )
    lint.add_argument("--list", action="store_true", help="list the rules: code, name, summary")
    lint.add_argument("--docs", action="store_true", help="the reference of the rules as Markdown")
    lint.add_argument("--out", type=Path, help="with --docs: write to this file (atomically)")
    add_lang(lint)
    lint.set_defaults(run=run_lint)
    zones.register(cmds)


def run_list(args: argparse.Namespace) -> int:
    lang = args.lang
    tab = Table(
        "id",
        *(msg(f"criteria.{k}", lang) for k in ("decision", "in_force", "title", "indicators", "drafts")),
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
            msg(
                "criteria.rule",
                lang,
                min_total=rule.min_total,
                max=cs.max_points,
                share=rule.min_criterion_share,
                years=rule.validity_years,
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
        tab.add_column("#", no_wrap=True)
        tab.add_column(i18n.t("indicator", lang))
        tab.add_column(msg("criteria.fact", lang))
        tab.add_column(i18n.t("required", lang))
        tab.add_column(i18n.t("score", lang), justify="right")
        tab.add_column(i18n.t("knockout", lang), justify="center")
        tab.add_column(msg("criteria.provenance", lang))
        for ind in crit.indicators:
            prov = words.provenance_words(ind.provenance)
            reads = "\n".join(f"{facts[p].label(lang)}\n[dim]{p}[/dim]" for p in ind.reads)
            tab.add_row(
                f"{cite(ind.no, ind.id, lang)}\n[dim]{ind.id}[/dim]",
                ind.title.get(lang),
                reads,
                "\n".join(words.indicator_requirement(ind, lang)),
                i18n.num(ind.points, lang),
                "●" if ind.knockout else "",
                RichText(prov, style="yellow" if prov.startswith("draft") else "green"),
            )
        out.append(tab)
    if cs.zoning is not None:
        zt = Table(title=i18n.msg("criteria.zoning_title", lang), expand=True, title_justify="left")
        zt.add_column(i18n.t("zone", lang), justify="center")
        zt.add_column(i18n.msg("criteria.zoning_line", lang))
        zt.add_column(i18n.t("required", lang))
        for line in cs.zoning.rules:
            zt.add_row(str(line.zone), line.label.get(lang), words.condition_words(line.when, lang))
        out.append(zt)
        out.append(
            RichText(f"{cs.zoning.source} — {words.provenance_words(cs.zoning.provenance)}", style="dim")
        )
    return out


def run_show(args: argparse.Namespace) -> int:
    cs = resolve_set(args.id)
    console = stdout_console()
    for part in render_set(cs, args.lang):
        console.print(part)
    return 0


def run_markdown(text: str, out: Path | None) -> int:
    """Write generated Markdown to ``out`` (atomically), or print it."""
    if out:
        write_file(out, text)
    else:
        print(text, end="")
    return 0


def run_docs(args: argparse.Namespace) -> int:
    return run_markdown(markdown.render(resolve_set(args.id)), args.out)


def run_facts(args: argparse.Namespace) -> int:
    return run_markdown(markdown.render_facts(), args.out)


def _usage(key: str, lang: str) -> UserError:
    return UserError([Diagnostic("criteria lint", msg(f"lint.{key}", lang), msg(f"lint.{key}_hint", lang))])


def run_lint(args: argparse.Namespace) -> int:
    lang = args.lang
    ignore = ignorable(code for value in args.ignore for code in value.split(",") if code.strip())
    if (args.list or args.docs) and args.files:
        raise _usage("files_with_list", lang)
    if args.out is not None and not args.docs:
        raise _usage("out_without_docs", lang)
    if args.list:
        stdout_console().print(lint_rules.table(all_rules(), lang))
        return 0
    if args.docs:
        return run_markdown(lint_rules.markdown(all_rules()), args.out)
    if not args.files:
        raise _usage("no_files", lang)
    failed = False
    for f in args.files:
        linted = lint_file(f, ignore)
        if linted.diagnostics:
            failed = True
            print("\n".join(d.format() for d in linted.diagnostics))
            continue
        print(_ok(linted, lang))
        if ignore:
            print("  " + msg("lint.ignored", lang, codes=", ".join(sorted(ignore))))
    return 2 if failed else 0


def _ok(linted: Linted, lang: str) -> str:
    path, m = str(linted.path), linted.model
    if isinstance(m, Plan):
        return msg(
            "lint.ok_plan",
            lang,
            path=path,
            id=m.id,
            targets=len(m.targets),
            from_year=str(m.period.from_year),
            until_year=str(m.period.until_year),
        )
    if isinstance(m, CostFile):
        return msg(
            "lint.ok_costs", lang, path=path, province=m.province, set=m.criteria_set, actions=len(m.actions)
        )
    assert isinstance(m, CriteriaSet)
    return msg(
        "lint.ok_criteria",
        lang,
        path=path,
        id=m.id,
        criteria=len(m.criteria),
        indicators=len(m.indicators()),
        points=m.max_points,
        drafts=m.draft_count,
    )
