"""Uploads and their appraisals as the pages reach them: by id, by variant (plan, year), by commune.

Choices that come from the visitor (criteria set, plan, year, commune) are checked against what
exists before anything runs: a criteria set or plan is chosen by id from the lists the server read
at start, never by a path.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePosixPath

from starlette.exceptions import HTTPException
from starlette.requests import Request

from engine.appraisal.area import Appraisal
from engine.errors import Diagnostic
from engine.evaluation.results import CommuneResult
from engine.inputs.facts import CommuneFacts
from engine.web.context import web
from engine.web.jobs import appraisal_job
from engine.web.state import Upload, VariantKey
from engine.web.uploads import Stored

MIN_YEAR, MAX_YEAR = 1990, 2100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def client_name(name: str | None) -> str:
    """The uploaded file's name for display only (its last part, no control characters, short)."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    return _CONTROL.sub("", base)[:120] or "upload"


def get_upload(request: Request) -> Upload:
    upload = web(request).uploads.get(request.path_params["uid"])
    if upload is None:
        raise HTTPException(404, "upload")
    return upload


def choice(request: Request, name: str, allowed: dict[str, object]) -> str | None:
    value = request.query_params.get(name) or None
    if value is not None and value not in allowed:
        raise HTTPException(400, name)
    return value


def year_param(text: str | None) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text.strip()) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise HTTPException(400, "year")
    return int(text)


def variant_key(request: Request, upload: Upload) -> VariantKey:
    state = web(request)
    criteria = next(iter(upload.variants))[0]
    plan = choice(request, "plan", state.plans)  # type: ignore[arg-type]
    return (criteria, (plan,) if plan else (), year_param(request.query_params.get("year")))


def relative(request: Request, upload: Upload) -> str:
    return str(upload.stored.path.relative_to(web(request).root))


async def appraisal_for(request: Request, upload: Upload) -> tuple[Appraisal | None, list[Diagnostic]]:
    """The upload's appraisal for the plan and year asked for (computed once, in a worker)."""
    key = variant_key(request, upload)
    if key in upload.variants:
        return upload.variants[key], []
    ok, value = await web(request).workers.run(appraisal_job, relative(request, upload), *key)
    if not ok:
        return None, shown(request, upload.stored, upload.client_name, value)
    web(request).uploads.remember(upload, key, value)
    return value, []


def shown(request: Request, stored: Stored, name: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics as the visitor knows their files: the uploaded name, the ZIP member's name."""
    return [dataclasses.replace(d, path=display_source(request, stored, name, d.path)) for d in diagnostics]


def display_source(request: Request, stored: Stored, name: str, source: str | None) -> str:
    """A path inside the private folder as the visitor knows it: ``u-x/upload.xlsx:5`` → ``district.xlsx:5``,
    ``u-x/facts/f00002.yaml`` → the ZIP member's name."""
    if not source:
        return name
    folder = str(stored.folder.relative_to(web(request).root)) + "/"
    if not source.startswith(folder):
        return source
    inner, sep, row = source[len(folder) :].partition(":")
    shown_name = stored.members.get(PurePosixPath(inner).name) or name
    return f"{shown_name}{sep}{row}"


def query_suffix(request: Request) -> str:
    """The plan and year chosen, to carry on links (``?plan=…&year=…`` or '')."""
    keep = {k: v for k, v in request.query_params.items() if k in ("plan", "year") and v}
    if not keep:
        return ""
    from urllib.parse import urlencode

    return "?" + urlencode(keep)


def commune_in(a: Appraisal, code: str) -> tuple[CommuneResult, CommuneFacts]:
    for r, f in zip(a.results, a.facts, strict=True):
        if r.commune.id == code:
            return r, f
    raise HTTPException(404, "commune")
