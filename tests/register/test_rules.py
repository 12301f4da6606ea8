"""The yearly decision rules (engine.register.rules), year by year, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.register.rules import NO_TITLE, DecisionKind, Title, add_years, decide, title_at, valid_until


def run_years(verdicts: dict[int, bool | None], validity: int = 3) -> dict[int, str | None]:
    """Apply the rules year after year, each decision dated 15 December, as a council would."""
    last: tuple[DecisionKind | None, int | None, int | None, dt.date | None] = (None, None, None, None)
    out: dict[int, str | None] = {}
    for year, qualified in sorted(verdicts.items()):
        title = title_at(year, *last)
        o = decide(title, qualified, year, dt.date(year, 12, 15), validity)
        out[year] = o.kind
        if o.kind is not None:
            last = (o.kind, year, o.recognised_year, o.valid_until)
    return out


def test_recognised_2019_under_4667_maintained_then_due_again():
    # Recognised in 2019 (4667/QĐ-BYT), valid until 14/12/2022: due in the 2022 review; then again
    # in 2025 (the 1300/QĐ-BYT years in between only maintain it).
    got = run_years({y: True for y in range(2019, 2026)})
    assert got == {
        2019: "new",
        2020: "maintained",
        2021: "maintained",
        2022: "re_recognised",
        2023: "maintained",
        2024: "maintained",
        2025: "re_recognised",
    }


def test_failing_holder_is_withdrawn_and_qualifying_again_is_new():
    got = run_years({2019: True, 2020: False, 2021: False, 2022: True, 2023: True})
    assert got == {2019: "new", 2020: "withdrawn", 2021: None, 2022: "new", 2023: "maintained"}


def test_not_qualifying_and_not_recognised_gets_no_decision():
    assert run_years({2023: False, 2024: False}) == {2023: None, 2024: None}


def test_a_year_without_evaluation_proposes_nothing_and_the_title_can_lapse():
    got = run_years({2019: True, 2020: None, 2021: None, 2022: None, 2023: True})
    # valid until 14/12/2022; nothing was decided in 2022, so in 2023 the title has lapsed: new.
    assert got == {2019: "new", 2020: None, 2021: None, 2022: None, 2023: "new"}
    o = decide(title_at(2023, "new", 2019, 2019, dt.date(2022, 12, 14)), True, 2023, dt.date(2023, 12, 1), 3)
    assert o.reason.text("en").startswith("Qualifies; the former title had lapsed")


def test_validity_comes_from_the_criteria_set():
    got = run_years({y: True for y in range(2020, 2026)}, validity=5)
    assert got[2025] == "re_recognised" and got[2024] == "maintained"  # until 14/12/2025


@pytest.mark.parametrize(
    ("until", "year", "kind"),
    [
        (dt.date(2022, 12, 31), 2022, "re_recognised"),  # expires on the last day of the year: due
        (dt.date(2023, 1, 1), 2022, "maintained"),  # still valid after the year: maintained
        (dt.date(2022, 1, 1), 2022, "re_recognised"),  # valid into the year: not lapsed, due
    ],
)
def test_due_boundary(until, year, kind):
    title = Title(recognised=True, recognised_year=year - 3, valid_until=until, last_kind="new")
    assert decide(title, True, year, dt.date(year, 12, 15), 3).kind == kind


def test_maintained_keeps_the_original_validity_and_recognition_year():
    title = Title(recognised=True, recognised_year=2023, valid_until=dt.date(2026, 12, 14), last_kind="new")
    o = decide(title, True, 2024, dt.date(2024, 12, 20), 3)
    assert (o.kind, o.recognised_year, o.valid_until) == ("maintained", 2023, dt.date(2026, 12, 14))


def test_withdrawal_ends_the_title():
    title = Title(recognised=True, recognised_year=2023, valid_until=dt.date(2026, 12, 14), last_kind="new")
    o = decide(title, False, 2024, dt.date(2024, 12, 20), 3)
    assert (o.kind, o.valid_until) == ("withdrawn", None)
    assert not title_at(2025, "withdrawn", 2024, None, None).recognised


def test_valid_until_is_the_day_before_the_anniversary_even_from_29_february():
    assert valid_until(dt.date(2019, 12, 15), 3) == dt.date(2022, 12, 14)
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert decide(NO_TITLE, True, 2024, dt.date(2024, 2, 29), 3).valid_until == dt.date(2027, 2, 27)
