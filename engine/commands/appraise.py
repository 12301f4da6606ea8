"""`commune-health appraise PATH`: appraise every commune of a district or province at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.appraisal.area import Appraisal, appraise
from engine.commands.args import add_criteria, add_lang, progress_bar, report, stdout_console, workers, year
from engine.errors import has_errors
from engine.files import Content, write_set
from engine.i18n import msg
from engine.render import csvout, html, league, xlsx

HELP = "appraise all communes of a folder or spreadsheet: league table, plan targets, dossier"
FORMATS = ("table", "json", "csv", "xlsx", "html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("appraise", help=HELP, description=HELP)
    p.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="a folder of commune fact files (YAML), or a CSV/XLSX file with one row per commune",
    )
    add_criteria(p)
    p.add_argument(
        "--plan",
        action="append",
        default=[],
        metavar="ID",
        help="plan id (criteria/plans/) or plan YAML file; repeatable; default: the area's plans",
    )
    p.add_argument("--year", type=year, help="assessment year (default: the year of the facts)")
    p.add_argument("--out", type=Path, metavar="DIR", help="write the dossier (XLSX, HTML, CSV, JSON) here")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table, json or csv on stdout; xlsx or html as a file in --out (default: out/)",
    )
    p.add_argument(
        "--workers", type=workers, help="worker processes for large batches, at most the cores (default: all)"
    )
    add_lang(p)
    p.set_defaults(run=run)


def dossier_name(a: Appraisal) -> str:
    stem = Path(a.source).stem or "appraisal"
    return f"appraisal-{stem}-{a.year}"


def write_dossier(
    a: Appraisal, out: Path, lang: str, formats: tuple[str, ...], workers: int | None = None
) -> list[Path]:
    """Write the dossier files as one set (all of them or none, see engine.files.write_set), each
    streamed to its file as it is rendered (the communes' parts of the HTML and JSON on ``workers``
    processes)."""
    if not formats:
        return []
    writers: dict[str, Content] = {
        "xlsx": lambda fh: fh.write(xlsx.workbook_bytes(a, lang)),
        "html": lambda fh: html.write(a, lang, fh, workers),
        "csv": lambda fh: fh.write(("\ufeff" + csvout.dumps_csv(a, lang)).encode("utf-8")),
        "json": lambda fh: csvout.write_json(a, lang, fh, workers),
    }
    return write_set(out, {f"{dossier_name(a)}.{fmt}": writers[fmt] for fmt in formats})


def run(args: argparse.Namespace) -> int:
    with progress_bar(args.lang) as tick:
        a = appraise(args.path, args.criteria, args.plan, args.year, args.workers, tick)
    lang = args.lang
    if args.format == "json":
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text stream in place of stdout
            print(csvout.dumps_json(a, lang))
        else:
            sys.stdout.flush()
            csvout.write_json(a, lang, out, args.workers)
            out.write(b"\n")
            out.flush()
    elif args.format == "csv":
        sys.stdout.write(csvout.dumps_csv(a, lang))
    elif args.format == "table":
        league.print_appraisal(stdout_console(), a, lang)
    formats: tuple[str, ...] = ()
    if args.out is not None:
        formats = ("xlsx", "html", "csv", "json")
    elif args.format in ("xlsx", "html"):
        formats = (args.format,)
    written = write_dossier(a, args.out or Path("out"), lang, formats, args.workers)
    for path in written:
        print(msg("commands.wrote", lang, path=str(path)), file=sys.stderr)
    report(a.diagnostics)
    if not a.results and not has_errors(a.diagnostics):
        print(
            f"{a.source}: no commune of {a.year} was evaluated ({a.other_years} commune(s) of other years)\n"
            "  hint: choose the year of the facts with --year",
            file=sys.stderr,
        )
        return 2
    if has_errors(a.diagnostics):
        print(msg("commands.rejected", lang, n=a.rejected), file=sys.stderr)
        return 2
    return 0 if a.results and all(r.qualified for r in a.results) else 1
