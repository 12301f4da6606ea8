"""`commune-health register import|decide|history|waive|waivers`: the recognition register."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

if TYPE_CHECKING:
    from engine.register.db import Register

from engine.commands.args import (
    add_criteria,
    add_db,
    add_lang,
    iso_date,
    open_register,
    progress_bar,
    report,
    stdout_console,
    whole,
    workers,
    year,
)
from engine.errors import Diagnostic, UserError, has_errors
from engine.i18n import msg
from engine.inputs.loader import fact_files, resolve_set
from engine.register import decisions
from engine.register.history import history
from engine.register.importer import import_paths
from engine.register.waiver_store import add_waiver, check_waiver, list_waivers, revoke_waiver
from engine.register.waivers import Waiver, expired
from engine.render import register as render
from engine.render.table import draft_warning

HELP = "the recognition register: import evaluations, decide, history, waivers"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("register", help=HELP, description=HELP)
    cmds = p.add_subparsers(
        dest="register_command", required=True, metavar="{import,decide,history,waive,waivers}"
    )

    imp = cmds.add_parser("import", help="evaluate fact files and store the evaluations (idempotent)")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="fact files or folders")
    imp.add_argument("--year", type=year, required=True, help="assessment year; every file must be of it")
    imp.add_argument("--appraiser", required=True, help="who appraised (person or council)")
    imp.add_argument(
        "--batch-size", type=whole(1, 10_000, "50"), default=50, help="communes per transaction (default 50)"
    )
    imp.add_argument(
        "--workers", type=workers, help="worker processes for large imports, at most the cores (default: all)"
    )
    add_criteria(imp)
    add_db(imp)
    add_lang(imp)
    imp.set_defaults(run=run_import)

    dec = cmds.add_parser("decide", help="propose the year's decisions; record them with --apply")
    dec.add_argument("--year", type=year, required=True)
    dec.add_argument("--apply", action="store_true", help="record the decisions (needs number and date)")
    dec.add_argument("--decision-number", metavar="N", help="e.g. 1234/QĐ-UBND")
    dec.add_argument("--decision-date", type=iso_date, metavar="YYYY-MM-DD")
    dec.add_argument("--by", default=None, help="who records the decisions (default: the system user)")
    dec.add_argument("--reason", help="why, when decisions already recorded are changed")
    dec.add_argument("--format", choices=("table", "json"), default="table")
    add_db(dec, create_flag=True)
    add_lang(dec)
    dec.set_defaults(run=run_decide)

    his = cmds.add_parser("history", help="a commune's evaluations, decisions and audit trail")
    his.add_argument("commune", metavar="COMMUNE", help="administrative code")
    his.add_argument("--format", choices=("table", "json"), default="table")
    add_db(his)
    add_lang(his)
    his.set_defaults(run=run_history)

    wv = cmds.add_parser("waive", help="waive an indicator for a commune (or revoke a waiver)")
    wv.add_argument("commune", nargs="?", metavar="COMMUNE")
    wv.add_argument("indicator", nargs="?", metavar="INDICATOR", help="indicator id, e.g. 2.1")
    wv.add_argument("--reason")
    wv.add_argument("--approver")
    wv.add_argument("--granted", type=iso_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    wv.add_argument("--expires", type=iso_date, metavar="YYYY-MM-DD")
    wv.add_argument("--revoke", type=whole(1, 2**63 - 1, "3"), metavar="ID", help="revoke waiver ID (today)")
    wv.add_argument("--by", default=None, help="who records it (default: the system user)")
    add_db(wv, create_flag=True)
    add_lang(wv)
    wv.set_defaults(run=run_waive)

    wl = cmds.add_parser("waivers", help="list waivers; expired ones are flagged")
    wl.add_argument("--on", type=iso_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    add_db(wl)
    add_lang(wl)
    wl.set_defaults(run=run_waivers)


def run_import(args: argparse.Namespace) -> int:
    files, problems = fact_files(args.paths)
    if not files:
        raise UserError(
            [d for d in problems if d.is_error]
            or [Diagnostic("PATH", "no fact file to import", "name fact files or folders of them")]
        )
    cs = resolve_set(args.criteria, args.year)

    def register_for(create: bool) -> Register | None:
        if create:
            return open_register(args, create=True)
        try:
            return open_register(args, read_only=True)
        except UserError:
            return None  # no register yet (or none readable: opening it to write will say why)

    # A bad file never hides the others: the good ones are imported, the problems said, exit 2.
    with progress_bar(args.lang) as bar:
        tick = (lambda n: bar(n, len(files))) if bar else None
        outcome = import_paths(
            register_for, cs, files, args.year, args.appraiser, args.batch_size, args.workers, tick
        )
    problems += outcome.diagnostics
    if not (outcome.summary.added or outcome.summary.replaced or outcome.summary.unchanged):
        raise UserError(
            [d for d in problems if d.is_error]
            or [Diagnostic("PATH", "no fact file to import", "name fact files or folders of them")]
        )
    summary = outcome.summary
    lang = args.lang
    con = stdout_console()
    con.print(
        msg(
            "register.imported",
            lang,
            year=args.year,
            criteria_set=cs.id,
            decision=cs.decision.number,
            added=len(summary.added),
            replaced=len(summary.replaced),
            unchanged=len(summary.unchanged),
        ),
        highlight=False,
    )
    names = outcome.names
    for code, ws in sorted(outcome.waived.items()):
        con.print(
            msg("register.imported_waived", lang, name=names[code], code=code, indicators=", ".join(ws)),
            highlight=False,
        )
    if cs.draft_count:
        con.print(draft_warning(cs.draft_count, len(cs.indicators()), lang))
    report(problems)
    return 2 if has_errors(problems) else 0


def check_decision_date(day: dt.date | None, year: int) -> None:
    """The decisions on a year's evaluations are dated in that year or the next, never elsewhere."""
    if day is not None and not dt.date(year, 1, 1) <= day <= dt.date(year + 1, 12, 31):
        raise UserError.single(
            "--decision-date",
            f"{day.isoformat()} is not in {year} or {year + 1}",
            f"the decisions on the {year} evaluations are dated from {year}-01-01 to {year + 1}-12-31",
        )


