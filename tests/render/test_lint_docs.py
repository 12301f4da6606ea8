"""The reference of the lint rules (docs/lint-rules.md) is generated from the rules and never drifts."""

from __future__ import annotations

from engine.inputs.lint.registry import all_rules
from engine.render import lint_rules
from tests.support import ROOT

DOC = ROOT / "docs" / "lint-rules.md"


def test_lint_rule_docs_are_current():
    assert DOC.exists(), "run: commune-health criteria lint --docs --out docs/lint-rules.md"
    assert DOC.read_text(encoding="utf-8") == lint_rules.markdown(all_rules()), (
        "docs are stale: run commune-health criteria lint --docs --out docs/lint-rules.md"
    )


def test_every_rule_has_its_section_with_why_and_fix():
    text = lint_rules.markdown(all_rules())
    for r in all_rules():
        section = text.split(f"\n### {r.code}\n", 1)[1].split("\n### ", 1)[0]
        assert r.summary in section and r.why in section and r.fix in section, r.code
        assert f"[{r.code}](#{r.code.lower()})" in text
