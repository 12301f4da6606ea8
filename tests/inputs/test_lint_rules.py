"""Every lint rule against its cases: YAML data in ``lint_cases/<CODE>.yml``, one pytest test per case.

A case file (sqlfluff's ``std_rule_cases`` pattern) holds ``pass`` and ``fail`` lists. Each case is a
small patch of a base document — the tiny criteria set, the tiny plan or the tiny cost file of
``tests/data/`` by the code's prefix, or ``base: <path>`` — or a whole ``document``:

    fail:
    - name: one-point-too-many
      set: {criteria/2/indicators/2.3/points: 3}      # path → new value
      delete: [criteria/1/indicators/1.2/partial]     # paths removed
      append: {criteria/1/indicators/1.1/remediation: {…}}
      expect: "criterion 2 › max_points: …"           # a fragment of 'where: message' (or a list)

A path's parts are separated by '/'; in a list a part selects the item whose ``id`` it is, or else
the item at that index. The patched file is linted as ``commune-health criteria lint`` lints it: a
``pass`` case must give no problem at all, a ``fail`` case at least one of its rule's code whose
text holds ``expect``, each at a line with a hint. A top-level ``definitions`` key may hold YAML
anchors shared by the cases.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.inputs.lint.files import lint_file
from engine.inputs.lint.registry import all_rules
from engine.inputs.lint.rule import CODE, NAME
from engine.inputs.yamlio import read_yaml
from tests.support import ROOT

CASES_DIR = Path(__file__).parent / "lint_cases"
BASES = {
    "CS": ROOT / "tests" / "data" / "tiny-criteria.yaml",
    "PL": ROOT / "tests" / "data" / "tiny-plan.yaml",
    "CO": ROOT / "tests" / "data" / "tiny-costs.yaml",
}
CASE_KEYS = {"name", "set", "delete", "append", "document", "base", "expect"}


def _case_files() -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES_DIR.glob("*.yml"))}


CASE_FILES = _case_files()
CASES = [
    pytest.param(code, outcome, case, id=f"{code}/{outcome}/{case['name']}")
    for code, spec in CASE_FILES.items()
    for outcome in ("pass", "fail")
    for case in spec.get(outcome) or []
]


def _step(node: Any, part: str) -> Any:
    """The key or index that ``part`` names in ``node``."""
    if isinstance(node, list):
        for k, item in enumerate(node):
            if isinstance(item, dict) and str(item.get("id")) == part:
                return k
        return int(part)
    if part in node:
        return part
    return int(part) if part.isdigit() else part


def _walk(data: Any, path: str) -> tuple[Any, Any]:
    """The container holding the value at ``path`` and its key there."""
    parts = path.split("/")
    node = data
    for part in parts[:-1]:
        node = node[_step(node, part)]
    return node, _step(node, parts[-1])


def patched(code: str, case: dict[str, Any], tmp_path: Path) -> Path:
    """The case's document, written to a file named like its base."""
    base = ROOT / case.get("base", CASE_FILES[code].get("base", BASES[code[:2]]))
    target = tmp_path / base.name
    if "document" in case:
        target.write_text(case["document"], encoding="utf-8")
        return target
    data = read_yaml(base).data  # the loader's reading: a key 'no' (an official number) stays a word
    for path, value in (case.get("set") or {}).items():
        node, key = _walk(data, path)
        node[key] = copy.deepcopy(value)
    for path in case.get("delete") or []:
        node, key = _walk(data, path)
        del node[key]
    for path, value in (case.get("append") or {}).items():
        node, key = _walk(data, path)
        node[key].append(copy.deepcopy(value))
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.mark.parametrize(("code", "outcome", "case"), CASES)
def test_rule_case(code: str, outcome: str, case: dict[str, Any], tmp_path: Path) -> None:
    assert set(case) <= CASE_KEYS, f"unknown keys in the case: {set(case) - CASE_KEYS}"
    linted = lint_file(patched(code, case, tmp_path))
    report = "\n".join(d.format() for d in linted.diagnostics)
    if outcome == "pass":
        assert linted.diagnostics == (), report
        return
    mine = [d for d in linted.diagnostics if d.code == code]
    assert mine, f"{code} found nothing; the report:\n{report}"
    expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    texts = [f"{d.where}: {d.message}" if d.where else d.message for d in mine]
    for fragment in expected:
        assert any(fragment in t for t in texts), f"{fragment!r} not in:\n{report}"
    for d in mine:
        assert d.line is not None and d.col is not None and d.hint, d
        assert d.format().splitlines()[0].endswith(f"[{code}]"), d.format()


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    codes = {r.code for r in all_rules()}
    assert set(CASE_FILES) - codes == set(), "case files for codes no rule has"
    lacking = sorted(
        code for code in codes if not (CASE_FILES.get(code, {}).get("pass") and CASE_FILES[code].get("fail"))
    )
    assert lacking == [], f"rules without a passing and a failing case in {CASES_DIR.name}/"


def test_case_names_are_unique_within_a_rule() -> None:
    for code, spec in CASE_FILES.items():
        names = [c["name"] for outcome in ("pass", "fail") for c in spec.get(outcome) or []]
        assert len(names) == len(set(names)), code
        assert set(spec) <= {"pass", "fail", "base", "definitions"}, code


def test_every_rule_is_coded_named_and_documented() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules), "a code is used twice"
    for r in rules:
        assert CODE.match(r.code), r.code
        assert NAME.match(r.name), f"{r.code}: name {r.name!r} is not kebab-case"
        assert r.summary.endswith(".") and "\n" not in r.summary, r.code
        assert len(r.why) > 40 and len(r.fix) > 10, f"{r.code}: why and fix say what and how"
    names = [(r.kind, r.name) for r in rules]
    assert len(names) == len(set(names)), "two rules of one kind of file share a name"


def test_the_walker_addresses_items_by_id_and_by_index(tmp_path: Path) -> None:
    case = {"name": "x", "set": {"criteria/2/indicators/2.3/points": 7, "criteria/0/indicators/0/points": 9}}
    data = yaml.safe_load(patched("CS101", case, tmp_path).read_text(encoding="utf-8"))
    assert data["criteria"][1]["indicators"][2]["points"] == 7  # criterion '2', indicator '2.3'
    assert data["criteria"][0]["indicators"][0]["points"] == 9  # no item with id '0': index 0