def run_decide(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.apply and not (args.decision_number and args.decision_date):
        raise UserError.single(
            "register decide",
            "--apply needs --decision-number and --decision-date",
            "e.g. --apply --decision-number 1234/QĐ-UBND --decision-date 2024-12-20",
        )
    check_decision_date(args.decision_date, args.year)
    with open_register(args, read_only=not args.apply) as reg:
        if args.apply:
            actor = args.by or getpass.getuser()
            props, summary = decisions.apply(
                reg, args.year, args.decision_number, args.decision_date, actor, args.reason
            )
        else:
            props, summary = decisions.propose(reg, args.year, args.decision_date), None
    if args.format == "json":
        print(json.dumps([p.model_dump(mode="json") for p in props], ensure_ascii=False, indent=2))
        return 0
    head = msg("register.proposed_title", lang, year=args.year)
    if args.apply:
        head = msg("register.decisions_title", lang, year=args.year, number=args.decision_number)
    render.print_decisions(stdout_console(), props, summary, head, lang)
    return 0


def run_history(args: argparse.Namespace) -> int:
    lang = args.lang
    with open_register(args, read_only=True) as reg:
        h = history(reg, args.commune)
    if args.format == "json":
        out = render.history_json(h)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    render.print_history(stdout_console(), h, lang)
    return 0


def _waiver(args: argparse.Namespace) -> Waiver:
    """The waiver the arguments describe (checked before the register is opened)."""
    missing = [n for n in ("commune", "indicator", "reason", "approver", "expires") if not getattr(args, n)]
    if missing:
        raise UserError.single(
            "register waive",
            f"missing: {', '.join(missing)}",
            "register waive COMMUNE INDICATOR --reason TEXT --approver NAME --expires YYYY-MM-DD",
        )
    try:
        return Waiver(
            commune=args.commune,
            indicator=args.indicator,
            reason=args.reason,
            approver=args.approver,
            granted_on=args.granted or dt.date.today(),
            expires_on=args.expires,
        )
    except ValidationError as exc:
        raise UserError.single(
            "register waive",
            "; ".join(e["msg"] for e in exc.errors()),
            "indicator ids look like 2.1; the expiry date comes after the grant date",
        ) from None


def run_waive(args: argparse.Namespace) -> int:
    actor = args.by or getpass.getuser()
    if args.revoke is not None:
        with open_register(args) as reg:
            w = revoke_waiver(reg, args.revoke, dt.date.today())
        print(msg("register.revoked", args.lang, waiver=w.label(args.lang)))
        return 0
    waiver = _waiver(args)
    with open_register(args) as reg:
        problems = check_waiver(reg, waiver)
        if problems:
            raise UserError(problems)
        stored, added = add_waiver(reg, waiver, actor)
    code = "register.waiver_recorded" if added else "register.waiver_exists"
    print(msg(code, args.lang, id=stored.id, waiver=stored.label(args.lang)))
    return 0


def run_waivers(args: argparse.Namespace) -> int:
    on = args.on or dt.date.today()
    with open_register(args, read_only=True) as reg:
        waivers = list_waivers(reg)
    con = stdout_console()
    if not waivers:
        con.print(msg("register.no_waivers", args.lang))
        return 0
    render.print_waivers(con, waivers, on, args.lang)
    n = len(expired(waivers, on))
    if n:
        con.print(msg("register.waivers_expired_on", args.lang, n=n, day=on), style="bold yellow")
    return 0
