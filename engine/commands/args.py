"""Arguments shared by the commands: options, value types, and what they open.

Every numeric flag goes through a type here that checks its range, so that a mistyped value is a
usage error naming the flag (exit 2), never a traceback, a hang or a run that eats the memory:
years within :data:`YEARS`, dates within the same years, ``--workers`` within the cores this
machine has, counts within what the command can do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from engine.errors import Diagnostic, UserError

if TYPE_CHECKING:  # SQLAlchemy costs half a second to import: only the register's commands pay it
    from engine.register.db import Register

# Assessment years, due years, start years and dates: the years the engine has any business with.
YEARS = (1990, 2100)


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


# Below this many communes a progress bar only flickers.
PROGRESS_FROM = 200


@contextmanager
def progress_bar(lang: str, enabled: bool | None = None) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal (or ``enabled``): ``tick(n, total)`` after each n
    communes of ``total``; nothing for runs of fewer than :data:`PROGRESS_FROM` communes."""
    if not (sys.stderr.isatty() if enabled is None else enabled):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from engine.i18n import msg

    with Progress(
        TextColumn(f"[bold]{msg('commands.progress', lang)}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=True,
    ) as bar:
        task = bar.add_task("communes", total=None)

        def tick(n: int, total: int) -> None:
            if total >= PROGRESS_FROM:
                bar.update(task, total=total, advance=n)

        yield tick


def stdout_console() -> Console:
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def stderr_console() -> Console:
    return Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def report(diagnostics: Sequence[Diagnostic]) -> None:
    """Print diagnostics to stderr, plain (no markup interpretation of user text)."""
    for d in diagnostics:
        print(d.format(), file=sys.stderr)


# The most any budget may be: a thousand trillion VND, far above any province's health budget.
MAX_VND = 10**15


def vnd(text: str) -> int:
    """An amount in VND: 1500000000, 1_500_000_000, 1.500.000.000 or 1.5e9."""
    s = text.strip()
    if re.fullmatch(r"\d{1,3}([.,_ ]\d{3}){1,5}", s):
        return int(re.sub(r"[.,_ ]", "", s))
    try:
        value = float(s.replace("_", "")) if len(s) <= 40 else math.nan
    except ValueError:
        raise _bad(text, "is not an amount in VND", "e.g. --budget 1500000000 or 1.5e9") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_VND:
        raise _bad(text, f"is not an amount in VND from 0 to {MAX_VND:.0e}", "e.g. --budget 1500000000")
    return round(value)


def rate(text: str) -> float:
    try:
        value = float(text.strip().rstrip("%").replace(",", ".")) if len(text) <= 40 else math.nan
    except ValueError:
        raise _bad(text, "is not a percentage", "e.g. --rate 92.11") from None
    if not math.isfinite(value) or not 0 < value <= 100:
        raise _bad(text, "is not a rate above 0 and at most 100 (%)", "e.g. --rate 92.11")
    return value


def _bad(text: str, what: str, hint: str) -> argparse.ArgumentTypeError:
    shown = text if len(text) <= 30 else text[:27] + "…"
    return argparse.ArgumentTypeError(f"{shown!r} {what}\n  hint: {hint}")


def year(text: str) -> int:
    """A year from 1990 to 2100, written with four digits."""
    if not re.fullmatch(r"\d{4}", text.strip()) or not YEARS[0] <= int(text) <= YEARS[1]:
        raise _bad(text, f"is not a year from {YEARS[0]} to {YEARS[1]}", "write the year in full, e.g. 2030")
    return int(text)


def whole(low: int, high: int, example: str) -> Callable[[str], int]:
    """The type of a flag taking a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        s = text.strip()
        if not re.fullmatch(r"[+-]?\d{1,19}", s) or not low <= int(s) <= high:
            raise _bad(text, f"is not a whole number from {low:,} to {high:,}", f"e.g. {example}")
        return int(s)

    return parse


def workers(text: str) -> int:
    """A number of worker processes: at least 1, at most the cores this process may use."""
    from engine.evaluation.batch import default_workers  # here: durable_rules only when evaluating

    cores = default_workers()
    s = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,19}", s) or not 1 <= int(s) <= cores:
        raise _bad(
            text,
            f"is not a number of worker processes from 1 to {cores} (the cores this machine has)",
            "leave --workers out to use every core",
        )
    return int(s)


def iso_date(text: str) -> dt.date:
    """A date YYYY-MM-DD within the years the engine deals with (:data:`YEARS`)."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _bad(text, "is not a date", "write YYYY-MM-DD, e.g. 2024-12-15") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise _bad(text, f"is not a date from {YEARS[0]} to {YEARS[1]}", "write YYYY-MM-DD, e.g. 2024-12-15")
    return day


def check_start_year(start: int | None, facts_year: int, by: int | None, flag: str = "--start-year") -> None:
    """Actions start in the assessment year at the earliest, and not after the deadline."""
    if start is not None and start < facts_year:
        raise UserError.single(
            flag,
            f"{start} is before the assessment year {facts_year} of the facts",
            f"actions can start in {facts_year} at the earliest (default: {facts_year + 1})",
        )
    if start is not None and by is not None and start > by:
        raise UserError.single(flag, f"{start} is after --by {by}", "start the actions before the deadline")


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


def add_db(p: argparse.ArgumentParser, create_flag: bool = False) -> None:
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
    if create_flag:
        p.add_argument(
            "--create",
            action="store_true",
            help="create the register file when it does not exist (otherwise a missing file is an error)",
        )


def open_register(args: argparse.Namespace, *, create: bool = False, read_only: bool = False) -> Register:
    """The register named by --db/--db-url: created only when ``create`` (or --create), and opened
    read-only for commands that only read."""
    from engine.register.db import Register, url_for

    create = create or bool(getattr(args, "create", False))
    return Register(url_for(args.db, args.db_url), create=create, read_only=read_only)
