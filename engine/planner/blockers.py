"""Naming what blocks a commune from qualifying within a budget and a deadline."""

from __future__ import annotations

from engine.i18n import num, score
from engine.inputs.criteria import CriteriaSet, Indicator, Text
from engine.planner.options import Option, Problem
from engine.planner.solver import Solution, allowed_options

_BAD = ("fail", "missing")


def _vnd(x: int) -> tuple[str, str]:
    return (f"{num(x, 'vi')} đồng", f"{num(x, 'en')} VND")


def _passes(opt: Option, ind: str) -> bool:
    return opt.statuses[ind][0] not in _BAD


def _knockout_blockers(
    cs: CriteriaSet, problem: Problem, limit: int | None, budget: int | None, by_year: int | None
) -> list[Text]:
    out: list[Text] = []
    if not problem.knockouts_must_pass:
        return out
    for ind_id, verdict in problem.fixed_statuses.items():
        if ind_id in problem.knockouts and verdict[0] in _BAD:
            ind = cs.indicator(ind_id)
            out.append(
                Text(
                    vi=f"Chỉ tiêu điểm liệt {ind_id} ({ind.title.vi}) chưa đạt và không có hành động nào trong bộ tiêu chí thay đổi được.",
                    en=f"Knockout indicator {ind_id} ({ind.title.en}) fails and no action in the criteria set changes it.",
                )
            )
    for comp in problem.components:
        for ind_id in comp.indicators:
            if ind_id not in problem.knockouts or _passes(comp.options[0], ind_id):
                continue
            ind: Indicator = cs.indicator(ind_id)
            fixes = [o for o in comp.options if _passes(o, ind_id)]
            timely = [o for o in fixes if limit is None or o.months <= limit]
            if not fixes:
                out.append(
                    Text(
                        vi=f"Chỉ tiêu điểm liệt {ind_id} ({ind.title.vi}): không hành động nào làm chỉ tiêu đạt.",
                        en=f"Knockout indicator {ind_id} ({ind.title.en}): no action makes it pass.",
                    )
                )
            elif not timely and limit is not None:
                quickest = min(fixes, key=lambda o: (o.months, o.cost_vnd))
                names = ", ".join(quickest.actions)
                out.append(
                    Text(
                        vi=f"Chỉ tiêu điểm liệt {ind_id} ({ind.title.vi}): cách khắc phục nhanh nhất ({names}) mất "
                        f"{quickest.months} tháng, nhưng đến hết năm {by_year} chỉ còn {limit} tháng.",
                        en=f"Knockout indicator {ind_id} ({ind.title.en}): its quickest fix ({names}) takes "
                        f"{quickest.months} months; only {limit} months remain until the end of {by_year}.",
                    )
                )
            elif budget is not None and min(o.cost_vnd for o in timely) > budget:
                cheapest = min(timely, key=lambda o: o.cost_vnd)
                vi, en = _vnd(cheapest.cost_vnd)
                bvi, ben = _vnd(budget)
                out.append(
                    Text(
                        vi=f"Chỉ tiêu điểm liệt {ind_id} ({ind.title.vi}): cách khắc phục rẻ nhất ({', '.join(cheapest.actions)}) "
                        f"tốn {vi}, vượt ngân sách {bvi}.",
                        en=f"Knockout indicator {ind_id} ({ind.title.en}): its cheapest fix ({', '.join(cheapest.actions)}) "
                        f"costs {en}, more than the budget of {ben}.",
                    )
                )
    return out


def _score_blockers(cs: CriteriaSet, problem: Problem, limit: int | None, by_year: int | None) -> list[Text]:
    allowed = allowed_options(problem, limit, force_knockouts=False)
    best = dict(problem.fixed)
    for comp, opts in zip(problem.components, allowed, strict=True):
        for c in comp.criteria:
            best[c] += max(comp.options[oi].points.get(c, 0) for oi in opts)
    when_vi = f" đến hết năm {by_year}" if by_year is not None else ""
    when_en = f" by the end of {by_year}" if by_year is not None else ""
    out: list[Text] = []
    for crit in cs.criteria:
        if best[crit.id] < problem.floors[crit.id]:
            top = problem.points(best[crit.id])
            floor = problem.points(problem.floors[crit.id])
            out.append(
                Text(
                    vi=f"Tiêu chí {crit.id} ({crit.name.vi}) chỉ đạt tối đa {score(top, 'vi')} điểm{when_vi}, dưới mức tối thiểu {score(floor, 'vi')}.",
                    en=f"Criterion {crit.id} ({crit.name.en}) can reach at most {score(top, 'en')} points{when_en}, below its minimum {score(floor, 'en')}.",
                )
            )
    # Components are independent, so the sum of each one's best is the exact best total.
    total = sum(best.values())
    if total < problem.min_total:
        top, need = problem.points(total), problem.points(problem.min_total)
        out.append(
            Text(
                vi=f"Tổng điểm đạt tối đa {score(top, 'vi')}{when_vi}, dưới mức {score(need, 'vi')}.",
                en=f"The total can reach at most {score(top, 'en')} points{when_en}, below {score(need, 'en')}.",
            )
        )
    return out


def blockers(
    cs: CriteriaSet,
    problem: Problem,
    limit: int | None,
    budget: int | None,
    by_year: int | None,
    cheapest: list[Solution],
) -> list[Text]:
    """Why no plan fits: knockouts out of reach, criteria or total out of reach, or the budget."""
    out = _knockout_blockers(cs, problem, limit, budget, by_year) + _score_blockers(
        cs, problem, limit, by_year
    )
    if cheapest and budget is not None and cheapest[0].cost_vnd > budget:
        vi, en = _vnd(cheapest[0].cost_vnd)
        bvi, ben = _vnd(budget)
        out.append(
            Text(
                vi=f"Kế hoạch rẻ nhất giúp xã đạt chuẩn tốn {vi}, vượt ngân sách {bvi}.",
                en=f"The cheapest plan that qualifies the commune costs {en}, more than the budget of {ben}.",
            )
        )
    if not out:
        out.append(
            Text(
                vi="Không tổ hợp hành động nào đáp ứng cùng lúc cả ba điều kiện (tổng điểm, mức tối thiểu từng tiêu chí, điểm liệt) trong giới hạn đã cho.",
                en="No combination of actions meets all three conditions at once (total, every criterion's minimum, knockouts) within the limits given.",
            )
        )
    return out
