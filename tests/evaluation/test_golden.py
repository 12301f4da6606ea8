"""Golden cases: folders of facts plus expected verdicts, discovered automatically.

Each folder under tests/golden/ holds ``facts.yaml`` and ``expected.yaml``::

    criteria: national-2030        # criteria set id
    qualified: false
    total_score: 97.0
    criteria_failed: ['9']         # optional: criteria below their floor
    reasons_contain: ['2.1']       # optional: fragments of the reasons
    statuses: {default: pass, '2.1': fail}
    numbers: {'7.5': 35}           # optional: official numbers of indicators
    points: {'7.5': 1.0}           # optional: points of indicators
    zone_check: {declared: 1, by_rule: 3, agrees: false, finding: stricter}   # optional
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.evaluation.evaluator import Evaluator
from engine.inputs.loader import load_facts, resolve_set

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.yaml").exists())


def expected_of(case: str) -> dict:
    return yaml.safe_load((GOLDEN / case / "expected.yaml").read_text(encoding="utf-8"))


def statuses_of(case: str, indicator_ids: list[str]) -> dict[str, str]:
    spec: dict[str, str] = dict(expected_of(case)["statuses"])
    default = spec.pop("default")
    unknown = set(spec) - set(indicator_ids)
    assert not unknown, f"{case}: expected.yaml names unknown indicators {unknown}"
    return {i: spec.get(i, default) for i in indicator_ids}


@pytest.fixture(scope="module")
def evaluators() -> dict[str, Evaluator]:
    return {}


@pytest.mark.parametrize("case", CASES)
def test_golden(case, evaluators):
    exp = expected_of(case)
    cs = resolve_set(exp["criteria"])
    ev = evaluators.setdefault(cs.id, Evaluator(cs))
    result = ev.evaluate_one(load_facts(GOLDEN / case / "facts.yaml"))
    got = {i.id: i.status for i in result.indicators}
    want = statuses_of(case, list(got))
    diff = {k: (want[k], got[k]) for k in got if want[k] != got[k]}
    assert not diff, f"(expected, got): {diff}"
    assert result.qualified is exp["qualified"]
    assert result.total_score == pytest.approx(exp["total_score"])
    if "criteria_failed" in exp:
        assert result.criteria_below_floor == exp["criteria_failed"]
    for fragment in exp.get("reasons_contain", []):
        assert any(fragment in r.text("en") for r in result.reasons), [r.text("en") for r in result.reasons]
    assert result.qualified == (not result.reasons)
    by_id = {i.id: i for i in result.indicators}
    assert {k: by_id[k].no for k in exp.get("numbers", {})} == exp.get("numbers", {})
    assert {k: by_id[k].points for k in exp.get("points", {})} == pytest.approx(exp.get("points", {}))
    if "zone_check" in exp:
        assert result.zone_check is not None
        assert result.zone_check.model_dump(include=set(exp["zone_check"])) == exp["zone_check"]


def test_golden_cases_were_found():
    assert len(CASES) >= 5
