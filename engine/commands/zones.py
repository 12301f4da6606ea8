"""`commune-health criteria zones PATH`: every commune's declared zone against the zoning rule."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.args import add_criteria, add_lang, report, stdout_console
from engine.errors import Diagnostic, UserError
from engine.evaluation.evaluator import Evaluator
from engine.i18n import msg
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import load_fact_files, resolve_set
from engine.inputs.tabular import read_table
from engine.render import zones

HELP = "declared zones against the zoning rule, for every commune of a folder or spreadsheet"
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def register(cmds: argparse._SubParsersAction) -> None:
    p = cmds.add_parser("zones", help=HELP, description=HELP)
    p.add_argument(
        "path", type=Path, metavar="PATH", help="a folder of fact files, a fact file, or a .csv/.xlsx"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_criteria(p)
    add_lang(p)
    p.set_defaults(run=run)


def _read(path: Path) -> tuple[list[CommuneFacts], list[str], list[Diagnostic]]:
    if path.suffix.lower() in TABLE_SUFFIXES:
        table = read_table(path)
        return table.facts, table.sources, table.diagnostics
    loaded, problems = load_fact_files([path])
    return [f for _, f in loaded], [str(p) for p, _ in loaded], problems


def run(args: argparse.Namespace) -> int:
    """Exit 0: every zone that can be checked agrees; 1: some differ from the rule; 2: bad input."""
    communes, sources, problems = _read(args.path)
    found = []
    by_set: dict[str, tuple[Evaluator, list[int]]] = {}
    for k, facts in enumerate(communes):
        cs = resolve_set(args.criteria, facts.year)
        if cs.zoning is None:
            raise UserError.single(
                args.criteria or str(sources[k]),
                msg("criteria.zones_no_rule", "en", set=cs.id),
                "name a set with a zoning rule: --criteria national-2030",
            )
        ev, members = by_set.setdefault(cs.id, (Evaluator(cs), []))
        members.append(k)
    checks: list = [None] * len(communes)
    for ev, members in by_set.values():
        for k, z in zip(members, ev.zone_checks([communes[k] for k in members]), strict=True):
            checks[k] = z
    found = zones.rows(communes, checks, sources)
    if args.format == "json":
        print(zones.dumps(found, args.lang))
    else:
        console = stdout_console()
        console.print(zones.table(found, args.lang))
        console.print(zones.summary(found, args.lang))
    report(problems)
    if problems:
        return 2
    return 1 if any(r["check"].finding not in ("agrees", "undetermined", "no_rule") for r in found) else 0
