"""`commune-health plan FACTS`: the least-cost set of actions after which a commune qualifies."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from engine.commands.args import add_costs, check_start_year, report, stdout_console, vnd, whole, year
from engine.errors import UserError, has_errors
from engine.evaluation.evaluator import Evaluator
from engine.i18n import Message
from engine.inputs.costs import criteria_with_costs
from engine.inputs.criteria import CriteriaSet
from engine.inputs.loader import load_fact_files
from engine.planner.action_plan import plan_commune
from engine.render import plan_table

HELP = "the least-cost actions after which a commune qualifies (exact), with alternatives"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help=HELP, description=HELP)
    p.add_argument(
        "files", nargs="+", type=Path, metavar="FACTS", help="commune fact files, or folders of them"
    )
    p.add_argument("--budget", type=vnd, metavar="VND", help="the most the plan may cost")
    p.add_argument("--by", type=year, metavar="YEAR", help="every action must be done by the end of YEAR")
    p.add_argument(
        "--top",
        type=whole(1, 50, "3"),
        default=3,
        metavar="K",
        help="how many plans to show (1 to 50, default 3)",
    )
    add_costs(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded, problems = load_fact_files(args.files)
    reports = []
    # A bad file never hides the others: every commune read is planned, the problems said, exit 2.
    evaluators: dict[str, tuple[CriteriaSet, Evaluator, Message]] = {}
    for path, facts in loaded:
        try:
            check_start_year(args.start_year, facts.year, args.by)
        except UserError as exc:
            problems.extend(replace(d, path=f"{path}: {d.path}") for d in exc.diagnostics)
            continue
        key = f"{args.criteria}|{facts.year}"
        if key not in evaluators:
            cs, note = criteria_with_costs(args.criteria, facts.year, args.costs)
            evaluators[key] = (cs, Evaluator(cs), note)
        cs, ev, note = evaluators[key]
        reports.append(
            plan_commune(
                cs,
                ev,
                facts,
                budget=args.budget,
                by_year=args.by,
                start_year=args.start_year,
                top=args.top,
                source_file=str(path),
                costs_note=note,
            )
        )
    if args.format == "json":
        print("[" + ",\n".join(r.model_dump_json(indent=2) for r in reports) + "]")
    else:
        console = stdout_console()
        for k, r in enumerate(reports):
            if k:
                console.rule()
            console.print(plan_table.plan_report_view(r, args.lang))
    report(problems)
    if has_errors(problems):
        return 2
    return 0 if all(r.feasible for r in reports) else 1
