"""The front page, uploads, the appraisal page, dossier downloads and the blank templates."""

from __future__ import annotations

import shutil

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engine.appraisal.area import Appraisal
from engine.render import appraisal_text, html
from engine.web import uploads
from engine.web.appraisals import (
    appraisal_for,
    client_name,
    get_upload,
    query_suffix,
    shown,
    year_param,
)
from engine.web.context import checked_form, lang_of, page, redirect, user_of, web
from engine.web.downloads import DOSSIER, DOSSIER_BY_EXT, TEMPLATES
from engine.web.jobs import appraisal_job
from engine.web.pages_documents import pdf_available


async def home(request: Request) -> Response:
    state = web(request)
    return page(request, "home.html", sets=state.sets, limits=state.settings.limits)


async def upload(request: Request) -> Response:
    state = web(request)
    form = await checked_form(request)
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise HTTPException(400, "nofile")
    criteria = str(form.get("criteria") or "") or None
    if criteria is not None and criteria not in state.sets:
        raise HTTPException(400, "criteria")
    limits = state.settings.limits
    data = await file.read(limits.max_bytes + 1)
    try:
        stored = await run_in_threadpool(uploads.store, data, state.root, limits)
    except uploads.TooLarge as exc:
        raise HTTPException(413, exc.what) from None
    except uploads.Unsupported as exc:
        raise HTTPException(415, str(exc)) from None
    name = client_name(file.filename)
    rel = str(stored.path.relative_to(state.root))
    ok, value = await state.workers.run(appraisal_job, rel, criteria, (), None)
    if not ok:
        problems = shown(request, stored, name, value)
        shutil.rmtree(stored.folder, ignore_errors=True)
        return page(
            request, "upload_error.html", status=422, name=name, problems=problems, skipped=stored.skipped
        )
    up = state.uploads.add(stored, name, (criteria, (), None), value)
    return redirect(f"/appraisals/{up.id}")


def _years(a: Appraisal) -> list[int]:
    return sorted({a.year, *(f.year for f in a.facts)})


async def appraisal(request: Request) -> Response:
    state = web(request)
    up = get_upload(request)
    a, problems = await appraisal_for(request, up)
    if a is None:
        return page(
            request, "upload_error.html", status=422, name=up.client_name, problems=problems, skipped=[]
        )
    lang = lang_of(request)
    user = user_of(request)
    return page(
        request,
        "appraisal.html",
        up=up,
        a=a,
        ax=appraisal_text,
        problems=shown(request, up.stored, up.client_name, a.diagnostics),
        chart=html.bar_chart(a, lang),
        heatmap=html.heat_map(a, lang),
        formats=DOSSIER,
        pdf_ok=pdf_available(),
        plans=state.plans,
        chosen_plan=request.query_params.get("plan") or "",
        year_asked=year_param(request.query_params.get("year")),
        suffix=query_suffix(request),
        may_import=user is not None and user.may("appraiser"),
    )


async def dossier(request: Request) -> Response:
    up = get_upload(request)
    fmt = DOSSIER_BY_EXT.get(request.path_params["fmt"])
    if fmt is None:
        raise HTTPException(404, "format")
    a, _ = await appraisal_for(request, up)
    if a is None:
        raise HTTPException(404, "upload")
    data = await run_in_threadpool(fmt.render, a, lang_of(request))
    name = f"appraisal-{a.year}.{fmt.ext}"
    return Response(
        data, media_type=fmt.media_type, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


async def template(request: Request) -> Response:
    state = web(request)
    cs = state.sets.get(request.path_params["set_id"])
    kind = TEMPLATES.get(request.path_params["fmt"])
    if cs is None or kind is None:
        raise HTTPException(404, "template")
    media, make = kind
    data = await run_in_threadpool(make, cs, lang_of(request))
    name = f"{'mau-thu-thap' if lang_of(request) == 'vi' else 'collection-template'}-{cs.id}.{request.path_params['fmt']}"
    return Response(data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


ROUTES = [
    Route("/", home),
    Route("/appraisals", upload, methods=["POST"]),
    Route("/appraisals/{uid}", appraisal),
    Route("/appraisals/{uid}/dossier.{fmt}", dossier),
    Route("/templates/{set_id}.{fmt}", template),
]
