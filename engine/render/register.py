"""Register outputs as rich tables: decisions for the council, a commune's history, waivers.

Renders only; computes nothing. Every output that shows evaluations says when they used draft
indicators, and shows waived indicators.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from engine.register.decisions import ApplySummary, Proposal
from engine.register.history import CommuneHistory
from engine.register.rules import KIND_LABELS
from engine.register.waivers import Waiver, expired


def L(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def bilingual_table(lang: str, title: str, *cols: tuple[str, str] | str) -> Table:
    """A table titled ``title`` with columns given as (Vietnamese, English) pairs or plain names."""
    tab = Table(title=title)
    for c in cols:
        tab.add_column(c if isinstance(c, str) else L(lang, *c))
    return tab


def print_decisions(
    con: Console, props: list[Proposal], summary: ApplySummary | None, head: str, lang: str
) -> None:
    tab = bilingual_table(
        lang,
        head,
        ("Mã", "Code"),
        ("Xã", "Commune"),
        ("Điểm", "Score"),
        ("Quyết định", "Decision"),
        ("Hiệu lực đến", "Valid until"),
        ("Lý do", "Reason"),
        ("Miễn", "Waived"),
        ("Đã ghi", "Recorded"),
    )
    for p in props:
        tab.add_row(
            p.commune,
            p.name,
            "—" if p.total_score is None else f"{p.total_score:.1f}",
            KIND_LABELS[p.kind].get(lang) if p.kind else "—",
            f"{p.valid_until:%d/%m/%Y}" if p.valid_until else "—",
            p.reason.get(lang) + "".join(f"\n• {r.get(lang)}" for r in p.verdict_reasons),
            ", ".join(p.waived) or "",
            KIND_LABELS[p.recorded_kind].get(lang) if p.recorded_kind else "",
        )
    con.print(tab)
    counts: dict[str, int] = defaultdict(int)
    for p in props:
        if p.kind:
            counts[p.kind] += 1
    con.print(
        ", ".join(f"{KIND_LABELS[k].get(lang)}: {n}" for k, n in counts.items()) or "—", highlight=False
    )
    drafts = max((p.draft_indicators for p in props), default=0)
    if drafts:
        con.print(
            L(
                lang,
                "CẢNH BÁO: các kết quả dựa trên chỉ tiêu DỰ THẢO; chỉ dùng để tham khảo cho Hội đồng.",
                "WARNING: these results depend on DRAFT indicators; for the council's reference only.",
            ),
            style="bold yellow",
        )
    if summary is not None:
        con.print(
            L(
                lang,
                f"Đã ghi: {len(summary.created)} mới, {len(summary.changed)} thay đổi, "
                f"{len(summary.unchanged)} không đổi, {len(summary.deleted)} hủy.",
                f"Recorded: {len(summary.created)} new, {len(summary.changed)} changed, "
                f"{len(summary.unchanged)} unchanged, {len(summary.deleted)} deleted.",
            ),
            highlight=False,
        )
        if summary.undecided_years:
            years = ", ".join(map(str, summary.undecided_years))
            con.print(
                L(
                    lang,
                    f"Lưu ý: chưa ghi quyết định nào cho năm {years} dù đã có đánh giá; danh hiệu được "
                    "tính từ các quyết định đã ghi.",
                    f"Note: no decision is recorded for {years} although evaluations exist; titles are "
                    "computed from the recorded decisions.",
                ),
                style="yellow",
            )
        if summary.later_years:
            con.print(
                L(
                    lang,
                    f"Lưu ý: đã có quyết định các năm sau ({', '.join(map(str, summary.later_years))}); "
                    "hãy chạy lại decide cho các năm đó.",
                    f"Note: decisions exist for later years ({', '.join(map(str, summary.later_years))}); "
                    "run decide again for them.",
                ),
                style="yellow",
            )
    else:
        con.print(
            L(
                lang,
                "Chưa ghi vào sổ: thêm --apply --decision-number N --decision-date D.",
                "Not recorded: add --apply --decision-number N --decision-date D.",
            ),
            style="dim",
        )


def history_json(h: CommuneHistory) -> dict[str, Any]:
    return {
        "code": h.code,
        "name": h.name,
        "province": h.province,
        "district": h.district,
        "predecessors": [{"code": c, "since_year": y} for c, y in h.predecessors],
        "successors": [{"code": c, "since_year": y} for c, y in h.successors],
        "evaluations": h.evaluations,
        "decisions": h.decisions,
        "audit": h.audit,
        "waivers": [w.model_dump(mode="json") for w in h.waivers],
    }


def print_history(con: Console, h: CommuneHistory, lang: str) -> None:
    place = ", ".join(x for x in (h.district, h.province) if x)
    con.print(RichText.assemble((h.name, "bold"), f" ({h.code}) — {place}"))
    for c, y in h.predecessors:
        con.print(L(lang, f"  sáp nhập từ {c} (từ {y})", f"  merged from {c} (since {y})"), highlight=False)
    for c, y in h.successors:
        con.print(
            L(lang, f"  đã sáp nhập vào {c} (từ {y})", f"  merged into {c} (since {y})"), highlight=False
        )
    ev = bilingual_table(
        lang,
        L(lang, "Đánh giá", "Evaluations"),
        "#",
        ("Năm", "Year"),
        ("Mã", "Code"),
        ("Bộ tiêu chí", "Criteria set"),
        ("Điểm", "Score"),
        ("Kết quả", "Verdict"),
        ("Miễn", "Waived"),
        ("Người thẩm định", "Appraiser"),
        ("Dự thảo", "Drafts"),
    )
    for e in h.evaluations:
        ev.add_row(
            str(e["id"]),
            str(e["year"]),
            e["code"],
            f"{e['criteria_set']} #{e['criteria_hash']}",
            f"{e['score']:.1f}/{e['max']:g}",
            L(lang, "Đạt", "Qualifies") if e["qualified"] else L(lang, "Chưa đạt", "Does not qualify"),
            ", ".join(e["waived"]),
            e["appraiser"],
            f"{e['draft_indicators']}/{e['total_indicators']}",
        )
    con.print(ev)
    dec = bilingual_table(
        lang,
        L(lang, "Quyết định", "Decisions"),
        ("Năm", "Year"),
        ("Mã", "Code"),
        ("Quyết định", "Decision"),
        ("Số", "Number"),
        ("Ngày", "Date"),
        ("Hiệu lực đến", "Valid until"),
    )
    for d in h.decisions:
        dec.add_row(
            str(d["year"]),
            d["code"],
            KIND_LABELS[d["kind"]].get(lang),
            d["number"],
            d["date"],
            d["valid_until"] or "—",
        )
    con.print(dec)
    if h.audit:
        au = bilingual_table(
            lang,
            L(lang, "Nhật ký thay đổi", "Audit trail"),
            ("Lúc", "At"),
            ("Người", "Who"),
            ("Năm", "Year"),
            ("Thao tác", "Action"),
            ("Trước", "Before"),
            ("Sau", "After"),
            ("Lý do", "Reason"),
        )
        for a in h.audit:
            au.add_row(
                a["at"],
                a["actor"],
                str(a["year"]),
                a["action"],
                brief(a["old"]),
                brief(a["new"]),
                a["reason"] or "",
            )
        con.print(au)
    print_waivers(con, h.waivers, dt.date.today(), lang)
    if any(e["draft_indicators"] for e in h.evaluations):
        con.print(
            L(
                lang,
                "CẢNH BÁO: các đánh giá dựa trên chỉ tiêu DỰ THẢO.",
                "WARNING: these evaluations depend on DRAFT indicators.",
            ),
            style="bold yellow",
        )


def brief(snap: dict | None) -> str:
    if not snap:
        return "—"
    return f"{snap.get('kind')} {snap.get('decision_number')} {snap.get('decision_date')} → {snap.get('valid_until')}"


def print_waivers(con: Console, waivers: list[Waiver], on: dt.date, lang: str) -> None:
    if not waivers:
        return
    old = {w.id for w in expired(waivers, on)}
    tab = bilingual_table(
        lang,
        L(lang, "Miễn chỉ tiêu", "Waivers"),
        "id",
        ("Xã", "Commune"),
        ("Chỉ tiêu", "Indicator"),
        ("Lý do", "Reason"),
        ("Người duyệt", "Approver"),
        ("Từ", "From"),
        ("Đến", "Until"),
        ("Tình trạng", "State"),
    )
    for w in waivers:
        state = (
            L(lang, "đã thu hồi", "revoked")
            if w.revoked_on
            else L(lang, "HẾT HẠN", "EXPIRED")
            if w.id in old
            else L(lang, "còn hiệu lực", "in force")
        )
        tab.add_row(
            str(w.id),
            w.commune,
            w.indicator,
            w.reason,
            w.approver,
            f"{w.granted_on:%d/%m/%Y}",
            f"{w.expires_on:%d/%m/%Y}",
            state,
        )
    con.print(tab)
