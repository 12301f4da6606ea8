"""`commune-health evaluate FILE...`: evaluate communes and show scores, verdicts and fixes."""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from engine.commands.args import add_criteria, add_lang, report, stdout_console
from engine.errors import has_errors
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.results import CommuneResult
from engine.inputs.loader import load_fact_files, resolve_set
from engine.render import jsonout, table

HELP = "evaluate commune fact files against a criteria set"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help=HELP, description=HELP)
    p.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="commune fact files (YAML), or folders of them"
    )
    add_criteria(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_lang(p)
    p.set_defaults(run=run)


def evaluate_loaded(loaded: list, criteria: str | None) -> list[CommuneResult]:
    """Evaluate fact files, each against its year's set unless one is named; keep input order."""
    evaluators: dict[str, Evaluator] = {}
    groups: dict[int, list[int]] = defaultdict(list)
    for k, (_, facts) in enumerate(loaded):
        groups[facts.year].append(k)
    results: dict[int, CommuneResult] = {}
    for year, idx in groups.items():
        cs = resolve_set(criteria, year)
        if cs.id not in evaluators:
            evaluators[cs.id] = Evaluator(cs)
        out = evaluators[cs.id].evaluate([loaded[k][1] for k in idx], [str(loaded[k][0]) for k in idx])
        results.update(zip(idx, out, strict=True))
    return [results[k] for k in range(len(loaded))]


def run(args: argparse.Namespace) -> int:
    loaded, problems = load_fact_files(args.files)
    results = evaluate_loaded(loaded, args.criteria) if loaded else []
    if args.format == "json":
        print(jsonout.dumps(results, args.lang))
    elif results:
        table.print_results(stdout_console(), results, args.lang)
    report(problems)
    if has_errors(problems):
        return 2  # a bad file never hides the others: they were evaluated and printed above
    return 0 if all(r.qualified for r in results) else 1
