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
        "year: 2024\ncommune: {code: '1', name: X, province: P, zone: 1, area: rural}\n"
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
        f"year: 2024\ncommune: {{code: '1', name: {decomposed}, province: P, zone: 1, area: rural}}\n",
        encoding="utf-8",
    )
    assert load_facts(f).commune.name == "Mường Khong"


def test_tiny_criteria_file_is_valid():
    cs = load_criteria(TINY)
    assert len(cs.indicators()) == 8


# Each case: (text to replace in the tiny set, replacement, expected fragments of the report).
CRITERIA_CASES = {
    "unknown-key": (
        "    knockout: true\n",
        "    knockout: true\n    knockuot: true\n",
        ["tiny-criteria.yaml:", "criterion 1 › indicator 1.1 › knockuot: unknown key"],
    ),
    "threshold-string": (
        "    threshold: 95\n",
        "    threshold: '95'\n",
        ["criterion 1 › indicator 1.2 › threshold", "hint:"],
    ),
    "zone-missing": ("      3: 25\n", "", ["indicator 2.1 › threshold", "zone(s) 3 are missing"]),
    "unknown-fact": (
        "fact: staffing.doctors\n",
        "fact: staffing.doctor\n",
        ["indicator 1.1 › fact: unknown fact 'staffing.doctor'", "did you mean staffing.doctors"],
    ),
    "points-sum": (
        "    points: 3\n",
        "    points: 4\n",
        ["criterion 2 › max_points", "indicator points add up to 11, not its maximum 10"],
    ),
    "duplicate-id": ("- id: '1.3'", "- id: '1.2'", ["indicator 1.2 › id: indicator id 1.2 is used twice"]),
    "bool-threshold-for-count": (
        "    threshold: 1\n",
        "    threshold: true\n",
        ["indicator 2.3 › threshold: a threshold is a number"],
    ),
    "percent-threshold-above-100": (
        "    threshold: 95\n",
        "    threshold: 105\n",
        ["indicator 1.2 › threshold: 105 is above the largest possible value 100"],
    ),
    "operator-for-wrong-kind": (
        "    operator: is_true\n",
        "    operator: gte\n    threshold: 1\n",
        ["indicator 1.3 › operator: gte needs a numeric fact"],
    ),
    "bad-choice": (
        "    - good\n",
        "    - great\n",
        ["indicator 2.2 › threshold › 0: 'great' is not a choice"],
    ),
    "band-not-looser": (
        "    - threshold: 90\n",
        "    - threshold: 96\n",
        ["indicator 1.2 › band 1 › threshold", "not looser than 95"],
    ),
}


@pytest.mark.parametrize("case", sorted(CRITERIA_CASES))
def test_broken_criteria(case, tmp_path):
    old, new, fragments = CRITERIA_CASES[case]
    text = TINY.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the tiny set"
    broken = tmp_path / "tiny-criteria.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_criteria(broken)
    report = info.value.format()
    for fragment in fragments:
        assert fragment in report, f"{fragment!r} not in:\n{report}"
    for d in info.value.diagnostics:
        assert d.line is not None and d.hint, d


def test_atomic_write_keeps_the_usual_file_mode(tmp_path):
    import os

    from engine.inputs.yamlio import atomic_write

    target = tmp_path / "out" / "dossier.html"
    atomic_write(target, "<p>xin chào</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_text(encoding="utf-8") == "<p>xin chào</p>"
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["dossier.html"]
