"""Outputs of the commands on the samples, compared with files written before a refactoring.

``tests/data/before/`` holds the JSON of ``evaluate``, ``appraise``, ``plan`` and ``review`` on the
sample communes as the code gave them before the layout change of the architecture issue; the tests
in ``tests/commands/test_outputs_unchanged.py`` and ``tests/register/test_sample.py`` fail when an
output differs. When a change of output is deliberate, regenerate them and say so in the commit::

    .venv/bin/python -m tests.snapshots --write
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

from cli import main

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ROOT / "tests" / "data" / "before"
SAMPLE = "communes/dien-bien/tuan-giao"

# name -> command line (run from the project root). Big outputs are stored gzipped.
COMMANDS: dict[str, list[str]] = {
    "evaluate-vi.json.gz": ["evaluate", SAMPLE, "--format", "json"],
    "evaluate-en.json.gz": ["evaluate", SAMPLE, "--format", "json", "--lang", "en"],
    "appraise-vi.json.gz": ["appraise", SAMPLE, "--format", "json"],
    "plan-toa-tinh.json": ["plan", f"{SAMPLE}/toa-tinh.yaml", "--top", "3", "--format", "json"],
    "plan-chieng-dong-blocked.json": [
        "plan", f"{SAMPLE}/chieng-dong.yaml", "--budget", "20000000", "--by", "2025", "--format", "json",
    ],
}  # fmt: skip
# Run against the register of the README's walk-through (built by tests/register/test_sample.py).
REVIEWS: dict[str, list[str]] = {
    "review-2024-vi.json": ["review", "--year", "2024", "--format", "json"],
    "review-2021-en.json": ["review", "--year", "2021", "--format", "json", "--lang", "en"],
}


def run(argv: list[str]) -> str:
    """The command's standard output, run in this process from the project root."""
    out = io.StringIO()
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            main(argv)
    finally:
        os.chdir(here)
    return out.getvalue()


def read(name: str) -> str:
    data = (BEFORE / name).read_bytes()
    return (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")


def write(name: str, text: str) -> None:
    data = text.encode("utf-8")
    (BEFORE / name).write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)


def regenerate(build_register: Callable[[], Path]) -> None:
    BEFORE.mkdir(parents=True, exist_ok=True)
    for name, argv in COMMANDS.items():
        write(name, run(argv))
    db = build_register()
    for name, argv in REVIEWS.items():
        write(name, run([*argv, "--db", str(db)]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="write the current outputs as the reference")
    if not parser.parse_args().write:
        parser.print_help()
        sys.exit(0)
    import tempfile

    from tests.register.test_sample import build_sample_register

    with tempfile.TemporaryDirectory() as tmp:
        regenerate(lambda: build_sample_register(Path(tmp) / "register.sqlite3")[0])
    print(f"written: {', '.join(sorted(p.name for p in BEFORE.iterdir()))}")
