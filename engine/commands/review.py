"""`commune-health review --year Y`: the annual recognition review from the register."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from rich.table import Table

from engine.commands.args import add_db, add_lang, open_register, stdout_console, year
from engine.register.review import Review, review
from engine.register.rules import KIND_LABELS, KINDS
from engine.render.register import L as _L
from engine.render.register import bilingual_table

HELP = "annual review: decisions by type, share recognised vs plan targets, regressions, expiring titles"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("review", help=HELP, description=HELP)
    p.add_argument("--year", type=year, required=True)
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_db(p)
    add_lang(p)
    p.set_defaults(run=run)


def as_json(rv: Review) -> dict:
    return {
        "year": rv.year,
        "decisions_recorded": rv.recorded,
        "counts": {k: rv.counts.get(k, 0) for k in KINDS},
        "evaluated": rv.evaluated,
        "recognised": rv.recognised,
        "share_recognised_pct": {
            a: (None if rv.share(a) is None else round(rv.share(a), 2)) for a in rv.evaluated
        },
        "draft_evaluations": rv.draft_evaluations,
        "targets": [
            {**asdict(t), "title": t.title.model_dump(), "note": t.note.model_dump() if t.note else None}
            for t in rv.targets
        ],
        "plans_note": rv.plans_note.model_dump() if rv.plans_note else None,
        "regressions": [asdict(r) for r in rv.regressions],
        "expiring_next_year": [{"code": c, "name": n, "valid_until": str(d)} for c, n, d in rv.expiring],
        "waivers_in_force": [w.model_dump(mode="json") for w in rv.waivers_in_force],
        "waivers_expired": [w.model_dump(mode="json") for w in rv.waivers_expired],
        "waivers_expiring_next_year": [w.model_dump(mode="json") for w in rv.waivers_expiring],
    }


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    with open_register(args, read_only=True) as reg:
        rv = review(reg, args.year)
    if args.format == "json":
        print(json.dumps(as_json(rv), ensure_ascii=False, indent=2))
        return 0
    con = stdout_console()
    state = (
        _L(lang, "đã ghi quyết định", "decisions recorded")
        if rv.recorded
        else _L(lang, "ĐỀ XUẤT, chưa ghi quyết định", "PROPOSED, no decision recorded yet")
    )
    con.print(f"[bold]{_L(lang, 'Rà soát năm', 'Review of')} {rv.year}[/bold] — {state}")
    counts = Table(title=_L(lang, "Quyết định theo loại", "Decisions by type"))
    counts.add_column(_L(lang, "Loại", "Type"))
    counts.add_column(_L(lang, "Số xã", "Communes"), justify="right")
    for k in KINDS:
        counts.add_row(KIND_LABELS[k].get(lang), str(rv.counts.get(k, 0)))
    con.print(counts)
    share = bilingual_table(
        lang,
        _L(lang, "Tỷ lệ xã đạt (giữ danh hiệu)", "Share of communes holding the title"),
        ("Khu vực", "Area"),
        ("Đạt", "Recognised"),
        ("Đã đánh giá", "Evaluated"),
        "%",
    )
    for area in ("total", "urban", "rural"):
        if area not in rv.evaluated:
            continue
        s = rv.share(area)
        label = {
            "total": _L(lang, "Tổng", "All"),
            "urban": _L(lang, "Thành thị", "Urban"),
            "rural": _L(lang, "Nông thôn", "Rural"),
        }[area]
        share.add_row(
            label, str(rv.recognised.get(area, 0)), str(rv.evaluated[area]), "—" if s is None else f"{s:.1f}"
        )
    con.print(share)
    if rv.targets:
        tg = bilingual_table(
            lang,
            _L(lang, "So với chỉ tiêu kế hoạch", "Against plan targets"),
            ("Kế hoạch", "Plan"),
            ("Chỉ tiêu", "Target"),
            ("Yêu cầu", "Required"),
            ("Hạn", "Due"),
            ("Thực tế", "Actual"),
            "",
        )
        sym = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "="}
        for t in rv.targets:
            tg.add_row(
                t.plan,
                t.title.get(lang),
                f"{sym[t.comparator]} {t.value:g}",
                str(t.due_year),
                f"{t.actual:g}" + (f" ({t.note.get(lang)})" if t.note else ""),
                "?" if t.note else ("✓" if t.met else "✗"),
            )
        con.print(tg)
    if rv.plans_note:
        con.print(rv.plans_note.get(lang), style="dim")
    reg_tab = bilingual_table(
        lang,
        _L(
            lang,
            "Chỉ tiêu giảm so với lần công nhận gần nhất",
            "Indicators that regressed since the last recognition",
        ),
        ("Xã", "Commune"),
        ("Công nhận năm", "Recognised"),
        ("Chỉ tiêu", "Indicator"),
        ("Trước", "Then"),
        ("Nay", "Now"),
        ("Miễn", "Waived"),
    )
    for r in rv.regressions:
        reg_tab.add_row(
            f"{r.name} ({r.commune})",
            str(r.since_year),
            f"{r.indicator} ({r.fact})",
            r.before,
            r.now,
            _L(lang, "miễn", "waived") if r.waived else "",
        )
    con.print(
        reg_tab if rv.regressions else _L(lang, "Không có chỉ tiêu nào giảm.", "No indicator regressed.")
    )
    ex = Table(title=_L(lang, f"Danh hiệu hết hạn năm {rv.year + 1}", f"Titles expiring in {rv.year + 1}"))
    ex.add_column(_L(lang, "Xã", "Commune"))
    ex.add_column(_L(lang, "Hiệu lực đến", "Valid until"))
    for code, name, until in rv.expiring:
        ex.add_row(f"{name} ({code})", f"{until:%d/%m/%Y}")
    con.print(
        ex
        if rv.expiring
        else _L(lang, f"Không có danh hiệu hết hạn năm {rv.year + 1}.", f"No title expires in {rv.year + 1}.")
    )
    for title, ws in (
        (_L(lang, "Miễn chỉ tiêu đang áp dụng", "Waivers in force"), rv.waivers_in_force),
        (_L(lang, "Miễn chỉ tiêu ĐÃ HẾT HẠN", "EXPIRED waivers"), rv.waivers_expired),
        (
            _L(lang, f"Miễn chỉ tiêu hết hạn năm {rv.year + 1}", f"Waivers expiring in {rv.year + 1}"),
            rv.waivers_expiring,
        ),
    ):
        if ws:
            con.print(f"[bold]{title}[/bold]")
            for w in ws:
                con.print(f"  • {w.commune}: {w.label(lang)}", highlight=False)
    if rv.draft_evaluations:
        con.print(
            _L(
                lang,
                f"CẢNH BÁO: {rv.draft_evaluations} đánh giá dựa trên chỉ tiêu DỰ THẢO; không thay thế kết quả thẩm định.",
                f"WARNING: {rv.draft_evaluations} evaluation(s) depend on DRAFT indicators; not a substitute for the official appraisal.",
            ),
            style="bold yellow",
        )
    return 0
