"""Provincial cost overrides: strict validation with file:line, applied action by action."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import UserError
from engine.inputs.costs import apply_costs, costs_note, load_costs
from engine.inputs.criteria import CriteriaSet
from engine.planner.actions import collect_actions

ROOT = Path(__file__).resolve().parents[2]
COSTS = ROOT / "criteria" / "costs"


def test_every_shipped_cost_file_is_valid(national: CriteriaSet) -> None:
    files = sorted(COSTS.glob("*.yaml"))
    assert files
    for f in files:
        load_costs(f, national)


def test_overrides_replace_only_the_named_figures(national: CriteriaSet) -> None:
    costs = load_costs(COSTS / "dien-bien.yaml", national)
    changed = apply_costs(national, costs)
    before, after = collect_actions(national), collect_actions(changed)
    assert before.keys() == after.keys()
    for aid, pa in after.items():
        o = costs.actions.get(aid)
        old = before[aid].action
        assert pa.action.cost_vnd == (o.cost_vnd if o and o.cost_vnd is not None else old.cost_vnd)
        assert pa.action.lead_time_months == (
            o.lead_time_months if o and o.lead_time_months is not None else old.lead_time_months
        )
        assert pa.action.effects == old.effects
    assert any(after[a].action.cost_vnd != before[a].action.cost_vnd for a in costs.actions)
    note = costs_note(costs, COSTS / "dien-bien.yaml")
    assert (
        "Điện Biên" in note.text("vi")
        and "Indicative" in note.text("en")
        and "Illustrative" in note.text("en")
    )


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "costs.yaml"
    p.write_text(text, encoding="utf-8")
    return p


HEAD = "schema_version: 1\nprovince: Thử\ncriteria_set: national-2030\nsource: test\n"


def test_unknown_action_is_located_and_a_close_id_suggested(tmp_path: Path, national: CriteriaSet) -> None:
    p = write(tmp_path, HEAD + "actions:\n  station-repiar:\n    cost_vnd: 5\n  garden-labels: {}\n")
    with pytest.raises(UserError) as exc:
        load_costs(p, national)
    d1, d2 = exc.value.diagnostics
    assert (d1.line, "station-repiar" in d1.message, "station-repair" in d1.hint) == (6, True, True)
    assert d2.line == 8 and "overrides nothing" in d2.message


def test_wrong_types_and_unknown_keys_are_all_reported(tmp_path: Path, national: CriteriaSet) -> None:
    p = write(
        tmp_path,
        HEAD + "colour: red\nactions:\n  station-repair:\n    cost_vnd: '5'\n    lead_time_months: -1\n",
    )
    with pytest.raises(UserError) as exc:
        load_costs(p, national)
    lines = sorted(d.line or 0 for d in exc.value.diagnostics)  # a diagnostic without a line fails
    assert lines == [5, 8, 9]
    assert str(p) in exc.value.format()


def test_a_file_for_another_set_is_refused(tmp_path: Path, national: CriteriaSet) -> None:
    p = write(
        tmp_path,
        HEAD.replace("national-2030", "national-2020") + "actions:\n  station-repair: {cost_vnd: 1}\n",
    )
    with pytest.raises(UserError) as exc:
        load_costs(p, national)
    d = exc.value.diagnostics[0]
    assert d.line == 3 and "national-2020" in d.message and d.code == "CO101"


def test_cli_applies_costs_and_reports_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    facts = ROOT / "communes" / "dien-bien" / "tuan-giao" / "ta-ma.yaml"
    assert (
        main(["plan", str(facts), "--costs", str(COSTS / "dien-bien.yaml"), "--lang", "en", "--top", "1"])
        == 0
    )
    assert "Indicative costs for Điện Biên" in capsys.readouterr().out
    bad = write(tmp_path, HEAD + "actions:\n  nope: {cost_vnd: 1}\n")
    assert main(["plan", str(facts), "--costs", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:6:3" in err and "hint:" in err
