"""commune-health: the command line of the national commune health criteria engine.

Thin by design: parse the arguments, call one command module, return its exit status.
Exit status: 0 every commune qualifies (or the command succeeded), 1 at least one does not,
2 bad input or usage, 3 an internal engine error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from engine.commands import (
    appraise,
    criteria,
    evaluate,
    plan,
    register,
    review,
    simulate,
    synth,
    target,
    template,
)
from engine.errors import EngineError, UserError

# The commands, listed explicitly: no registration by import side effect.
COMMANDS = (evaluate, criteria, register, review, simulate, plan, target, synth, appraise, template)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune-health",
        description="Bộ tiêu chí quốc gia về y tế xã — national commune health criteria engine",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    try:
        return int(args.run(args))
    except UserError as exc:
        print(exc.format(), file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"internal error (a bug, please report it): {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
