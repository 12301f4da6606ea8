"""Arguments shared by the commands: options, value types, and what they open."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from engine.errors import Diagnostic
from engine.register.db import Register, url_for


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi",
        help="language of the output: vi (Vietnamese, default) or en",
    )


def add_criteria(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--criteria",
        metavar="ID",
        help="criteria set id (see 'criteria list') or a YAML file; "
        "default: the set in force for the facts' year",
    )


def stdout_console() -> Console:
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def stderr_console() -> Console:
    return Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def report(diagnostics: Sequence[Diagnostic]) -> None:
    """Print diagnostics to stderr, plain (no markup interpretation of user text)."""
    for d in diagnostics:
        print(d.format(), file=sys.stderr)


def vnd(text: str) -> int:
    """An amount in VND: 1500000000, 1_500_000_000, 1.500.000.000 or 1.5e9."""
    s = text.strip()
    if re.fullmatch(r"\d{1,3}([.,_ ]\d{3})+", s):
        return int(re.sub(r"[.,_ ]", "", s))
    try:
        value = float(s.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in VND (e.g. 1500000000)") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in VND (a number ≥ 0)")
    return round(value)


def year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year (e.g. 2030)")
    return int(text)


def rate(text: str) -> float:
    try:
        value = float(text.strip().rstrip("%").replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage (e.g. 92.11)") from None
    if not math.isfinite(value) or not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r}: a rate is a percentage above 0 and at most 100")
    return value


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def add_costs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--costs",
        type=Path,
        metavar="FILE",
        help="a province's own costs and lead times (e.g. criteria/costs/dien-bien.yaml); "
        "default: the criteria set's indicative figures",
    )
    p.add_argument(
        "--start-year",
        type=year,
        metavar="Y",
        help="year the actions start (January); default: facts' year + 1",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_criteria(p)
    add_lang(p)


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the register's SQLite file (default: register.sqlite3 in the working folder)",
    )
    p.add_argument(
        "--db-url",
        metavar="URL",
        help="a database URL instead, e.g. postgresql+psycopg://user@host/register",
    )


def open_register(args: argparse.Namespace) -> Register:
    return Register(url_for(args.db, args.db_url))
