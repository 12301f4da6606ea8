"""Hostile YAML: every way a fact file can try to hang, exhaust memory or crash the reader is a
user error at its line, read in bounded memory (tracemalloc), never a traceback."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from cli import main
from engine.errors import UserError
from engine.inputs.loader import load_facts
from engine.inputs.yamlio import MAX_DEPTH, read_yaml, read_yaml_data

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)  # 3.5 KB, a billion "lol" once expanded

CASES = {  # name: (text, line, what the message says)
    "billion-laughs": (LAUGHS, 6, "more than 200,000 values once its aliases"),
    "recursive-alias": ("a: &a [1, *a]\n", 1, "refers to the value that contains it"),
    "deep-nesting": ("a:\n" + "".join("  " * k + "- \n" for k in range(1, 60)) + "  " * 60 + "- x\n", None, "levels deep"),
    "list-as-key": ("year: 2024\n? [a, b]\n: 1\n", 2, "a list or mapping cannot be a key"),
    "mapping-as-key": ("{[1]: 2, {a: b}: 3}\n", 1, "cannot be a key"),
    "5000-digit-integer": ("year: 2024\nstaffing:\n  doctors: " + "9" * 5000 + "\n", 3, "integer of 5,000 characters"),
    "sexagesimal-giant": ("year: " + ":".join(["59"] * 60) + "\n", 1, "integer of 179 characters"),
    "date-out-of-range": ("year: 2024-02-30\n", 1, "day is out of range for month"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_yaml_is_a_user_error_at_its_line_in_bounded_memory(name: str, tmp_path: Path) -> None:
    text, line, fragment = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as info:
            load_facts(path)
        assert read_yaml_data(path) is None  # the fast path gives up, never raises
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [d] = info.value.diagnostics
    assert d.path == str(path) and fragment in d.message and d.hint, d.format()
    if line is not None:
        assert d.line == line, d.format()
    assert peak < 10 * 2**20, f"{peak / 2**20:.1f} MB to reject a {len(text):,}-byte file"


def test_aliases_within_the_limit_still_work(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        "base: &b {x: 1}\nuse: [*b, *b]\ndeep: " + "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2) + "\n"
    )
    doc = read_yaml(path)
    assert doc.data["use"] == [{"x": 1}, {"x": 1}]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "socket-like-dev-null"])
def test_a_fact_file_that_is_not_a_regular_file_is_refused_without_reading(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if kind == "fifo":
        target = tmp_path / "facts.yaml"
        os.mkfifo(target)  # nobody ever writes: reading it would wait forever
        fragment = "FIFO"
    elif kind == "dev-zero":
        target, fragment = Path("/dev/zero"), "character device"  # reading it would never end
    elif kind == "folder":
        target, fragment = tmp_path, "folder"
    else:
        target, fragment = Path("/dev/null"), "character device"
    argv = (
        ["evaluate", str(target)]
        if kind != "folder"
        else ["simulate", str(target), "--set", "staffing.doctors=1"]
    )
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and "hint:" in err
