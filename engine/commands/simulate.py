"""`commune-health simulate FACTS --set PATH=VALUE ...`: what changes if some facts change."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.args import add_criteria, add_lang, stdout_console
from engine.errors import UserError
from engine.evaluation.evaluator import Evaluator
from engine.inputs.loader import load_facts, resolve_set
from engine.planner.whatif import parse_assignments, simulate
from engine.render import plan_table

HELP = "re-evaluate a commune with some facts changed and show what changes"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help=HELP, description=HELP)
    p.add_argument("file", type=Path, metavar="FACTS", help="one commune fact file (YAML)")
    p.add_argument(
        "--set",
        dest="assignments",
        action="append",
        required=True,
        metavar="PATH=VALUE",
        help="a changed fact, e.g. staffing.doctors=2 or facilities.has_clean_water=true "
        "(null removes it); repeat for several",
    )
    add_criteria(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_lang(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    problems = []
    try:
        values = parse_assignments(args.assignments)
    except UserError as exc:
        problems.extend(exc.diagnostics)
        values = {}
    facts = load_facts(args.file)  # raises UserError (exit 2) on a bad file
    if problems:
        raise UserError(problems)
    cs = resolve_set(args.criteria, facts.year)
    result = simulate(Evaluator(cs), facts, values, str(args.file))
    if args.format == "json":
        print(result.model_dump_json(indent=2))
    else:
        stdout_console().print(plan_table.simulation_view(result, args.lang))
    return 0 if result.qualified_after else 1
