"""commune-health: the command line of the national commune health criteria engine.

Thin by design: parse the arguments, call one command module, return its exit status.
Exit status: 0 every commune qualifies (or the command succeeded), 1 at least one does not,
2 bad input or usage, 3 an internal engine error (a bug: please report it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from engine.errors import EngineError, UserError

# The commands, listed explicitly (no registration by import side effect): name -> module. A module
# is imported only when its command runs (or for --help), so that starting one command does not pay
# for the libraries of the others (SQLAlchemy, openpyxl…).
COMMANDS = {
    "evaluate": "engine.commands.evaluate",
    "criteria": "engine.commands.criteria",
    "appraise": "engine.commands.appraise",
    "template": "engine.commands.template",
    "simulate": "engine.commands.simulate",
    "plan": "engine.commands.plan",
    "target": "engine.commands.target",
    "register": "engine.commands.register",
    "review": "engine.commands.review",
    "synth": "engine.commands.synth",
    "serve": "engine.web.serve",
    "users": "engine.commands.users",
    "documents": "engine.commands.documents",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's subparser is built."""
    parser = argparse.ArgumentParser(
        prog="commune-health",
        description="Bộ tiêu chí quốc gia về y tế xã — national commune health criteria engine",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first if first in COMMANDS else None)
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
    except OSError as exc:  # the machine, not the program: a file or device that failed under us
        where = exc.filename or "commune-health"
        print(
            f"{where}: {exc.strerror or exc}\n  hint: check the path, the disk and permissions",
            file=sys.stderr,
        )
        return 2
    except Exception:  # a bug: say so, with what a report needs, and exit 3 (never 1, "not qualified")
        print("internal error (a bug, please report it):", file=sys.stderr)
        traceback.print_exc()
        return 3


if __name__ == "__main__":
    sys.exit(main())
