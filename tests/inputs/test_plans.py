"""Plan files: every shipped plan loads, every target equals its source, broken files give file:line."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from engine.errors import UserError
from engine.inputs.plans import PLANS_DIR, available_plans, load_plan, plans_for, resolve_plan

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _vi_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def test_every_plan_loads_with_its_targets() -> None:
    plans = available_plans()
    assert set(plans) == {
        "dien-bien-2021",
        "lai-chau-2021-2025",
        "lai-chau-2030",
        "muong-la-2026-2030",
        "national-2026-2035",
        "tuan-giao-2021",
    }
    assert all(p.targets for p in plans.values())


# The figures of the seed plans, as the domain brief (§6) and the seeds state them:
# (plan, target) -> (comparator, value, baseline value, baseline year, due year)
EXPECTED = {
    ("lai-chau-2021-2025", "full-immunisation"): ("gt", 93, None, None, 2025),
    ("lai-chau-2021-2025", "underweight-under5"): ("lt", 15, None, None, 2025),
    ("lai-chau-2021-2025", "stunting-under5"): ("lte", 20, None, None, 2025),
    ("lai-chau-2021-2025", "hypertension-managed"): ("gte", 50, 35, 2020, 2025),
    ("lai-chau-2021-2025", "diabetes-managed"): ("gte", 30, 12, 2020, 2025),
    ("lai-chau-2021-2025", "stations-managing-ncd"): ("gte", 90, None, None, 2025),
    ("lai-chau-2021-2025", "stations-family-medicine"): ("gte", 15, None, None, 2025),
    ("lai-chau-2021-2025", "communes-qualifying"): ("gt", 90, None, None, 2025),
    ("lai-chau-2030", "doctors-per-10000"): ("gt", 13.5, 13.1, 2025, 2030),
    ("lai-chau-2030", "communes-qualifying"): ("gte", 92.11, 78.95, 2025, 2030),
    ("lai-chau-2030", "stunting-under5"): ("lt", 17, 19.93, 2025, 2030),
    ("lai-chau-2030", "bhyt-coverage"): ("gte", 96, 95, 2025, 2030),
    ("lai-chau-2030", "life-expectancy"): ("gte", 70, 68.5, 2025, 2030),
    ("lai-chau-2030", "stations-core-staff"): ("gte", 100, None, None, 2030),
    ("muong-la-2026-2030", "essential-immunisation"): ("gt", 95, None, None, 2030),
    ("muong-la-2026-2030", "station-doctors"): ("gte", 4, None, None, 2027),
    ("muong-la-2026-2030", "bhyt-visits-at-station"): ("gt", 20, None, None, 2027),
    ("muong-la-2026-2030", "bhyt-coverage-2026"): ("gt", 95, None, None, 2026),
    ("muong-la-2026-2030", "bhyt-universal-2030"): ("gte", 100, None, None, 2030),
    ("muong-la-2026-2030", "annual-health-check"): ("gte", 100, None, None, 2026),
    ("muong-la-2026-2030", "electronic-health-book"): ("gte", 100, None, None, 2026),
    ("muong-la-2026-2030", "life-expectancy"): ("gte", 75, None, None, 2030),
    ("muong-la-2026-2030", "healthy-life-years"): ("gte", 70, None, None, 2030),
    ("tuan-giao-2021", "muong-khong-qualifies"): ("eq", 1, None, None, 2021),
    ("tuan-giao-2021", "ta-ma-qualifies"): ("eq", 1, None, None, 2021),
    ("tuan-giao-2021", "keep-title-14"): ("gte", 14, None, None, 2021),
    ("tuan-giao-2021", "communes-with-doctor"): ("gte", 100, None, None, 2021),
    ("tuan-giao-2021", "stations-medicinal-garden"): ("gte", 100, None, None, 2021),
    ("dien-bien-2021", "communes-qualifying-count"): ("gte", 119, 111, 2021, 2021),
    ("dien-bien-2021", "communes-qualifying-share"): ("gte", 92.2, 86.1, 2021, 2021),
    ("national-2026-2035", "communes-qualifying-2030"): ("gte", 90, None, None, 2030),
    ("national-2026-2035", "communes-qualifying-2035"): ("gte", 95, None, None, 2035),
}


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: f"{k[0]}:{k[1]}")
def test_target_figures_equal_the_source(key: tuple[str, str]) -> None:
    plan = available_plans()[key[0]]
    t = plan.target(key[1])
    comparator, value, base, base_year, due = EXPECTED[key]
    assert (t.comparator, t.value, t.due_year) == (comparator, value, due)
    assert (t.baseline.value if t.baseline else None, t.baseline.year if t.baseline else None) == (
        base,
        base_year,
    )
    # The printed figure stands in the source's own words (interpreted targets state it in words).
    if t.reading == "exact" and t.measure.kind != "qualifies":
        assert _vi_number(t.value) in t.source.quote
        if t.baseline:
            assert _vi_number(t.baseline.value) in t.source.quote


def test_every_target_is_in_the_catalogue_of_expected_figures() -> None:
    shipped = {(p.id, t.id) for p in available_plans().values() for t in p.targets}
    assert shipped == set(EXPECTED)


def test_quotes_are_verbatim_in_their_source_documents() -> None:
    """Every quote stands in its seed (or the domain brief), whitespace and Unicode form aside.

    The seeds live beside the repository (../shared); on a checkout without them the quotes can
    still be read against the shipped copies of the figures above.
    """
    checked = 0
    for plan in available_plans().values():
        for t in plan.targets:
            m = re.match(r"seed (\S+)", t.source.document)
            doc = SHARED / "seeds" / m.group(1) if m else SHARED / "domain" / "README.md"
            if doc.exists():
                assert _norm(t.source.quote) in _norm(doc.read_text(encoding="utf-8")), (plan.id, t.id)
                checked += 1
            assert t.source.section and t.source.document
    assert checked in (0, len(EXPECTED))


def test_resolve_plan_by_id_and_path() -> None:
    assert resolve_plan("dien-bien-2021").scope.communes_total == 129
    assert resolve_plan(str(PLANS_DIR / "tuan-giao-2021.yaml")).id == "tuan-giao-2021"
    with pytest.raises(UserError, match="no plan with id 'nope'"):
        resolve_plan("nope")


def test_plans_for_an_area_and_year() -> None:
    ids = [p.id for p in plans_for("Điện Biên", "Tuần Giáo", 2021)]
    assert ids == ["dien-bien-2021", "tuan-giao-2021"]
    assert [p.id for p in plans_for("Tỉnh Lai Châu", None, 2027)] == ["national-2026-2035", "lai-chau-2030"]
    assert plans_for("Điện Biên", "Tuần Giáo", 2019) == []


GOOD = (PLANS_DIR / "dien-bien-2021.yaml").read_text(encoding="utf-8")

BROKEN = {
    "unknown key": (GOOD.replace("    due_year: 2021\n", "    due_year: 2021\n    deadline: 2021\n", 1),
                    "unknown key 'deadline'", "target communes-qualifying-count"),
    "value as text": (GOOD.replace("value: 119", 'value: "119"'), "valid", "target communes-qualifying-count › value"),
    "share above 100": (GOOD.replace("value: 92.2", "value: 922"), "outside 0–100", "communes-qualifying-share › value"),
    "unknown fact": (
        GOOD.replace("measure: {kind: count_qualifying}", "measure: {kind: weighted_mean, fact: services.bhyt_pct, weight: population}"),
        "unknown fact 'services.bhyt_pct'",
        "measure › fact",
    ),
    "fact target on a province": (
        GOOD.replace("measure: {kind: count_qualifying}", "measure: {kind: fact, fact: staffing.doctors}"),
        "is about one commune",
        "› scope",
    ),
    "duplicate id": (GOOD.replace("id: communes-qualifying-share", "id: communes-qualifying-count"),
                     "used twice", "› id"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_plan_files_are_reported_at_file_line(case: str, tmp_path: Path) -> None:
    text, message, where = BROKEN[case]
    assert text != GOOD
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_plan(path)
    diags = info.value.diagnostics
    hit = [d for d in diags if message in d.message and where in d.where]
    assert hit, info.value.format()
    d = hit[0]
    assert d.path == str(path) and d.line is not None and d.hint
    # the line named is the line of the offending key or value
    line_text = text.splitlines()[d.line - 1]
    assert line_text.strip(), line_text
    assert f"{path}:{d.line}:" in info.value.format()


def test_all_problems_of_a_file_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("value: 92.2", "value: 922").replace("value: 119", "value: 119.5")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_plan(path)
    assert len(info.value.diagnostics) == 2


def test_broken_file_among_plans_fails_available_plans(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD.replace("level: province", "level: planet"), encoding="utf-8")
    with pytest.raises(UserError) as info:
        available_plans(tmp_path)
    assert "b.yaml" in info.value.format()
