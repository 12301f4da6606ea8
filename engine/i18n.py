"""Labels of the user interface in Vietnamese (first) and English, and number formatting."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

LANGS = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {
    "pass": ("Đạt", "Pass"),
    "partial": ("Đạt một phần", "Partial"),
    "fail": ("Không đạt", "Fail"),
    "missing": ("Thiếu số liệu", "Missing data"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "criterion": ("Tiêu chí", "Criterion"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "score": ("Điểm", "Score"),
    "max": ("Tối đa", "Max"),
    "min_required": ("Tối thiểu", "Minimum"),
    "status": ("Kết quả", "Status"),
    "observed": ("Hiện trạng", "Observed"),
    "required": ("Yêu cầu", "Required"),
    "gap": ("Khoảng cách", "Gap"),
    "action": ("Hành động khắc phục", "Remediation"),
    "knockout": ("Điểm liệt", "Knockout"),
    "qualified": ("ĐẠT Bộ tiêu chí quốc gia về y tế xã", "MEETS the national commune health criteria"),
    "not_qualified": (
        "CHƯA ĐẠT Bộ tiêu chí quốc gia về y tế xã",
        "DOES NOT MEET the national commune health criteria",
    ),
    "total": ("Tổng điểm", "Total"),
    "zone": ("Vùng", "Zone"),
    "drafts": (
        "CẢNH BÁO: kết quả dựa trên {n}/{total} chỉ tiêu DỰ THẢO (chưa đối chiếu văn bản chính thức). Không dùng thay cho kết quả thẩm định.",
        "WARNING: this result depends on {n}/{total} DRAFT indicators (not checked against the official text). Not a substitute for the official appraisal.",
    ),
    "illustrative": ("Số liệu minh họa, không phải số liệu thật.", "Illustrative figures, not real data."),
    "points_word": ("điểm", "points"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "none": ("—", "—"),
    "gaps_title": (
        "Chỉ tiêu chưa đạt, thiếu số liệu và hành động khắc phục",
        "Failing and missing indicators, and what to do",
    ),
    "responsible": ("Chịu trách nhiệm", "Responsible"),
    "months": ("tháng", "months"),
    "cost": ("Chi phí (VNĐ, tham khảo)", "Cost (VND, indicative)"),
    "good": ("tốt", "good"),
    "degraded": ("xuống cấp", "degraded"),
    "needs_rebuild": ("cần xây mới", "needs rebuilding"),
    "urban": ("thành thị", "urban"),
    "rural": ("nông thôn", "rural"),
}


def t(key: str, lang: str, **kw: object) -> str:
    vi, en = LABELS[key]
    text = vi if lang == "vi" else en
    return text.format(**kw) if kw else text


def num(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number as people read it: Vietnamese uses a decimal comma."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "vi" else text
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def score(value: float, lang: str) -> str:
    """Scores show one decimal, rounded half up (the rule itself uses the exact, unrounded score)."""
    text = str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.replace(".", ",") if lang == "vi" else text


def value(v: object, lang: str) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return t("yes" if v else "no", lang)
    if isinstance(v, (int, float)):
        return num(v, lang)
    if isinstance(v, list):
        return ", ".join(value(x, lang) for x in v)
    if isinstance(v, str) and v in LABELS:
        return t(v, lang)
    return str(v)
