"""The yearly decision rules, pure: a commune's title before the year + this year's verdict → decision.

- qualifying and holding no title → **new** (công nhận mới);
- holding a title still valid at the end of the year, and qualifying → **maintained** (duy trì);
- holding a title that expires by the end of the year (recognised ``validity_years`` ago; 3 in both
  sets), and qualifying → **re-recognised** (công nhận lại);
- holding a title and not qualifying → **withdrawn** (rút danh hiệu);
- not qualifying and holding no title → no decision.

A title is held from a new or re-recognition decision until it is withdrawn or lapses: it lapses when
its validity ended before the year began (no re-recognition was decided in time); a commune with a
lapsed title that qualifies again is recognised anew. A recognition decided on date D with a validity
of N years is valid until the day before D + N years. The verdict is the one durable_rules gave for
the commune's latest evaluation of the year; these rules only read it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.i18n import Message

DecisionKind = Literal["new", "maintained", "re_recognised", "withdrawn"]
KINDS: tuple[DecisionKind, ...] = ("new", "maintained", "re_recognised", "withdrawn")

KIND_LABELS: dict[str, Message] = {
    "new": Message("register.kind_new"),
    "maintained": Message("register.kind_maintained"),
    "re_recognised": Message("register.kind_re_recognised"),
    "withdrawn": Message("register.kind_withdrawn"),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Title(_Frozen):
    """What a commune holds at the start of a year, from its last decision of an earlier year."""

    recognised: bool
    recognised_year: int | None = None
    valid_until: dt.date | None = None
    last_kind: DecisionKind | None = None
    last_year: int | None = None
    lapsed: bool = False


NO_TITLE = Title(recognised=False)


class Outcome(_Frozen):
    kind: DecisionKind | None
    recognised_year: int | None
    valid_until: dt.date | None
    reason: Message


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def valid_until(decision_date: dt.date, validity_years: int) -> dt.date:
    return add_years(decision_date, validity_years) - dt.timedelta(days=1)


def title_at(
    year: int,
    last_kind: DecisionKind | None,
    last_year: int | None,
    recognised_year: int | None,
    until: dt.date | None,
) -> Title:
    """The title held at the start of ``year`` given the last decision of an earlier year."""
    if last_kind is None or last_kind == "withdrawn":
        return Title(recognised=False, last_kind=last_kind, last_year=last_year)
    if until is not None and until < dt.date(year, 1, 1):
        return Title(
            recognised=False,
            recognised_year=recognised_year,
            valid_until=until,
            last_kind=last_kind,
            last_year=last_year,
            lapsed=True,
        )
    return Title(
        recognised=True,
        recognised_year=recognised_year,
        valid_until=until,
        last_kind=last_kind,
        last_year=last_year,
    )


def decide(
    title: Title, qualified: bool | None, year: int, decision_date: dt.date, validity_years: int
) -> Outcome:
    """The decision for ``year``; ``qualified`` None means the commune was not evaluated that year."""
    if qualified is None:
        if title.recognised:
            return Outcome(
                kind=None,
                recognised_year=title.recognised_year,
                valid_until=title.valid_until,
                reason=Message("register.not_evaluated"),
            )
        return Outcome(
            kind=None, recognised_year=None, valid_until=None, reason=Message("register.no_decision")
        )
    if not title.recognised:
        if qualified:
            why = Message("register.qualifies_lapsed") if title.lapsed else Message("register.qualifies_new")
            return Outcome(
                kind="new",
                recognised_year=year,
                valid_until=valid_until(decision_date, validity_years),
                reason=why,
            )
        return Outcome(
            kind=None,
            recognised_year=None,
            valid_until=None,
            reason=Message("register.not_qualified"),
        )
    if not qualified:
        return Outcome(
            kind="withdrawn",
            recognised_year=None,
            valid_until=None,
            reason=Message("register.no_longer_qualifies", year=title.recognised_year),
        )
    due = title.valid_until is not None and title.valid_until <= dt.date(year, 12, 31)
    if due:
        return Outcome(
            kind="re_recognised",
            recognised_year=year,
            valid_until=valid_until(decision_date, validity_years),
            reason=Message("register.title_expires", year=title.recognised_year, until=title.valid_until),
        )
    return Outcome(
        kind="maintained",
        recognised_year=title.recognised_year,
        valid_until=title.valid_until,
        reason=Message("register.title_valid", year=title.recognised_year),
    )
