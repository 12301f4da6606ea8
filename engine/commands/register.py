"""`commune-health register import|decide|history|waive|waivers|audit`: the recognition register."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from collections import defaultdict
from pathlib import Path

from pydantic import ValidationError
from rich.table import Table

from ..errors import UserError
from ..evaluate import Evaluator
from ..loader import resolve_set
from ..register import decisions
from ..register.db import Register, url_for
from ..register.history import history
from ..register.rules import KIND_LABELS
from ..register.store import Submission, import_submissions
from ..register.waiver_store import add_waiver, list_waivers, revoke_waiver
from ..render.table import draft_warning
from ..waivers import Waiver, expired, waived_ids
from ..yamlio import read_text
from .common import add_criteria, add_lang, load_fact_files, report, stdout_console

HELP = "the recognition register: import evaluations, decide, history, waivers"


def _L(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def bilingual_table(lang: str, title: str, *cols: tuple[str, str] | str) -> Table:
    """A table titled ``title`` with columns given as (Vietnamese, English) pairs or plain names."""
    tab = Table(title=title)
    for c in cols:
        tab.add_column(c if isinstance(c, str) else _L(lang, *c))
    return tab


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the register's SQLite file (default: register.sqlite3 in the working folder)",
    )
    p.add_argument(
        "--db-url",
        metavar="URL",
        help="a database URL instead, e.g. postgresql+psycopg://user@host/register",
    )


def open_register(args: argparse.Namespace) -> Register:
    return Register(url_for(args.db, args.db_url))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("register", help=HELP, description=HELP)
    cmds = p.add_subparsers(
        dest="register_command", required=True, metavar="{import,decide,history,waive,waivers}"
    )

    imp = cmds.add_parser("import", help="evaluate fact files and store the evaluations (idempotent)")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="fact files or folders")
    imp.add_argument("--year", type=int, required=True, help="assessment year; every file must be of it")
    imp.add_argument("--appraiser", required=True, help="who appraised (person or council)")
    imp.add_argument("--batch-size", type=int, default=50, help="communes per transaction (default 50)")
    add_criteria(imp)
    add_db(imp)
    add_lang(imp)
    imp.set_defaults(run=run_import)

    dec = cmds.add_parser("decide", help="propose the year's decisions; record them with --apply")
    dec.add_argument("--year", type=int, required=True)
    dec.add_argument("--apply", action="store_true", help="record the decisions (needs number and date)")
    dec.add_argument("--decision-number", metavar="N", help="e.g. 1234/QĐ-UBND")
    dec.add_argument("--decision-date", type=_date, metavar="YYYY-MM-DD")
    dec.add_argument("--by", default=None, help="who records the decisions (default: the system user)")
    dec.add_argument("--reason", help="why, when decisions already recorded are changed")
    dec.add_argument("--format", choices=("table", "json"), default="table")
    add_db(dec)
    add_lang(dec)
    dec.set_defaults(run=run_decide)

    his = cmds.add_parser("history", help="a commune's evaluations, decisions and audit trail")
    his.add_argument("commune", metavar="COMMUNE", help="administrative code")
    his.add_argument("--format", choices=("table", "json"), default="table")
    add_db(his)
    add_lang(his)
    his.set_defaults(run=run_history)

    wv = cmds.add_parser("waive", help="waive an indicator for a commune (or revoke a waiver)")
    wv.add_argument("commune", nargs="?", metavar="COMMUNE")
    wv.add_argument("indicator", nargs="?", metavar="INDICATOR", help="indicator id, e.g. 2.1")
    wv.add_argument("--reason")
    wv.add_argument("--approver")
    wv.add_argument("--granted", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    wv.add_argument("--expires", type=_date, metavar="YYYY-MM-DD")
    wv.add_argument("--revoke", type=int, metavar="ID", help="revoke waiver ID (today)")
    wv.add_argument("--by", default=None, help="who records it (default: the system user)")
    add_db(wv)
    add_lang(wv)
    wv.set_defaults(run=run_waive)

    wl = cmds.add_parser("waivers", help="list waivers; expired ones are flagged")
    wl.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    add_db(wl)
    add_lang(wl)
    wl.set_defaults(run=run_waivers)


def run_import(args: argparse.Namespace) -> int:
    loaded, problems = load_fact_files(args.paths)
    wrong_year = [(p, f) for p, f in loaded if f.year != args.year]
    for p, f in wrong_year:
        problems.append(
            UserError.single(
                str(p),
                f"the file is for year {f.year}, not --year {args.year}",
                "import each year separately",
            ).diagnostics[0]
        )
    if problems:
        report(problems)
        return 2
    if not loaded:
        raise UserError.single("PATH", "no fact file to import", "name fact files or folders of them")
    codes = [f.commune.code for _, f in loaded]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise UserError.single(
            "PATH", f"several files for the same commune: {', '.join(dup)}", "import one file per commune"
        )
    cs = resolve_set(args.criteria, args.year)
    with open_register(args) as reg:
        waivers = list_waivers(reg, codes)
        waived = [waived_ids(waivers, f.commune.code, args.year) for _, f in loaded]
        results = Evaluator(cs).evaluate([f for _, f in loaded], [str(p) for p, _ in loaded], waived)
        subs = [
            Submission(f, r, read_text(p), str(p), cs.recognition.validity_years)
            for (p, f), r in zip(loaded, results, strict=True)
        ]
        summary = import_submissions(reg, subs, args.appraiser, batch_size=args.batch_size)
    lang = args.lang
    con = stdout_console()
    con.print(
        _L(
            lang,
            f"Năm {args.year}, bộ tiêu chí {cs.id} ({cs.decision.number}): {len(summary.added)} đánh giá mới, "
            f"{len(summary.replaced)} thay thế đánh giá cũ, {len(summary.unchanged)} không đổi.",
            f"Year {args.year}, criteria set {cs.id} ({cs.decision.number}): {len(summary.added)} new "
            f"evaluation(s), {len(summary.replaced)} replacing an earlier one, {len(summary.unchanged)} unchanged.",
        ),
        highlight=False,
    )
    for r in results:
        ws = [i.id for i in r.indicators if i.waived]
        if ws:
            con.print(
                _L(
                    lang,
                    f"  {r.commune.name}: miễn chỉ tiêu {', '.join(ws)}",
                    f"  {r.commune.name}: waived {', '.join(ws)}",
                ),
                highlight=False,
            )
    if cs.draft_count:
        con.print(draft_warning(cs.draft_count, len(cs.indicators()), lang))
    return 0


def run_decide(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.apply and not (args.decision_number and args.decision_date):
        raise UserError.single(
            "register decide",
            "--apply needs --decision-number and --decision-date",
            "e.g. --apply --decision-number 1234/QĐ-UBND --decision-date 2024-12-20",
        )
    with open_register(args) as reg:
        if args.apply:
            actor = args.by or getpass.getuser()
            props, summary = decisions.apply(
                reg, args.year, args.decision_number, args.decision_date, actor, args.reason
            )
        else:
            props, summary = decisions.propose(reg, args.year, args.decision_date), None
    if args.format == "json":
        print(json.dumps([p.model_dump(mode="json") for p in props], ensure_ascii=False, indent=2))
        return 0
    con = stdout_console()
    head = _L(lang, f"Đề xuất quyết định năm {args.year}", f"Proposed decisions for {args.year}")
    if args.apply:
        head = _L(
            lang,
            f"Quyết định năm {args.year} — {args.decision_number}",
            f"Decisions for {args.year} — {args.decision_number}",
        )
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
            _L(
                lang,
                "CẢNH BÁO: các kết quả dựa trên chỉ tiêu DỰ THẢO; chỉ dùng để tham khảo cho Hội đồng.",
                "WARNING: these results depend on DRAFT indicators; for the council's reference only.",
            ),
            style="bold yellow",
        )
    if summary is not None:
        con.print(
            _L(
                lang,
                f"Đã ghi: {len(summary.created)} mới, {len(summary.changed)} thay đổi, "
                f"{len(summary.unchanged)} không đổi, {len(summary.deleted)} hủy.",
                f"Recorded: {len(summary.created)} new, {len(summary.changed)} changed, "
                f"{len(summary.unchanged)} unchanged, {len(summary.deleted)} deleted.",
            ),
            highlight=False,
        )
        if summary.later_years:
            con.print(
                _L(
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
            _L(
                lang,
                "Chưa ghi vào sổ: thêm --apply --decision-number N --decision-date D.",
                "Not recorded: add --apply --decision-number N --decision-date D.",
            ),
            style="dim",
        )
    return 0


def run_history(args: argparse.Namespace) -> int:
    lang = args.lang
    with open_register(args) as reg:
        h = history(reg, args.commune)
    if args.format == "json":
        out = {
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
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    con = stdout_console()
    con.print(f"[bold]{h.name}[/bold] ({h.code}) — {', '.join(x for x in (h.district, h.province) if x)}")
    for c, y in h.predecessors:
        con.print(_L(lang, f"  sáp nhập từ {c} (từ {y})", f"  merged from {c} (since {y})"), highlight=False)
    for c, y in h.successors:
        con.print(
            _L(lang, f"  đã sáp nhập vào {c} (từ {y})", f"  merged into {c} (since {y})"), highlight=False
        )
    ev = bilingual_table(
        lang,
        _L(lang, "Đánh giá", "Evaluations"),
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
            _L(lang, "Đạt", "Qualifies") if e["qualified"] else _L(lang, "Chưa đạt", "Does not qualify"),
            ", ".join(e["waived"]),
            e["appraiser"],
            f"{e['draft_indicators']}/{e['total_indicators']}",
        )
    con.print(ev)
    dec = bilingual_table(
        lang,
        _L(lang, "Quyết định", "Decisions"),
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
            _L(lang, "Nhật ký thay đổi", "Audit trail"),
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
                _brief(a["old"]),
                _brief(a["new"]),
                a["reason"] or "",
            )
        con.print(au)
    _print_waivers(con, h.waivers, dt.date.today(), lang)
    if any(e["draft_indicators"] for e in h.evaluations):
        con.print(
            _L(
                lang,
                "CẢNH BÁO: các đánh giá dựa trên chỉ tiêu DỰ THẢO.",
                "WARNING: these evaluations depend on DRAFT indicators.",
            ),
            style="bold yellow",
        )
    return 0


def _brief(snap: dict | None) -> str:
    if not snap:
        return "—"
    return f"{snap.get('kind')} {snap.get('decision_number')} {snap.get('decision_date')} → {snap.get('valid_until')}"


def _print_waivers(con: object, waivers: list[Waiver], on: dt.date, lang: str) -> None:
    if not waivers:
        return
    old = {w.id for w in expired(waivers, on)}
    tab = bilingual_table(
        lang,
        _L(lang, "Miễn chỉ tiêu", "Waivers"),
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
            _L(lang, "đã thu hồi", "revoked")
            if w.revoked_on
            else _L(lang, "HẾT HẠN", "EXPIRED")
            if w.id in old
            else _L(lang, "còn hiệu lực", "in force")
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
    con.print(tab)  # type: ignore[attr-defined]


def run_waive(args: argparse.Namespace) -> int:
    actor = args.by or getpass.getuser()
    with open_register(args) as reg:
        if args.revoke is not None:
            w = revoke_waiver(reg, args.revoke, dt.date.today())
            print(_L(args.lang, f"Đã thu hồi: {w.label('vi')}", f"Revoked: {w.label('en')}"))
            return 0
        missing = [
            n for n in ("commune", "indicator", "reason", "approver", "expires") if not getattr(args, n)
        ]
        if missing:
            raise UserError.single(
                "register waive",
                f"missing: {', '.join(missing)}",
                "register waive COMMUNE INDICATOR --reason TEXT --approver NAME --expires YYYY-MM-DD",
            )
        try:
            waiver = Waiver(
                commune=args.commune,
                indicator=args.indicator,
                reason=args.reason,
                approver=args.approver,
                granted_on=args.granted or dt.date.today(),
                expires_on=args.expires,
            )
        except ValidationError as exc:
            raise UserError.single(
                "register waive",
                "; ".join(e["msg"] for e in exc.errors()),
                "indicator ids look like 2.1; the expiry date comes after the grant date",
            ) from None
        stored, added = add_waiver(reg, waiver, actor)
    what = _L(args.lang, "Đã ghi" if added else "Đã có", "Recorded" if added else "Already recorded")
    print(f"{what} (id {stored.id}): {stored.label(args.lang)}")
    return 0


def run_waivers(args: argparse.Namespace) -> int:
    on = args.on or dt.date.today()
    with open_register(args) as reg:
        waivers = list_waivers(reg)
    con = stdout_console()
    if not waivers:
        con.print(_L(args.lang, "Không có miễn chỉ tiêu nào.", "No waivers."))
        return 0
    _print_waivers(con, waivers, on, args.lang)
    n = len(expired(waivers, on))
    if n:
        con.print(
            _L(
                args.lang,
                f"{n} miễn chỉ tiêu đã hết hạn vào {on:%d/%m/%Y}.",
                f"{n} waiver(s) expired on {on:%d/%m/%Y}.",
            ),
            style="bold yellow",
        )
    return 0
