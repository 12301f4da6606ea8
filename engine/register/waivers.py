"""Waivers: an indicator exempted for one commune, with a reason, an approver and an expiry date.

A waiver never changes a verdict: durable_rules still decides the indicator, and every output shows
that verdict flagged "waived". Scoring treats a waived indicator like a not-applicable one (its
points follow the set's ``not_applicable_points`` rule and it cannot fail the commune as a
knockout): see :func:`engine.evaluation.scoring.score`.

Which assessments a waiver covers: those whose reference date — 31 December of the assessment
year, the date the yearly review looks at — lies between ``granted_on`` and ``expires_on``
(inclusive). A waiver expiring in the middle of a year therefore does not cover that year: missing
cover is never a pass. Whether the official process allows waivers at all, and on what terms, is
not in the public texts this project has read: a waiver is this register's record of a decision
taken elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.i18n import msg


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int | None = None
    commune: str = Field(min_length=1, description="Commune code")
    indicator: str = Field(pattern=r"^\d+\.\d+$")
    reason: str = Field(min_length=3)
    approver: str = Field(min_length=2)
    granted_on: dt.date
    expires_on: dt.date
    revoked_on: dt.date | None = None

    @model_validator(mode="after")
    def _dates(self) -> Waiver:
        if self.expires_on < self.granted_on:
            raise ValueError("expires_on is before granted_on")
        return self

    def covers_year(self, year: int) -> bool:
        """Whether this waiver covers an assessment of ``year`` (see the module docstring)."""
        ref = reference_date(year)
        if self.revoked_on is not None and self.revoked_on <= ref:
            return False
        return self.granted_on <= ref <= self.expires_on

    def expired_on(self, day: dt.date) -> bool:
        return self.expires_on < day

    def label(self, lang: str) -> str:
        return msg(
            "register.waiver",
            lang,
            indicator=self.indicator,
            reason=self.reason,
            approver=self.approver,
            until=self.expires_on,
        )


def reference_date(year: int) -> dt.date:
    """The date an assessment of ``year`` is judged at: 31 December of that year."""
    return dt.date(year, 12, 31)


def waived_ids(waivers: Iterable[Waiver], commune: str, year: int) -> frozenset[str]:
    """Ids of the indicators waived for ``commune`` in an assessment of ``year``."""
    return frozenset(w.indicator for w in waivers if w.commune == commune and w.covers_year(year))


def expired(waivers: Iterable[Waiver], day: dt.date) -> list[Waiver]:
    """Waivers past their expiry date on ``day`` (not revoked ones): to report and renew or drop."""
    return sorted(
        (w for w in waivers if w.revoked_on is None and w.expired_on(day)),
        key=lambda w: (w.expires_on, w.commune, w.indicator),
    )


def expiring_in(waivers: Iterable[Waiver], year: int) -> list[Waiver]:
    """Waivers (not revoked) whose expiry date falls in ``year``."""
    return sorted(
        (w for w in waivers if w.revoked_on is None and w.expires_on.year == year),
        key=lambda w: (w.expires_on, w.commune, w.indicator),
    )
