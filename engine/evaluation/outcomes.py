"""What a verdict is worth: points of an outcome, the sub-items met, and the threshold's basis.

A verdict is ``(status, outcome)``: for an indicator of one comparison the outcome is the index of
the partial band reached; for an indicator of sub-items it is the bit mask of the items met. Points
are plain arithmetic over that, the same for the evaluator, the planner and the register.

A ``missing`` verdict earns what the known facts already guarantee: nothing for a comparison whose
value is absent, the points of the sub-items met for an indicator of sub-items (an absent fact
earns nothing, the evidence that is there still counts).
"""

from __future__ import annotations

from typing import Any

from engine.inputs.conditions import Basis, Dims, comparisons, resolve
from engine.inputs.criteria import CriteriaSet, Indicator, Status

Verdict = tuple[Status, int | None]  # (status, outcome: band index, or bit mask of sub-items met)


def items_points(ind: Indicator, mask: int) -> float:
    """Points of a sub-item indicator when the items of ``mask`` are met."""
    met = [item.points for k, item in enumerate(ind.items) if mask >> k & 1]
    if ind.scoring == "sum":
        return min(ind.points, sum(met))
    return met[0] if met else 0.0


def met_items(ind: Indicator, verdict: Verdict) -> list[str]:
    """The ids of the sub-items a verdict says were met."""
    mask = verdict[1] or 0
    return [item.id for k, item in enumerate(ind.items) if mask >> k & 1] if ind.items else []


def points_for(cs: CriteriaSet, ind: Indicator, verdict: Verdict) -> float:
    """Points ``ind`` earns for ``verdict``."""
    status, outcome = verdict
    if status == "not_applicable":
        return ind.points if cs.recognition.not_applicable_points == "award" else 0.0
    if ind.items:
        return items_points(ind, outcome or 0)
    if status == "pass":
        return ind.points
    if status in ("partial", "missing") and outcome is not None:
        return ind.partial[outcome].points
    return 0.0


def basis_of(ind: Indicator, dims: Dims) -> Basis:
    """The dimension values that chose the indicator's thresholds for this commune.

    For one comparison, those of its threshold; otherwise those of every threshold it holds.
    """
    if ind.form == "compare":
        thresholds: list[Any] = [ind.threshold, *(b.threshold for b in ind.partial)]
    else:
        conds = [ind.condition] if ind.form == "condition" else [i.when for i in ind.items]
        thresholds = [c.threshold for cond in conds for c in comparisons(cond)]
    out: list[tuple[str, Any]] = []
    for t in thresholds:
        out += [b for b in resolve(t, dims)[1] if b not in out]
    return tuple(out)


def threshold_part(basis: Basis) -> str:
    """The provenance part naming the applied threshold: ``threshold.red-river-delta``."""
    return ".".join(["threshold", *(str(v) for _, v in basis)])
