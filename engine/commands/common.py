"""Options and helpers shared by the commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from engine.errors import Diagnostic, UserError
from engine.inputs.facts import CommuneFacts
from engine.inputs.loader import discover_fact_files, load_facts


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


def load_fact_files(paths: Sequence[Path]) -> tuple[list[tuple[Path, CommuneFacts]], list[Diagnostic]]:
    """Load every fact file below ``paths``; collect every file's errors instead of stopping."""
    loaded: list[tuple[Path, CommuneFacts]] = []
    problems: list[Diagnostic] = []
    files = discover_fact_files(paths)
    for p in paths:
        if p.is_dir() and not any(f.is_relative_to(p) for f in files):
            problems.append(
                Diagnostic(
                    path=str(p),
                    message="holds no .yaml fact file",
                    hint="name a folder of commune fact files",
                )
            )
    for f in files:
        try:
            loaded.append((f, load_facts(f)))
        except UserError as exc:
            problems.extend(exc.diagnostics)
    return loaded, problems


def report(diagnostics: Sequence[Diagnostic]) -> None:
    """Print diagnostics to stderr, plain (no markup interpretation of user text)."""
    for d in diagnostics:
        print(d.format(), file=sys.stderr)
