"""`commune-health review --year Y`: the annual recognition review from the register."""

from __future__ import annotations

import argparse
import json

from engine.commands.args import add_db, add_lang, open_register, stdout_console, year
from engine.register.review import review
from engine.render.review import print_review, review_json

HELP = "annual review: decisions by type, share recognised vs plan targets, regressions, expiring titles"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help=HELP, description=HELP)
    p.add_argument("--year", type=year, required=True)
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_db(p)
    add_lang(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_register(args, read_only=True) as reg:
        rv = review(reg, args.year)
    if args.format == "json":
        print(json.dumps(review_json(rv), ensure_ascii=False, indent=2))
    else:
        print_review(stdout_console(), rv, args.lang)
    return 0
