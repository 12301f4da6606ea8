"""`commune-health target PATH --rate R --by YEAR`: which communes to invest in to reach a rate."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.args import add_costs, check_start_year, rate, report, stdout_console, vnd, year
from engine.errors import Diagnostic, UserError, has_errors
from engine.evaluation.evaluator import Evaluator
from engine.inputs.costs import criteria_with_costs
from engine.inputs.loader import load_counted
from engine.planner.targeting import TargetSpec, spec_from_plan, target_area
from engine.render import plan_table

HELP = "the least-cost communes and actions that bring an area to a target share of qualifying communes"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("target", help=HELP, description=HELP)
    p.add_argument("path", type=Path, metavar="PATH", help="a folder of commune fact files (the area)")
    p.add_argument(
        "--rate", type=rate, metavar="R", help="target share of qualifying communes, in %% (e.g. 92.11)"
    )
    p.add_argument("--by", type=year, metavar="YEAR", help="the year the rate is due")
    p.add_argument(
        "--plan", metavar="ID", help="take the rate and year from a plan's targets (criteria/plans/)"
    )
    p.add_argument("--budget", type=vnd, metavar="VND", help="the most the area may spend")
    add_costs(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.plan:
        spec = spec_from_plan(args.plan, args.by)
        if args.rate is not None:
            spec = spec.model_copy(update={"rate": args.rate, "count": None, "strict": False})
    elif args.rate is None or args.by is None:
        raise UserError.single(
            "target", "give --rate R and --by YEAR, or --plan ID", "e.g. --rate 92.11 --by 2030"
        )
    else:
        spec = TargetSpec(rate=args.rate, by_year=args.by)
    loaded, problems, rejected = load_counted([args.path])
    if not loaded:
        report(
            [d for d in problems if d.is_error]
            or [
                Diagnostic(
                    path=str(args.path),
                    message="holds no fact file",
                    hint="name a folder of commune fact files",
                )
            ]
        )
        return 2
    facts_year = max(f.year for _, f in loaded)
    check_start_year(args.start_year, facts_year, spec.by_year)
    cs, note = criteria_with_costs(args.criteria, facts_year, args.costs)
    # A bad file never hides the others: the area is planned with the communes read; those not
    # read count as not qualifying; the problems are said and the exit status is 2.
    result = target_area(
        cs,
        Evaluator(cs),
        loaded,
        spec,
        area=str(args.path),
        budget=args.budget,
        start_year=args.start_year,
        costs_note=note,
        rejected=rejected,
    )
    if args.format == "json":
        print(result.model_dump_json(indent=2))
    else:
        stdout_console().print(plan_table.target_view(result, args.lang))
    report(problems)
    if has_errors(problems):
        return 2
    return 0 if result.reachable else 1
