"""What-if simulation: typed assignments, strict validation, the difference before/after."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from engine.errors import UserError
from engine.evaluation.evaluator import Evaluator
from engine.inputs.loader import load_facts
from engine.planner.whatif import parse_assignments, simulate

ROOT = Path(__file__).resolve().parents[2]
MUONG_KHONG = ROOT / "communes" / "dien-bien" / "tuan-giao" / "muong-khong.yaml"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("staffing.doctors=2", {"staffing.doctors": 2}),
        ("services.bhyt_coverage_pct=95,5", {"services.bhyt_coverage_pct": 95.5}),
        ("services.bhyt_coverage_pct=96%", {"services.bhyt_coverage_pct": 96.0}),
        ("facilities.has_clean_water=có", {"facilities.has_clean_water": True}),
        ("facilities.has_clean_water=false", {"facilities.has_clean_water": False}),
        ("facilities.station_condition=good", {"facilities.station_condition": "good"}),
        ("staffing.doctors=null", {"staffing.doctors": None}),
        ("commune.zone=3", {"commune.zone": 3}),
        ("commune.region=red-river-delta", {"commune.region": "red-river-delta"}),
        ("commune.geography=lowland", {"commune.geography": "lowland"}),
    ],
)
def test_values_are_typed_like_the_fact_file(item: str, expected: dict[str, object]) -> None:
    got = parse_assignments([item])
    assert got == expected
    assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize(
    ("item", "message", "hint"),
    [
        ("staffing.doctor=1", "unknown fact 'staffing.doctor'", "staffing.doctors"),
        ("staffing.doctors=1.5", "is a count", "staffing.doctors=2"),
        ("staffing.doctors=-1", "is a count", "staffing.doctors=2"),
        ("facilities.has_clean_water=maybe", "is yes/no", "=true"),
        ("facilities.station_condition=ruined", "cannot be 'ruined'", "needs_rebuild"),
        ("services.bhyt_coverage_pct=lots", "is a number", "=95"),
        ("commune.zone=4", "must be one of 1, 2, 3", "commune.zone=3"),
        ("commune.region=mars", "must be one of northern-midlands-mountains", ""),
        ("doctors", "expected PATH=VALUE", "--set"),
    ],
)
def test_bad_assignments_are_user_errors_with_hints(item: str, message: str, hint: str) -> None:
    with pytest.raises(UserError) as exc:
        parse_assignments([item])
    d = exc.value.diagnostics[0]
    assert d.path == "--set" and message in d.message and hint in d.hint


def test_every_bad_assignment_is_reported_at_once() -> None:
    with pytest.raises(UserError) as exc:
        parse_assignments(["nope=1", "staffing.doctors=x", "staffing.doctors=1", "staffing.doctors=2"])
    assert len(exc.value.diagnostics) == 3  # the unknown fact, the bad count, the repeated fact


def test_out_of_range_is_refused_like_in_a_fact_file(national_evaluator: Evaluator) -> None:
    facts = load_facts(MUONG_KHONG)
    with pytest.raises(UserError) as exc:
        simulate(national_evaluator, facts, parse_assignments(["services.bhyt_coverage_pct=120"]))
    assert "100" in exc.value.diagnostics[0].message


def test_simulation_shows_what_changes(national_evaluator: Evaluator) -> None:
    facts = load_facts(MUONG_KHONG)
    values = parse_assignments(["staffing.doctors=0", "medicinal_garden.species=45"])
    s = simulate(national_evaluator, facts, values, str(MUONG_KHONG))
    changed = {d.id: (d.status_before, d.status_after) for d in s.indicators}
    assert changed["2.1"] == ("pass", "fail") and changed["6.7"][1] == "pass"
    assert set(changed) == {"2.1", "6.7"}
    assert s.total_after == pytest.approx(s.total_before - 3 + 2)
    assert not s.qualified_after
    assert any("2.1" in r.text("en") for r in s.reasons_after)
    assert {c.id for c in s.criteria} == {"2", "6"}
    assert s.draft_indicators > 0 and s.notes == []


def test_a_simulation_that_qualifies_and_an_immutable_note(national_evaluator: Evaluator) -> None:
    facts = load_facts(MUONG_KHONG)
    s = simulate(
        national_evaluator,
        facts,
        parse_assignments(["medicinal_garden.species=45", "commune.population=9000"]),
    )
    assert not s.qualified_before and s.qualified_after
    assert len(s.notes) == 1 and "cannot be changed" in s.notes[0].text("en")


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(MUONG_KHONG), "--set", "medicinal_garden.species=45"]) == 0
    assert main(["simulate", str(MUONG_KHONG), "--set", "staffing.doctors=0", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "Indicators whose result changes" in out and "DRAFT" in out
    assert main(["simulate", str(MUONG_KHONG), "--set", "staffing.doktors=1"]) == 2
    err = capsys.readouterr().err
    assert "unknown fact 'staffing.doktors'" in err and "hint:" in err and "Traceback" not in err
    assert main(["simulate", str(MUONG_KHONG), "--set", "services.bhyt_coverage_pct=101"]) == 2
    assert main(["simulate", "nowhere.yaml", "--set", "staffing.doctors=1"]) == 2


def test_a_region_threshold_in_a_what_if(national_evaluator: Evaluator) -> None:
    """Mường Khong (Điện Biên: ≤ 24 %) at 26.1 % stunting fails indicator 35 in its own region and
    would pass it in Tây Nguyên (≤ 26.5 %)."""
    facts = load_facts(MUONG_KHONG)
    s = simulate(national_evaluator, facts, parse_assignments(["commune.region=central-highlands"]))
    assert [(d.id, d.no, d.status_before, d.status_after) for d in s.indicators] == [
        ("7.5", 35, "fail", "pass")
    ]
    assert len(s.notes) == 1 and "cannot be changed" in s.notes[0].text("en")
