"""The criteria browser: every set, its criteria and indicators, thresholds by zone, partial-credit
bands, remediation, and the provenance (draft or confirmed) of every indicator."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engine.inputs.fact_catalogue import catalogue
from engine.render import criteria_text as words
from engine.web.context import page, web


async def sets(request: Request) -> Response:
    return page(request, "criteria_list.html", sets=web(request).sets)


async def criteria_set(request: Request) -> Response:
    cs = web(request).sets.get(request.path_params["set_id"])
    if cs is None:
        raise HTTPException(404, "criteria")
    return page(request, "criteria.html", cs=cs, facts=catalogue(), words=words)


ROUTES = [Route("/criteria", sets), Route("/criteria/{set_id}", criteria_set)]
