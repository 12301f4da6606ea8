"""Loading: every broken input gives file:line:col, the field by name, and a hint — never a traceback."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from engine.errors import UserError
from engine.inputs.loader import load_criteria, load_facts

HERE = Path(__file__).parent
BROKEN = HERE / "broken" / "facts"
EXPECTED = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
TINY = HERE.parent / "data" / "tiny-criteria.yaml"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fact_file(name):
    with pytest.raises(UserError) as info:
        load_facts(BROKEN / name)
    text = info.value.format()
    for fragment in EXPECTED[name]:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert "hint:" in text or name == "missing-file.yaml" or "not found" in text


def test_every_broken_file_has_an_expectation():
    files = {p.name for p in BROKEN.glob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED) - {"missing-file.yaml"}


def test_all_errors_of_a_file_at_once(tmp_path):
    f = tmp_path / "many.yaml"
    f.write_text(
        "year: 2024\ncommune: {code: '1', name: X, province: Lai Châu, zone: 1, area: rural}\n"
        "staffing:\n  doctors: -2\n  midwives: 1\nservices:\n  bhyt_coverage_pct: 120\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as info:
        load_facts(f)
    lines = [d.line for d in info.value.diagnostics]
    assert lines == [4, 5, 7]


def test_text_is_nfc_normalised(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Mường Khong")
    assert decomposed != "Mường Khong"
    f = tmp_path / "nfd.yaml"
    f.write_text(
        f"year: 2024\ncommune: {{code: '1', name: {decomposed}, province: Lai Châu, zone: 1, area: rural}}\n",
        encoding="utf-8",
    )
    assert load_facts(f).commune.name == "Mường Khong"


def test_tiny_criteria_file_is_valid():
    cs = load_criteria(TINY)
    assert len(cs.indicators()) == 8


# The criteria set's problems (semantic and schema alike) are the lint rules' cases:
# tests/inputs/lint_cases/*.yml, run by tests/inputs/test_lint_rules.py. Writing files: tests/test_files.py.
