"""Words and numbers of the appraisal outputs (vi/en), shared by every appraisal renderer."""

from __future__ import annotations

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.appraisal.targets import PlanResult, TargetResult
from engine.i18n import msg

_COMPARATOR = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}


def t(key: str, lang: str) -> str:
    """An appraisal label (``appraisal.<key>``)."""
    return msg(f"appraisal.{key}", lang)


def share_text(value: float | None, lang: str) -> str:
    """Shares with two decimals, as the plans print them (92,11 %)."""
    if value is None:
        return "—"
    return i18n.decimal_point(f"{value:.2f}", lang) + " %"


def amount(tr: TargetResult, value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    if tr.kind in ("share_qualifying", "share_meeting"):
        return share_text(value, lang)
    if tr.kind == "qualifies":
        return i18n.t("yes" if value >= 1 else "no", lang)
    unit = tr.unit.get(lang)
    number = i18n.num(round(value, 2), lang, digits=2 if not float(value).is_integer() else 1)
    return f"{number} {unit}".strip() if unit != "%" else f"{number} %"


def requirement(tr: TargetResult, lang: str) -> str:
    if tr.kind == "qualifies":
        return t("qualified", lang)
    if tr.kind in ("share_qualifying", "share_meeting"):
        figure = i18n.decimal_point(f"{tr.value:g}", lang) + " %"  # as the plan prints it
    else:
        figure = amount(tr, tr.value, lang)
    text = f"{_COMPARATOR[tr.comparator]} {figure}"
    if tr.reading == "interpreted":
        text += f" ({t('interpreted', lang)})"
    return text


def status_text(tr: TargetResult, lang: str) -> str:
    text = t(tr.status, lang)
    if tr.overdue:
        text += f" ({t('overdue', lang)})"
    return text


def needed_text(tr: TargetResult, lang: str) -> str:
    if tr.needed:
        return msg("appraisal.communes_needed", lang, n=tr.needed)
    if tr.gap is not None and tr.kind not in ("qualifies",):
        return amount(tr, abs(tr.gap), lang)
    return ""


def counted(tr: TargetResult, lang: str) -> str:
    """'111/129' for counted targets, else ''."""
    if tr.meeting is None:
        return ""
    return f"{tr.meeting}/{tr.communes}"


def headline(tr: TargetResult, lang: str) -> str:
    """'9/16 xã đạt = 56,25 %; kế hoạch ≥ 92,2 % → cần thêm 6 xã' — one line per area target."""
    parts = [tr.title.get(lang) + ":"]
    if tr.meeting is not None:
        parts.append(msg("appraisal.counted", lang, meeting=tr.meeting, communes=tr.communes))
        if tr.kind in ("share_qualifying", "share_meeting"):
            parts.append(f"= {share_text(tr.observed, lang)}")
    elif tr.observed is not None:
        parts.append(amount(tr, tr.observed, lang))
    parts[-1] += ";"
    parts.append(msg("appraisal.plan_requires", lang, required=requirement(tr, lang), year=tr.due_year))
    parts.append(f"→ {status_text(tr, lang)}")
    if tr.needed:
        parts.append(msg("appraisal.more_needed", lang, n=tr.needed))
    return " ".join(p for p in parts if p)


def area_caption(pr: PlanResult, lang: str) -> str:
    text = f"{pr.title.get(lang)} — {pr.area}: " + msg("appraisal.communes_evaluated", lang, n=pr.communes)
    if pr.rejected:
        text += msg("appraisal.rows_rejected", lang, n=pr.rejected)
    if pr.partial_area:
        text += msg(
            "appraisal.part_of_area", lang, present=pr.communes + pr.rejected, total=pr.communes_total
        )
    return text


def summary_lines(a: Appraisal, lang: str) -> list[str]:
    """The appraisal's summary in a few lines (the same in every output)."""
    n = len(a.results)
    share = share_text(100 * a.qualified / n if n else None, lang)
    lines = [
        msg(
            "appraisal.summary_qualify",
            lang,
            qualified=a.qualified,
            n=n,
            share=share,
            criteria_set=a.criteria_set.id,
            year=a.year,
        ),
        msg("appraisal.summary_read", lang, rows=a.rows, rejected=a.rejected),
    ]
    for pr in a.plans:
        for tr in pr.targets:
            if tr.kind in ("share_qualifying", "count_qualifying"):
                line = f"[{pr.plan}] " + headline(tr, lang)
                if pr.partial_area:
                    line += msg(
                        "appraisal.summary_partial_area",
                        lang,
                        present=pr.communes + pr.rejected,
                        total=pr.communes_total,
                    )
                lines.append(line)
    lines.extend(note.get(lang) for note in a.notes)
    return lines


def draft_warning(a: Appraisal, lang: str) -> str:
    cs = a.criteria_set
    return i18n.t("drafts", lang, n=cs.draft_count, total=len(cs.indicators()))
