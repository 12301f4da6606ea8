"""`criteria lint`: any kind of file, --list, --ignore, --docs; problems end with their code."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from engine.errors import UserError
from engine.inputs.lint.registry import all_rules
from engine.inputs.loader import load_criteria
from tests.support import ROOT, TINY

SHIPPED = sorted(p for d in ("", "plans", "costs") for p in (ROOT / "criteria" / d).glob("*.yaml"))


def _lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["criteria", "lint", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_shipped_file_of_every_kind_lints(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _lint(capsys, *map(str, SHIPPED), "--lang", "en")
    assert code == 0
    assert out.count(": OK — ") == len(SHIPPED) >= 9
    assert "plan tuan-giao-2021: 5 targets, 2021–2021" in out
    assert "costs for Điện Biên (national-2030)" in out


def test_problems_end_with_their_code_and_ignore_skips_a_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = TINY.read_text(encoding="utf-8").replace("fact: staffing.doctors", "fact: staffing.doctor")
    text = text.replace("max_points: 20\n", "max_points: 21\n", 1)
    f = tmp_path / "two.yaml"
    f.write_text(text, encoding="utf-8")
    code, out, _ = _lint(capsys, str(f))
    assert code == 2
    assert f"{f}:12:1: max_points: criteria maxima add up to 20, not 21 [CS102]" in out
    assert "indicator 1.1 › fact: unknown fact 'staffing.doctor' [CS112]\n  hint: did you mean" in out
    code, out, _ = _lint(capsys, str(f), "--ignore", "CS102", "--ignore", "unknown-fact", "--lang", "en")
    assert code == 0 and "OK — tiny" in out and "(rules not checked: CS102, CS112)" in out
    code, out, _ = _lint(capsys, str(f), "--ignore", "cs102,CS112")
    assert code == 0 and "(các quy tắc không kiểm tra: CS102, CS112)" in out
    # Ignoring is for lint only: loading the set to evaluate it runs every rule.
    with pytest.raises(UserError, match=r"\[CS102\]"):
        load_criteria(f)


def test_unknown_or_schema_codes_cannot_be_ignored(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _lint(capsys, str(TINY), "--ignore", "CS1O1", "--ignore", "CS000", "--ignore", "piont-sum")
    assert code == 2
    assert "--ignore: no lint rule 'CS1O1'" in err and "criteria lint --list" in err
    assert "--ignore: CS000 (schema) cannot be ignored" in err
    assert "no lint rule 'piont-sum'\n  hint: did you mean point-sum?" in err


def test_list_shows_every_rule_with_labels_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _lint(capsys, "--list", "--lang", "en")
    assert code == 0 and "Code" in out and "Summary" in out and "plan file" in out
    for r in all_rules():
        assert r.code in out and r.name in out
    code, out, _ = _lint(capsys, "--list")
    assert code == 0 and "Mã" in out and "Tóm tắt" in out and "bộ tiêu chí" in out


def test_docs_print_or_write_the_reference(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _lint(capsys, "--docs")
    assert code == 0 and out == (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    target = tmp_path / "rules.md"
    assert _lint(capsys, "--docs", "--out", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "name at least one criteria, plan or cost file"),
        (("--list", str(TINY)), "--list and --docs take no file"),
        ((str(TINY), "--out", "x.md"), "--out goes with --docs"),
    ],
)
def test_usage_mistakes_exit_2_with_a_hint(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragment: str
) -> None:
    code, _, err = _lint(capsys, *args, "--lang", "en")
    assert code == 2 and fragment in err and "hint:" in err


def test_a_cost_file_is_checked_against_the_set_it_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "costs.yaml"
    f.write_text(
        (ROOT / "tests" / "data" / "tiny-costs.yaml")
        .read_text(encoding="utf-8")
        .replace("station-repair:", "station-repiar:"),
        encoding="utf-8",
    )
    code, out, _ = _lint(capsys, str(f))
    assert code == 2
    assert (
        "actions › station-repiar: criteria set national-2030 has no action 'station-repiar' [CO102]" in out
    )
    assert "hint: did you mean station-repair" in out
