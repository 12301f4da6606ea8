"""Numbers reach durable_rules exactly: extreme floats as facts and as thresholds, against the reference.

durable_rules parses JSON numbers itself and reads an exponent only after a fraction: Python's
``1e-05`` (0.00001) used to make a whole batch fail (exit 3 for every commune). Every operator is
checked here at and around extreme thresholds — subnormal, tiny, just below a whole number, huge —
with values on both sides of each (the next double up and down), against ``tests/reference.py``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import EngineError
from engine.evaluation.evaluator import Evaluator
from engine.evaluation.inference import durable_json, durable_number
from engine.inputs.criteria import CriteriaSet
from engine.inputs.facts import MAX_FIGURE
from tests import reference
from tests.support import commune, tiny_set_data

EXTREME = [0.0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e-05, 9.999999999999999e-05, 0.0001,
           0.1, 1 / 3, 94.99999999999999, 95.0, 99.99999999999999, 100.0]  # fmt: skip
HUGE = [1e15, 9999999999999998.0, 1e16, 1.0000000000000002e16, 123456789.00000001, float(MAX_FIGURE)]


def sections_of(section: str, name: str, value: object) -> dict[str, Any]:
    """``{section: {name: value}}``, typed as keyword arguments of :func:`commune`."""
    return {section: {name: value}}


def around(x: float, low: float, high: float) -> list[float]:
    """``x`` and the next doubles below and above it, kept within [low, high]."""
    return sorted(
        {min(high, max(low, v)) for v in (x, math.nextafter(x, -math.inf), math.nextafter(x, math.inf))}
    )


def check(data: dict, indicator: str, fact: str, values: list[float | int]) -> None:
    cs = CriteriaSet.model_validate(data)
    section, name = fact.split(".")
    communes = [commune(zone=z, **sections_of(section, name, v)) for v in values for z in (1, 2, 3)]
    results = Evaluator(cs).evaluate(communes)
    for facts, r in zip(communes, results, strict=True):
        got = {i.id: i.status for i in r.indicators}[indicator]
        assert got == reference.verdicts(cs, facts)[indicator][0], (indicator, facts.get(fact))


@pytest.mark.parametrize("operator", ["gte", "gt", "lte", "lt", "eq"])
@pytest.mark.parametrize("threshold", EXTREME, ids=repr)
def test_extreme_percentages_as_facts_and_thresholds(operator: str, threshold: float) -> None:
    data = tiny_set_data()
    ind = data["criteria"][0]["indicators"][1]  # 1.2: services.full_immunisation_under1_pct
    ind.update(operator=operator, threshold=threshold, partial=[])
    values = [v for t in EXTREME for v in around(t, 0.0, 100.0)] + around(threshold, 0.0, 100.0)
    check(data, "1.2", "services.full_immunisation_under1_pct", values)


@pytest.mark.parametrize("threshold", HUGE, ids=repr)
def test_huge_numbers_as_facts_and_thresholds(threshold: float) -> None:
    data = tiny_set_data()
    ind = data["criteria"][0]["indicators"][1]
    ind.update(fact="medicinal_garden.area_m2", operator="gte", threshold=threshold, partial=[])
    values = [v for t in HUGE for v in around(t, 0.0, float(MAX_FIGURE))] + [0.0, 5e-324, 1e-05]
    check(data, "1.2", "medicinal_garden.area_m2", values)


@settings(max_examples=60, deadline=None)
@given(
    threshold=st.floats(0, 100, allow_subnormal=True),
    band=st.floats(0, 100, allow_subnormal=True),
    values=st.lists(st.floats(0, 100, allow_subnormal=True), min_size=1, max_size=8),
)
def test_random_floats_with_a_band_agree_with_the_reference(threshold, band, values) -> None:
    data = tiny_set_data()
    ind = data["criteria"][0]["indicators"][1]
    ind.update(threshold=max(threshold, band), partial=[{"threshold": min(threshold, band), "points": 1}])
    check(data, "1.2", "services.full_immunisation_under1_pct", values + around(threshold, 0, 100))


def test_counts_up_to_the_largest_figure() -> None:
    data = tiny_set_data()
    data["criteria"][0]["indicators"][0]["threshold"] = {1: MAX_FIGURE, 2: 1, 3: MAX_FIGURE - 1}
    check(data, "1.1", "staffing.doctors", [0, 1, MAX_FIGURE - 1, MAX_FIGURE])


def test_numbers_are_written_as_durable_rules_reads_them() -> None:
    assert durable_number(1e-05) == "1.0e-05" and durable_number(1.5e-07) == "1.5e-07"
    assert durable_number(1e16) == "1.0e+16" and durable_number(5e-324) == "5.0e-324"
    assert durable_number(95.5) == "95.5" and durable_number(-0.0) == "-0.0" and durable_number(7) == "7"
    assert float(durable_number(0.1 + 0.2)) == 0.1 + 0.2
    assert durable_json({"v": [1e-05, "1e-05", True, None]}) == '{"v":[1.0e-05,"1e-05",true,null]}'
    for bad in (math.inf, -math.inf, math.nan, 2**63):
        with pytest.raises(EngineError):
            durable_number(bad)
