"""A commune of an upload: its score sheet, the what-if form and the least-cost plan.

The what-if form holds every fact of the vocabulary (and the zone and area), filled with the
commune's values; the fields the visitor changed become ``PATH=VALUE`` changes, typed and validated by
:func:`engine.planner.whatif.parse_assignments` exactly as ``simulate --set`` does, and evaluated in
a worker. The plan form takes a budget and a deadline year for
:func:`engine.planner.action_plan.plan_commune`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engine.inputs.fact_catalogue import catalogue
from engine.inputs.facts import CommuneFacts
from engine.render import indicators as indicator_text
from engine.web.appraisals import appraisal_for, commune_in, get_upload, query_suffix, shown, year_param
from engine.web.context import checked_form, lang_of, page, web
from engine.web.jobs import plan_job, whatif_job
from engine.web.pages_documents import commune_links, pdf_available

FIELD_PREFIX = "f:"
IDENTITY = (("commune.zone", "choice", ("1", "2", "3")), ("commune.area", "choice", ("rural", "urban")))
MAX_BUDGET = 10**13  # VND; far above any commune plan


@dataclass(frozen=True)
class FactField:
    path: str
    section: str
    kind: str
    label: str
    unit: str
    value: str  # the commune's value as the form shows it ('' when absent)
    choices: tuple[str, ...] = ()
    immutable: bool = False


def form_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def fact_fields(facts: CommuneFacts, lang: str) -> list[FactField]:
    out = [
        FactField(path, "commune", kind, "", "", form_value(facts.get(path)), choices)
        for path, kind, choices in IDENTITY
    ]
    for path, spec in catalogue().items():
        out.append(
            FactField(
                path=path,
                section=path.split(".", 1)[0],
                kind=spec.kind,
                label=spec.label(lang),
                unit=spec.unit(lang),
                value=form_value(facts.get(path)),
                choices=spec.choices,
                immutable=spec.immutable,
            )
        )
    return out


def changes(form: FormData, fields: list[FactField]) -> list[str]:
    """The ``PATH=VALUE`` changes: every field whose submitted text differs from the commune's value."""
    out = []
    for f in fields:
        sent = form.get(FIELD_PREFIX + f.path)
        if not isinstance(sent, str):
            continue
        sent = sent.strip()
        if sent != f.value:
            out.append(f"{f.path}={sent if sent else 'null'}")
    return out


def budget_param(text: str) -> int | None:
    digits = re.sub(r"[.,_\s]", "", text or "")
    if not digits:
        return None
    if not digits.isdigit() or int(digits) > MAX_BUDGET:
        raise HTTPException(400, "budget")
    return int(digits)


async def _context(request: Request) -> dict[str, Any]:
    up = get_upload(request)
    a, _ = await appraisal_for(request, up)
    if a is None:
        raise HTTPException(404, "upload")
    r, facts = commune_in(a, request.path_params["code"])
    lang = lang_of(request)
    return {
        "up": up,
        "a": a,
        "r": r,
        "facts": facts,
        "fields": fact_fields(facts, lang),
        "ind_text": indicator_text,
        "documents": commune_links(request, up, r),
        "pdf_ok": pdf_available(),
        "suffix": query_suffix(request),
        "sections": (
            "commune",
            "staffing",
            "medicinal_garden",
            "facilities",
            "equipment",
            "services",
            "management",
        ),
        "sim": None,
        "plan": None,
        "problems": [],
        "budget": "",
        "by": "",
        "prefix": FIELD_PREFIX,
        "nochange": False,
    }


async def commune(request: Request) -> Response:
    return page(request, "commune.html", **await _context(request))


async def whatif(request: Request) -> Response:
    form = await checked_form(request)
    ctx = await _context(request)
    todo = changes(form, ctx["fields"])
    if not todo:
        ctx["nochange"] = True
        return page(request, "commune.html", **ctx)
    source = ctx["r"].source_file
    ok, value = await web(request).workers.run(
        whatif_job, ctx["facts"], ctx["a"].criteria_set.id, todo, source
    )
    if ok:
        ctx["sim"] = value
        ctx["fields"] = [_with_sent(f, form) for f in ctx["fields"]]
        return page(request, "commune.html", **ctx)
    ctx["problems"] = shown(request, ctx["up"].stored, ctx["up"].client_name, value)
    return page(request, "commune.html", status=422, **ctx)


def _with_sent(f: FactField, form: FormData) -> FactField:
    sent = form.get(FIELD_PREFIX + f.path)
    if not isinstance(sent, str):
        return f
    return replace(f, value=sent.strip())


async def plan(request: Request) -> Response:
    form = await checked_form(request)
    ctx = await _context(request)
    budget = budget_param(str(form.get("budget") or ""))
    by = year_param(str(form.get("by") or "") or None)
    ctx["budget"], ctx["by"] = str(form.get("budget") or ""), str(form.get("by") or "")
    facts = ctx["facts"]
    ok, value = await web(request).workers.run(
        plan_job, facts, ctx["a"].criteria_set.id, budget, by, ctx["r"].source_file
    )
    if ok:
        ctx["plan"] = value
        return page(request, "commune.html", **ctx)
    ctx["problems"] = value
    return page(request, "commune.html", status=422, **ctx)


ROUTES = [
    Route("/appraisals/{uid}/communes/{code}", commune),
    Route("/appraisals/{uid}/communes/{code}/whatif", whatif, methods=["POST"]),
    Route("/appraisals/{uid}/communes/{code}/plan", plan, methods=["POST"]),
]
