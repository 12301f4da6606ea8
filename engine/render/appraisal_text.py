"""Words and numbers of the appraisal outputs (vi/en), shared by every appraisal renderer."""

from __future__ import annotations

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.appraisal.targets import PlanResult, TargetResult

LABELS: dict[str, tuple[str, str]] = {
    "rank": ("Hạng", "Rank"),
    "commune": ("Xã", "Commune"),
    "code": ("Mã", "Code"),
    "district": ("Huyện", "District"),
    "zone": ("Vùng", "Zone"),
    "score": ("Điểm", "Score"),
    "below_floor": ("Tiêu chí dưới 50%", "Criteria below floor"),
    "knockouts": ("Điểm liệt không đạt", "Knockouts failed"),
    "qualified": ("Đạt", "Qualified"),
    "top_actions": ("Việc cần làm trước", "Top actions"),
    "league": ("Bảng xếp hạng các xã", "League table"),
    "plan": ("Kế hoạch", "Plan"),
    "target": ("Chỉ tiêu kế hoạch", "Plan target"),
    "required": ("Yêu cầu", "Required"),
    "observed": ("Hiện trạng", "Observed"),
    "status": ("Kết quả", "Status"),
    "needed": ("Cần thêm", "Still needed"),
    "due": ("Hạn", "Due"),
    "source": ("Nguồn", "Source"),
    "baseline": ("Mốc", "Baseline"),
    "area_summary": ("Địa bàn so với kế hoạch", "Area against its plan"),
    "commune_targets": ("Chỉ tiêu kế hoạch của từng xã", "Plan targets per commune"),
    "met": ("Đạt", "Met"),
    "not_met": ("Chưa đạt", "Not met"),
    "incomplete": ("Thiếu số liệu một số xã", "Incomplete data"),
    "no_data": ("Thiếu số liệu", "No data"),
    "not_computable": ("Cần số liệu thống kê", "Needs statistics"),
    "overdue": ("quá hạn", "overdue"),
    "interpreted": ("giá trị do dự án diễn giải", "value interpreted by this project"),
    "score_sheet": ("Phiếu chấm điểm", "Score sheet"),
    "summary": ("Tổng hợp", "Summary"),
    "chart": ("Điểm của các xã (ngưỡng 80 điểm)", "Scores of the communes (80-point line)"),
    "heatmap": ("Điểm từng tiêu chí (tỷ lệ so với điểm tối đa)", "Criterion scores (share of the maximum)"),
    "yes": ("Đạt", "Yes"),
    "no": ("Chưa đạt", "No"),
}

_COMPARATOR = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}


def t(key: str, lang: str) -> str:
    vi, en = LABELS[key]
    return vi if lang == "vi" else en


def share_text(value: float | None, lang: str) -> str:
    """Shares with two decimals, as the plans print them (92,11 %)."""
    if value is None:
        return "—"
    text = f"{value:.2f}"
    return (text.replace(".", ",") if lang == "vi" else text) + " %"


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
        figure = f"{tr.value:g}".replace(".", "," if lang == "vi" else ".") + " %"  # as the plan prints it
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
        return f"{tr.needed} " + ("xã" if lang == "vi" else "communes")
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
    vi = lang == "vi"
    parts = [tr.title.get(lang) + ":"]
    if tr.meeting is not None:
        parts.append(f"{tr.meeting}/{tr.communes}" + (" xã" if vi else " communes"))
        if tr.kind in ("share_qualifying", "share_meeting"):
            parts.append(f"= {share_text(tr.observed, lang)}")
    elif tr.observed is not None:
        parts.append(amount(tr, tr.observed, lang))
    parts[-1] += ";"
    parts.append(("kế hoạch " if vi else "plan ") + requirement(tr, lang) + f" ({tr.due_year})")
    parts.append(f"→ {status_text(tr, lang)}")
    if tr.needed:
        parts.append(f"— cần thêm {tr.needed} xã" if vi else f"— {tr.needed} more needed")
    return " ".join(p for p in parts if p)


def area_caption(pr: PlanResult, lang: str) -> str:
    vi = lang == "vi"
    text = f"{pr.title.get(lang)} — {pr.area}: "
    text += f"{pr.communes} xã được đánh giá" if vi else f"{pr.communes} communes evaluated"
    if pr.rejected:
        text += f", {pr.rejected} " + (
            "dòng bị loại (tính là chưa đạt)" if vi else "rejected (counted as not qualifying)"
        )
    if pr.partial_area:
        text += (
            f" — chỉ một phần địa bàn ({pr.communes + pr.rejected}/{pr.communes_total} xã)"
            if vi
            else f" — part of the area only ({pr.communes + pr.rejected}/{pr.communes_total} communes)"
        )
    return text


def summary_lines(a: Appraisal, lang: str) -> list[str]:
    """The appraisal's summary in a few lines (the same in every output)."""
    vi = lang == "vi"
    n = len(a.results)
    lines = [
        (
            f"{a.qualified}/{n} xã đạt Bộ tiêu chí ({share_text(100 * a.qualified / n if n else None, lang)}) — "
            f"{a.criteria_set.id}, năm {a.year}"
        )
        if vi
        else (
            f"{a.qualified}/{n} communes qualify ({share_text(100 * a.qualified / n if n else None, lang)}) — "
            f"{a.criteria_set.id}, {a.year}"
        ),
        (
            f"Đã đọc {a.rows} xã; {a.rejected} bị loại vì lỗi số liệu"
            if vi
            else f"Read {a.rows} communes; {a.rejected} rejected for bad data"
        ),
    ]
    for pr in a.plans:
        for tr in pr.targets:
            if tr.kind in ("share_qualifying", "count_qualifying"):
                line = f"[{pr.plan}] " + headline(tr, lang)
                if pr.partial_area:
                    line += (
                        f" (chỉ {pr.communes + pr.rejected}/{pr.communes_total} xã của địa bàn có trong dữ liệu)"
                        if vi
                        else f" (only {pr.communes + pr.rejected}/{pr.communes_total} of the area's communes are in the data)"
                    )
                lines.append(line)
    lines.extend(note.get(lang) for note in a.notes)
    return lines


def draft_warning(a: Appraisal, lang: str) -> str:
    cs = a.criteria_set
    return i18n.t("drafts", lang, n=cs.draft_count, total=len(cs.indicators()))
