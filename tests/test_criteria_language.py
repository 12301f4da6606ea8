"""docs/criteria-language.md: every example is linted and evaluated, and gives the verdicts it says.

Each fenced ``yaml`` block holding ``indicators`` is an example: its indicators are placed in the
page's skeleton (the block marked ``yaml skeleton``) in one criterion whose maxima are their points,
with the example's ``zoning`` if it has one; the file must lint clean, and each of its ``communes``
(written as fact files, year 2024 unless it says) must get the ``expect``-ed verdicts.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.evaluation.evaluator import Evaluator
from engine.inputs.loader import load_criteria, load_facts
from tests.support import ROOT

DOC = ROOT / "docs" / "criteria-language.md"
BLOCK = re.compile(r"```yaml( skeleton)?\n(.*?)```", re.S)


def _blocks() -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    skeleton: dict[str, Any] = {}
    examples = []
    heading = ""
    text = DOC.read_text(encoding="utf-8")
    for m in BLOCK.finditer(text):
        heading = next((h for h in re.findall(r"^## (.+)$", text[: m.start()], re.M)[::-1]), heading)
        data = yaml.safe_load(m.group(2).replace("\nno:", "\n'no':").replace(" no: ", " 'no': "))
        if m.group(1):
            skeleton = data
        elif isinstance(data, dict) and "indicators" in data:
            examples.append((heading, data))
    return skeleton, examples


SKELETON, EXAMPLES = _blocks()


def _set_of(example: dict[str, Any]) -> dict[str, Any]:
    cs = copy.deepcopy(SKELETON)
    crit = cs["criteria"][0]
    crit["id"] = example["indicators"][0]["id"].split(".")[0]
    crit["indicators"] = copy.deepcopy(example["indicators"])
    points = sum(i["points"] for i in example["indicators"])
    crit["max_points"] = cs["max_points"] = points
    if "zoning" in example:
        cs["zoning"] = copy.deepcopy(example["zoning"])
    return cs


def test_the_page_has_its_skeleton_and_an_example_per_construct():
    assert SKELETON["criteria"][0]["indicators"] == []
    headings = {h for h, _ in EXAMPLES}
    for construct in (
        "Official numbers",
        "Conditions",
        "Scored sub-items",
        "The zoning rule",
        "Worked example",
    ):
        assert any(h.startswith(construct) for h in headings), construct
    assert len(EXAMPLES) >= 9


@pytest.mark.parametrize(
    ("heading", "example"), EXAMPLES, ids=[f"{k}-{h[:30]}" for k, (h, _) in enumerate(EXAMPLES)]
)
def test_example_lints_clean_and_gives_its_verdicts(heading, example, tmp_path: Path):
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(_set_of(example), allow_unicode=True, sort_keys=False), encoding="utf-8")
    cs = load_criteria(path)  # every lint rule: raises on any problem
    facts = []
    for k, commune in enumerate(example["communes"]):
        f = tmp_path / f"commune-{k}.yaml"
        f.write_text(yaml.safe_dump({"year": 2024, **commune}, allow_unicode=True), encoding="utf-8")
        facts.append(load_facts(f))
    results = Evaluator(cs).evaluate(facts)
    assert len(example["expect"]) == len(results)
    for expected, r in zip(example["expect"], results, strict=True):
        by_id = {i.id: i for i in r.indicators}
        for key, want in expected.items():
            if key == "zone_check":
                assert r.zone_check is not None
                assert r.zone_check.model_dump(include=set(want)) == want, heading
                continue
            got = by_id[key]
            want = want if isinstance(want, dict) else {"status": want}
            assert {k: getattr(got, k) for k in want} == want, (heading, r.commune.name, key)
