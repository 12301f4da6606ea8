"""Remediation actions as the planner sees them: collected from a criteria set, applied to facts, timed.

An action (``Indicator.remediation`` in the criteria YAML) changes commune facts through its
``effects``: ``set`` a fact to a value, or ``add`` to it. Applying actions never touches an
immutable fact (population, villages, distance to hospital): such an effect is refused here even if
a criteria file slipped past the lint rules (:mod:`engine.inputs.lint`).

Timing. Actions run in parallel, except that actions touching the same fact run one after the
other: first those that ``set`` it, then those that ``add`` to it (an addition builds on what the
setting produced). A plan completes when its longest chain of lead times ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from engine.errors import EngineError
from engine.inputs.criteria import Action, CriteriaSet
from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts


@dataclass(frozen=True)
class PlanAction:
    """One remediation action with the indicators whose remediation lists it."""

    action: Action
    indicators: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.action.id

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.fact for e in self.action.effects))


def collect_actions(cs: CriteriaSet) -> dict[str, PlanAction]:
    """Every action of the set by id, in file order (an id listed twice is one action)."""
    found: dict[str, Action] = {}
    owners: dict[str, list[str]] = {}
    for _, ind in cs.indicators():
        for act in ind.actions():  # the indicator's own, then its sub-items'
            found.setdefault(act.id, act)
            owners.setdefault(act.id, []).append(ind.id)
    return {k: PlanAction(found[k], tuple(owners[k])) for k in found}


def _clamp(path: str, value: Any) -> Any:
    spec = catalogue()[path]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if spec.maximum is not None and value > spec.maximum:
        value = type(value)(spec.maximum)
    if spec.minimum is not None and value < spec.minimum:
        value = type(value)(spec.minimum)
    return value


def applied_values(facts: CommuneFacts, actions: Iterable[Action]) -> dict[str, Any]:
    """The new value of every fact the actions touch: all ``set`` effects first, then ``add``.

    An ``add`` to an absent fact starts from 0: a missing count is taken as none (the planner cannot
    know what collecting the evidence would show, so it assumes the worst for an addition).
    """
    specs = catalogue()
    effects = [e for a in actions for e in a.effects]
    out: dict[str, Any] = {}
    for eff in effects:
        spec = specs.get(eff.fact)
        if spec is None or spec.immutable:
            raise EngineError(f"an action may not change {eff.fact!r} (unknown or immutable fact)")
    for eff in (e for e in effects if e.set is not None):
        value = eff.set
        if spec_kind(eff.fact) == "percent" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        out[eff.fact] = value
    for eff in (e for e in effects if e.add is not None):
        base = out.get(eff.fact, facts.get(eff.fact))
        total = (base or 0) + cast(float, eff.add)  # effects with an `add` only
        if spec_kind(eff.fact) == "percent":
            total = float(total)
        out[eff.fact] = _clamp(eff.fact, total)
    return out


def spec_kind(path: str) -> str:
    return catalogue()[path].kind


def with_values(facts: CommuneFacts, values: dict[str, Any]) -> CommuneFacts:
    """A copy of ``facts`` with dotted-path ``values`` replaced, validated as strictly as a fact file."""
    if not values:
        return facts
    data = facts.model_dump()
    for path, value in values.items():
        section, name = path.split(".", 1)
        data.setdefault(section, {})[name] = value
    return CommuneFacts.model_validate(data)


def apply_actions(facts: CommuneFacts, actions: Sequence[Action]) -> CommuneFacts:
    """The commune's facts after ``actions`` are carried out."""
    return with_values(facts, applied_values(facts, actions))


def schedule(actions: Sequence[Action]) -> dict[str, int]:
    """Start month (from the plan's start) of each action; see the module docstring for the rule.

    Actions are put in one order (those that set a fact before those that only add, then by id);
    an action waits for every earlier action that touches one of its facts. One global order keeps
    the chains free of cycles.
    """
    order = sorted(
        actions, key=lambda a: (min((0 if e.set is not None else 1 for e in a.effects), default=1), a.id)
    )
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    for k, a in enumerate(order):
        mine = {e.fact for e in a.effects}
        start[a.id] = max(
            (end[b.id] for b in order[:k] if mine & {e.fact for e in b.effects}),
            default=0,
        )
        end[a.id] = start[a.id] + a.lead_time_months
    return start


def completion_months(actions: Sequence[Action]) -> int:
    """Months from the plan's start until its last action is done."""
    starts = schedule(actions)
    return max((starts[a.id] + a.lead_time_months for a in actions), default=0)
