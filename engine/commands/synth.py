"""`commune-health synth --count N --seed S --out DIR`: write synthetic communes (benchmarks, demos)."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.commands.args import add_lang, whole, year
from engine.errors import UserError
from engine.files import write_error
from engine.i18n import msg
from engine.inputs import synth

HELP = "write synthetic commune fact files (illustrative data for benchmarks and demonstrations)"
# Ten times the country: every commune is held in memory before the files are written.
MAX_COUNT = 100_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("synth", help=HELP, description=HELP)
    p.add_argument(
        "--count",
        type=whole(1, MAX_COUNT, "10600"),
        default=synth.NATIONAL_COUNT,
        help=f"number of communes, at most {MAX_COUNT:,} "
        f"(default {synth.NATIONAL_COUNT:,}: the country before the 2025 merger)",
    )
    p.add_argument(
        "--seed",
        type=whole(0, 2**63 - 1, "1"),
        default=1,
        help="random seed: the same seed gives the same files",
    )
    p.add_argument("--year", type=year, default=2024, help="assessment year of the facts (default 2024)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="new or empty folder to write")
    add_lang(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    taken = UserError.single(
        str(args.out), msg("commands.synth_exists", lang), msg("commands.synth_exists_hint", lang)
    )
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        raise taken  # said before the communes are generated, not after
    records = list(synth.generate_data(args.count, args.seed, args.year))
    try:
        paths = synth.write(records, args.out)
    except FileExistsError:
        raise taken from None
    except OSError as exc:
        raise write_error(args.out, exc) from None
    print(msg("commands.synth_wrote", lang, n=len(paths), seed=args.seed, path=str(args.out)))
    print(msg("commands.synth_illustrative", lang))
    return 0
