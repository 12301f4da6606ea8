"""Criteria-set rules about points: sums, the pass mark, partial-credit points, their precision."""

from __future__ import annotations

from collections.abc import Iterator

from engine.inputs.criteria import CriteriaSet
from engine.inputs.lint.rule import POINT_DECIMALS, Finding, Loc, decimals, indicators, is_finite, rule

EPS = 1e-9


@rule(
    "CS101",
    "point-sum",
    summary="The points of a criterion's indicators add up to the criterion's maximum.",
    why="A criterion's score is the sum of its indicators' points, and its 50 % floor is taken of its "
    "maximum: when the two disagree, a commune can never reach the maximum, or exceeds it.",
    fix="Correct the indicators' points or the criterion's max_points so that they agree.",
)
def point_sum(cs: CriteriaSet) -> Iterator[Finding]:
    for ci, crit in enumerate(cs.criteria):
        points = sum(ind.points for ind in crit.indicators)
        if abs(points - crit.max_points) > EPS:
            yield Finding(
                ("criteria", ci, "max_points"),
                f"criterion {crit.id}: indicator points add up to {points:g}, "
                f"not its maximum {crit.max_points:g}",
                "make the indicators' points add up to the criterion's maximum",
            )


@rule(
    "CS102",
    "criteria-sum",
    summary="The criteria's maxima add up to the set's max_points.",
    why="The total score is the sum of the criteria's scores: a set whose maxima do not add up to "
    "its max_points cannot be scored out of its own maximum (100 in the national sets).",
    fix="Correct the criteria's max_points or the set's max_points so that they agree.",
)
def criteria_sum(cs: CriteriaSet) -> Iterator[Finding]:
    total = sum(crit.max_points for crit in cs.criteria)
    if abs(total - cs.max_points) > EPS:
        yield Finding(("max_points",), f"criteria maxima add up to {total:g}, not {cs.max_points:g}")


@rule(
    "CS103",
    "pass-mark",
    summary="The recognition pass mark (min_total) is not above the set's maximum score.",
    why="A pass mark above the maximum makes every commune fail, whatever its facts.",
    fix="Lower recognition.min_total to at most max_points (80 of 100 in the national sets).",
)
def pass_mark(cs: CriteriaSet) -> Iterator[Finding]:
    if cs.recognition.min_total > cs.max_points:
        yield Finding(
            ("recognition", "min_total"),
            f"the pass mark {cs.recognition.min_total:g} is above the maximum score {cs.max_points:g}",
            "lower min_total",
        )


@rule(
    "CS110",
    "band-points",
    summary="Partial-credit bands award fewer points than the level above them, most points first.",
    why="A band is a lower level of achievement than the threshold and than the band before it: "
    "awarding it as many points or more rewards doing less.",
    fix="Order the bands from the most to the least points, each below the indicator's points.",
)
def band_points(cs: CriteriaSet) -> Iterator[Finding]:
    for loc, _, ind in indicators(cs):
        previous = ind.points
        for k, band in enumerate(ind.partial):
            if band.points >= previous - EPS:
                yield Finding(
                    (*loc, "partial", k, "points"),
                    f"band points {band.points:g} must be below {previous:g}",
                    "order bands from the most to the least points, each below the full points",
                )
            previous = band.points


@rule(
    "CS119",
    "points-precision",
    summary="Points, maxima and the pass mark are written with at most two decimals.",
    why="Scores are shown with one decimal and the planner counts points exactly in hundredths; "
    "a value such as 0.333333 cannot be counted exactly, and plans would be mis-scored.",
    fix="Round the value to two decimals (0.25, 0.5, 1.75) and adjust the others so sums still agree.",
)
def points_precision(cs: CriteriaSet) -> Iterator[Finding]:
    values: list[tuple[Loc, float]] = [
        (("max_points",), cs.max_points),
        (("recognition", "min_total"), cs.recognition.min_total),
        (("recognition", "min_criterion_share"), cs.recognition.min_criterion_share),
    ]
    for ci, crit in enumerate(cs.criteria):
        values.append((("criteria", ci, "max_points"), crit.max_points))
    for loc, _, ind in indicators(cs):
        values.append(((*loc, "points"), ind.points))
        values.extend(((*loc, "partial", k, "points"), b.points) for k, b in enumerate(ind.partial))
        values.extend(((*loc, "items", k, "points"), i.points) for k, i in enumerate(ind.items))
    for loc, value in values:
        if is_finite(value) and decimals(value) > POINT_DECIMALS:
            yield Finding(loc, f"{value!r} has more than {POINT_DECIMALS} decimals")
