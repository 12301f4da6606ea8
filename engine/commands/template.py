"""`commune-health template`: a blank data-collection template generated from a criteria set."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.appraisal.area import TABLE_SUFFIXES
from engine.commands.args import add_criteria, add_lang, progress_bar, report, workers, year
from engine.errors import Diagnostic, UserError, has_errors
from engine.evaluation.batch import read_facts
from engine.files import write_file
from engine.i18n import msg
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_fact_files, resolve_set
from engine.inputs.tabular import read_table
from engine.render import xlsx_template
from engine.render.template import guide_lines, rows_for, template_columns, to_csv, to_yaml

HELP = "a blank data-collection template (YAML, XLSX or CSV) generated from a criteria set"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help=HELP, description=HELP)
    p.add_argument("--format", choices=("yaml", "xlsx", "csv"), default="yaml")
    add_criteria(p)
    p.add_argument("--year", type=year, help="the year the template is for (picks the criteria set in force)")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write here (atomically); default: stdout (xlsx: required)"
    )
    p.add_argument(
        "--fill",
        type=Path,
        metavar="PATH",
        help="pre-fill the XLSX/CSV with the communes of a folder of fact files (or a spreadsheet)",
    )
    p.add_argument(
        "--workers",
        type=workers,
        help="worker processes to read many fact files, at most the cores (default: all)",
    )
    p.add_argument("--illustrative-note", help="a note shown above the data (e.g. 'illustrative figures')")
    add_lang(p)
    p.set_defaults(run=run)


def _records(
    path: Path | None, workers: int | None, lang: str
) -> tuple[list[CommuneFacts], list[Diagnostic]]:
    """The communes to pre-fill the template with, and the problems of the files or rows left out
    (fact files read on ``workers`` processes)."""
    if path is None:
        return [], []
    if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES:
        table = read_table(path)
        return table.facts, table.diagnostics
    with progress_bar(lang) as bar:
        loaded, problems = load_fact_files(
            [path], lambda files: read_facts(files, workers, (lambda n: bar(n, len(files))) if bar else None)
        )
    return [f for _, f in loaded], problems


def run(args: argparse.Namespace) -> int:
    records, problems = _records(args.fill, args.workers, args.lang)
    if args.fill is not None and not records:
        raise UserError(
            [d for d in problems if d.is_error]
            or [Diagnostic(str(args.fill), "holds no commune to fill in", "name fact files or a spreadsheet")]
        )
    for_year = args.year or (records[0].year if records else None)
    cs = resolve_set(args.criteria, for_year)
    lang = args.lang
    if args.format == "yaml":
        if records:
            raise UserError.single(
                "--fill", "only XLSX and CSV templates are pre-filled", "add --format xlsx"
            )
        data = to_yaml(cs, lang).encode("utf-8")
    elif args.format == "csv":
        cols = template_columns(cs)
        rows = rows_for(cols, records, lang)
        data = to_csv([rows[0], *guide_lines(cs, cols, lang), *rows[1:]]).encode("utf-8")
    else:
        if args.out is None:
            raise UserError.single(
                "--out", "an XLSX template must be written to a file", "add --out FILE.xlsx"
            )
        data = xlsx_template.template_bytes(cs, records, lang, args.illustrative_note)
    if args.out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        write_file(args.out, data)
        print(msg("commands.wrote", lang, path=str(args.out)), file=sys.stderr)
    # A bad file or row never hides the others: they are filled in, the problems said, exit 2.
    report(problems)
    return 2 if has_errors(problems) else 0
