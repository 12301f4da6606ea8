"""Every indicator is documented, sourced, honest about its provenance, and covered by golden cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.inputs.loader import CRITERIA_DIR, available_sets, load_criteria
from engine.render import markdown
from tests.evaluation.test_golden import CASES, expected_of, statuses_of

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted(p.name for p in CRITERIA_DIR.glob("*.yaml"))
PLACEHOLDERS = ("todo", "tbd", "xxx", "lorem", "...")


@pytest.mark.parametrize("name", SETS)
def test_every_indicator_documented_and_sourced(name):
    cs = load_criteria(CRITERIA_DIR / name)
    for _, ind in cs.indicators():
        for part in (ind.doc.what, ind.doc.why, ind.doc.fix, ind.title):
            for text in (part.vi, part.en):
                assert len(text) > 10 and not any(p in text.lower() for p in PLACEHOLDERS), (ind.id, text)
        assert ind.source.strip(), ind.id
        if ind.provenance.status == "confirmed":
            assert ind.provenance.source, ind.id
        else:
            assert ind.provenance.note or ind.provenance.source, f"{ind.id}: a draft must say why"
        assert ind.actions(), f"{ind.id}: no remediation action"


@pytest.mark.parametrize("name", SETS)
def test_generated_docs_are_current(name):
    cs = load_criteria(CRITERIA_DIR / name)
    doc = ROOT / "docs" / "criteria" / f"{cs.id}.md"
    assert doc.exists(), f"run: commune-health criteria docs {cs.id} --out {doc.relative_to(ROOT)}"
    assert doc.read_text(encoding="utf-8") == markdown.render(cs), (
        f"docs are stale: run commune-health criteria docs {cs.id} --out {doc.relative_to(ROOT)}"
    )


def test_fact_docs_are_current():
    doc = ROOT / "docs" / "facts.md"
    assert doc.read_text(encoding="utf-8") == markdown.render_facts(), (
        "docs are stale: run commune-health criteria facts --out docs/facts.md"
    )


def test_every_indicator_has_a_passing_and_a_failing_golden_case():
    sets = available_sets()
    seen: dict[str, dict[str, set[str]]] = {}
    for case in CASES:
        exp = expected_of(case)
        cs = sets[exp["criteria"]]
        for ind_id, status in statuses_of(case, [i.id for _, i in cs.indicators()]).items():
            seen.setdefault(cs.id, {}).setdefault(ind_id, set()).add(status)
    cs = sets["national-2030"]
    lacking = [
        i.id for _, i in cs.indicators() if not {"pass", "fail"} <= seen["national-2030"].get(i.id, set())
    ]
    assert not lacking, f"indicators without a passing and a failing golden case: {lacking}"
