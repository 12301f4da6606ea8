"""The register behind sign-in: the yearly review and proposed decisions, commune histories, and the
writes — evaluations stored (appraiser), decisions and waivers recorded (approver) — each done as the
signed-in user, who is the actor in the register's audit and in the user activity log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engine.errors import UserError
from engine.register import decisions, overview
from engine.register.history import history
from engine.register.review import review
from engine.register.store import facts_json
from engine.register.waiver_store import add_waiver
from engine.register.waivers import Waiver
from engine.web.appraisals import display_source, year_param
from engine.web.context import checked_form, client_of, page, redirect, require, web
from engine.web.jobs import import_job

MAX_TEXT = 500


def _text(form: FormData, name: str, required: bool = True) -> str:
    value = str(form.get(name) or "").strip()
    if (required and not value) or len(value) > MAX_TEXT:
        raise HTTPException(400, name)
    return value


def _date(form: FormData, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_text(form, name))
    except ValueError:
        raise HTTPException(400, name) from None


def _year(form: FormData) -> int:
    year = year_param(str(form.get("year") or ""))
    if year is None:
        raise HTTPException(400, "year")
    return year


async def index(request: Request) -> Response:
    require(request, "viewer")
    state = web(request)
    reg = state.register
    years = await run_in_threadpool(overview.years, reg)
    year = year_param(request.query_params.get("year")) or (years[0] if years else None)
    rv = await run_in_threadpool(review, reg, year) if year is not None else None
    return page(
        request,
        "register.html",
        years=years,
        year=year,
        rv=rv,
        communes=await run_in_threadpool(overview.communes, reg),
        activity=await run_in_threadpool(state.users.activity, 20),
        today=dt.date.today().isoformat(),
    )


async def commune_history(request: Request) -> Response:
    require(request, "viewer")
    try:
        h = await run_in_threadpool(history, web(request).register, request.path_params["code"])
    except UserError:
        raise HTTPException(404, "commune") from None
    return page(request, "history.html", h=h)


def _flash(request: Request, key: str, **params: Any) -> None:
    request.session["flash"] = {"key": key, "params": params}


async def record_decisions(request: Request) -> Response:
    user = require(request, "approver")
    form = await checked_form(request)
    year, number, when = _year(form), _text(form, "number"), _date(form, "date")
    reason = _text(form, "reason", required=False) or None
    state = web(request)
    _, summary = await run_in_threadpool(
        decisions.apply, state.register, year, number, when, user.name, reason
    )
    detail = {"year": year, "number": number, "date": when.isoformat(), "created": summary.created,
              "changed": summary.changed, "deleted": summary.deleted}  # fmt: skip
    await run_in_threadpool(state.users.log, user.name, "decisions", detail, client_of(request))
    _flash(request, "flash_decisions", year=year, created=len(summary.created), changed=len(summary.changed),
           unchanged=len(summary.unchanged), deleted=len(summary.deleted))  # fmt: skip
    return redirect(f"/register?year={year}")


async def record_waiver(request: Request) -> Response:
    user = require(request, "approver")
    form = await checked_form(request)
    try:
        waiver = Waiver(
            commune=_text(form, "commune"),
            indicator=_text(form, "indicator"),
            reason=_text(form, "reason"),
            approver=_text(form, "approver"),
            granted_on=_date(form, "granted"),
            expires_on=_date(form, "expires"),
        )
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return page(request, "error.html", status=422, code=422, detail="waiver", problems=problems)
    state = web(request)
    try:
        stored, added = await run_in_threadpool(add_waiver, state.register, waiver, user.name)
    except UserError as exc:
        problems = [d.message for d in exc.diagnostics]
        return page(request, "error.html", status=409, code=409, detail="waiver", problems=problems)
    await run_in_threadpool(
        state.users.log, user.name, "waiver", stored.model_dump(mode="json"), client_of(request)
    )
    _flash(request, "flash_waiver" if added else "flash_waiver_known", commune=stored.commune,
           indicator=stored.indicator, id=stored.id)  # fmt: skip
    return redirect(f"/register/communes/{stored.commune}")


async def store_evaluations(request: Request) -> Response:
    user = require(request, "appraiser")
    form = await checked_form(request)
    state = web(request)
    up = state.uploads.get(_text(form, "upload"))
    if up is None:
        raise HTTPException(404, "upload")
    appraiser = _text(form, "appraiser")
    a = up.default()
    items = []
    for r, f in zip(a.results, a.facts, strict=True):
        source = display_source(request, up.stored, up.client_name, r.source_file)
        member = state.root / (r.source_file or "")
        text = member.read_text(encoding="utf-8") if up.stored.kind == "zip" else facts_json(f)
        items.append((source, f, text))
    ok, value = await state.workers.run(
        import_job, state.settings.db_url, a.criteria_set.id, items, a.year, appraiser
    )
    if not ok:
        return page(request, "error.html", status=422, code=422, detail="import",
                    problems=[d.format() for d in value])  # fmt: skip
    s = value.summary
    detail = {"upload": up.client_name, "year": a.year, "added": s.added, "replaced": s.replaced,
              "unchanged": len(s.unchanged), "appraiser": appraiser}  # fmt: skip
    await run_in_threadpool(state.users.log, user.name, "import", detail, client_of(request))
    _flash(request, "flash_import", year=a.year, added=len(s.added), replaced=len(s.replaced),
           unchanged=len(s.unchanged))  # fmt: skip
    return redirect(f"/register?year={a.year}")


ROUTES = [
    Route("/register", index),
    Route("/register/communes/{code}", commune_history),
    Route("/register/decisions", record_decisions, methods=["POST"]),
    Route("/register/waivers", record_waiver, methods=["POST"]),
    Route("/register/evaluations", store_evaluations, methods=["POST"]),
]
