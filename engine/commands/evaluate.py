"""`commune-health evaluate FILE...`: evaluate communes and show scores, verdicts and fixes."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO, TextIO, cast

from engine.commands.args import add_criteria, add_lang, progress_bar, report, stdout_console, workers
from engine.errors import UserError, has_errors
from engine.evaluation.batch import SetChoice, stream
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.results import CommuneResult
from engine.files import writing
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import fact_files, resolve_set
from engine.render import national, table

HELP = "evaluate commune fact files against a criteria set"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help=HELP, description=HELP)
    p.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="commune fact files (YAML), or folders of them"
    )
    add_criteria(p)
    p.add_argument(
        "--format",
        choices=("table", "json", "jsonl"),
        default="table",
        help="table (default); json: the full result of each commune; jsonl: the compact national "
        "format (the criteria set once, then one line per commune, see README.md)",
    )
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write the json or jsonl output to FILE (atomically)"
    )
    p.add_argument(
        "--workers", type=workers, help="worker processes for large batches, at most the cores (default: all)"
    )
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


def _result(r: CommuneResult, facts: CommuneFacts) -> CommuneResult:
    return r


class _Text:
    """Bytes written to a text stream that has no binary buffer (a StringIO in place of stdout)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def run(args: argparse.Namespace) -> int:
    if args.out is not None and args.format == "table":
        raise UserError.single(
            "--out", "writes the json or jsonl output", "add --format json or --format jsonl"
        )
    if args.criteria:
        resolve_set(args.criteria)  # a set that does not exist is said once, before anything is read
    files, problems = fact_files(args.files)
    choice = SetChoice(args.criteria)
    with progress_bar(args.lang) as bar:
        tick = (lambda n: bar(n, len(files))) if bar else None
        if args.format == "table":
            results: list[CommuneResult] = []
            for done in stream(files, choice, _result, args.workers, tick):
                problems.extend(done.diagnostics)
                if done.item is not None:
                    results.append(done.item)
            all_qualified = all(r.qualified for r in results)
        elif args.out is not None:
            with writing(args.out) as fh:
                written = national.write(files, choice, args.format, fh, args.lang, args.workers, tick)
            problems.extend(written.diagnostics)
            all_qualified = written.all_qualified
        else:
            sys.stdout.flush()
            out = cast(BinaryIO, getattr(sys.stdout, "buffer", None) or _Text(sys.stdout))
            written = national.write(files, choice, args.format, out, args.lang, args.workers, tick)
            if args.format == "json":
                out.write(b"\n")
            out.flush()
            problems.extend(written.diagnostics)
            all_qualified = written.all_qualified
    if args.format == "table" and results:
        table.print_results(stdout_console(), results, args.lang)
    report(problems)
    if has_errors(problems):
        return 2  # a bad file never hides the others: they were evaluated and printed above
    return 0 if all_qualified else 1
