"""`commune-health documents PATH`: official documents in Word and PDF (Decree 30/2020/NĐ-CP presentation).

Per commune the score sheet and the appraisal minutes, the area's plan (from ``target``), and from the
register the year's proposal (tờ trình) and draft recognition decision. By default every kind the
inputs allow: PATH gives the first three, ``--db`` the other two.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.appraisal.area import Appraisal, appraise
from engine.commands.args import add_criteria, add_db, add_lang, open_register, report, year
from engine.errors import UserError
from engine.evaluation.evaluator import Evaluator
from engine.i18n import msg
from engine.inputs.costs import criteria_with_costs
from engine.inputs.loader import available_sets
from engine.planner.targeting import TargetReport, default_spec, spec_from_plan, target_area
from engine.register.dossier import YearDecisions, year_decisions
from engine.render.documents import files
from engine.render.documents.plan import area_names
from engine.render.documents.words import Options

HELP = "official documents in Word and PDF: score sheets, appraisal minutes, plan, proposal, draft decision"
FROM_FACTS = ("score-sheets", "minutes", "plan")
FROM_REGISTER = ("proposal", "decision")
KINDS = (*FROM_FACTS, *FROM_REGISTER)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("documents", help=HELP, description=HELP)
    p.add_argument(
        "path",
        type=Path,
        nargs="?",
        metavar="PATH",
        help="a folder of commune fact files or a CSV/XLSX file (score sheets, minutes, plan)",
    )
    p.add_argument(
        "--kind",
        action="append",
        choices=(*KINDS, "all"),
        metavar="KIND",
        help=f"{', '.join(KINDS)} or all (repeatable; default: every kind the inputs allow)",
    )
    p.add_argument("--year", type=year, metavar="Y", help="assessment year (default: the facts' year)")
    p.add_argument(
        "--plan",
        metavar="ID",
        help="the plan whose target the area plan aims at (criteria/plans/); "
        "default: the area's most local plan with a share-of-qualifying-communes target still ahead",
    )
    p.add_argument("--costs", type=Path, metavar="FILE", help="a province's own costs for the plan")
    add_criteria(p)
    add_db(p)
    p.add_argument(
        "--out", type=Path, default=Path("out/documents"), metavar="DIR", help="default: out/documents"
    )
    p.add_argument(
        "--format", choices=tuple(files.FORMATS), default="both", help="docx, pdf or both (default)"
    )
    p.add_argument(
        "--template",
        type=Path,
        metavar="DOCX",
        help="a province's own Word file to build on (page setup, styles, header with letterhead)",
    )
    add_lang(p)
    p.set_defaults(run=run)


def _kinds(args: argparse.Namespace) -> list[str]:
    register_given = args.db is not None or args.db_url is not None
    asked = set(args.kind or ["all"])
    if "all" in asked:
        auto = [*(FROM_FACTS if args.path else ()), *(FROM_REGISTER if register_given else ())]
        if not auto:
            raise UserError.single(
                "documents",
                "nothing to write: give PATH, --db, or both",
                "e.g. documents communes/dien-bien/tuan-giao",
            )
        return auto
    kinds = [k for k in KINDS if k in asked]
    if args.path is None and any(k in FROM_FACTS for k in kinds):
        raise UserError.single(
            "PATH", "score sheets, minutes and the plan need the communes' facts", "give PATH"
        )
    if not register_given and any(k in FROM_REGISTER for k in kinds):
        raise UserError.single(
            "--db",
            "the proposal and the decision are drawn from the register",
            "give --db PATH (see the README's register walk-through: register import, then register decide)",
        )
    return kinds


def _plan(args: argparse.Namespace, a: Appraisal, kinds: list[str]) -> TargetReport | None:
    province, district = area_names(a)
    start = a.year + 1
    spec = spec_from_plan(args.plan, None) if args.plan else default_spec(province, district, start)
    if spec is None:
        if args.kind and "plan" in args.kind:
            raise UserError.single(
                "--plan",
                f"no plan of the area has a target on qualifying communes due from {start}",
                "name one: --plan ID",
            )
        return None
    cs, note = criteria_with_costs(args.criteria, a.year, args.costs)
    loaded = [(Path(r.source_file or a.source), f) for r, f in zip(a.results, a.facts, strict=True)]
    return target_area(cs, Evaluator(cs), loaded, spec, area=a.source, costs_note=note)


def _decisions(args: argparse.Namespace, year_: int | None) -> YearDecisions:
    if year_ is None:
        raise UserError.single("--year", "which year's decisions?", "give --year Y")
    with open_register(args, read_only=True) as reg:  # a missing register is an error, never created
        yd = year_decisions(reg, year_)
    if not yd.evaluated and not yd.entries:
        raise UserError.single(
            "--year",
            f"the register holds no evaluation for {year_}",
            "import the year first: register import",
        )
    return yd


def run(args: argparse.Namespace) -> int:
    kinds = _kinds(args)
    opts = Options(lang=args.lang, template=files.check_template(args.template) if args.template else None)
    # Everything that can be wrong is read first; the documents are built and written after.
    a = appraise(args.path, args.criteria, (), args.year) if args.path is not None else None
    if a is not None and not a.results:
        report(a.diagnostics)
        return 2
    year_ = args.year or (a.year if a else None)
    yd = _decisions(args, year_) if any(k in FROM_REGISTER for k in kinds) else None
    target = _plan(args, a, kinds) if a is not None and "plan" in kinds else None
    built: list[files.Built] = []
    if a is not None:
        built += files.commune_documents(a, kinds, opts)
    if a is not None and target is not None:
        built += files.plan_documents(target, a, opts)
    if yd is not None:
        built += files.recognition_documents(yd, available_sets(), kinds, opts)
    for path in files.write(args.out, built, args.format):
        print(msg("documents.written", args.lang, path=str(path)), file=sys.stderr)
    problems = a.diagnostics if a is not None else []
    report(problems)
    return 2 if problems else 0
