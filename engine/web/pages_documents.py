"""The official documents of an upload: each commune's score sheet and minutes, in Word or PDF.

The same builders as ``commune-health documents`` (:func:`engine.render.documents.files.commune_documents`)
run in a worker process, never in the server: building a district's Word files takes seconds, and its
PDFs are made by LibreOffice (:mod:`engine.render.documents.pdf`, one run for the whole set). Files are
named as the command names them (``score-sheet-03340-toa-tinh.docx``); the source each document cites
is the file the visitor uploaded (its ZIP member's name, or ``district.xlsx:5``), never the private
folder. A commune or file name that is not in the appraisal is 404: the name in the address is only
compared with the names the builders give, never used as a path. Without LibreOffice on the server,
the PDFs are a page saying so (503) and the Word files are still offered.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engine.appraisal.area import Appraisal
from engine.errors import UserError
from engine.evaluation.results import CommuneResult
from engine.render.documents import pdf
from engine.render.documents.files import COMMUNE_KINDS, commune_stem
from engine.web.appraisals import appraisal_for, commune_in, display_source, get_upload, variant_key
from engine.web.context import lang_of, page, web
from engine.web.jobs import documents_job
from engine.web.state import Upload

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class DocumentLink:
    kind: str  # score-sheets, minutes
    name: str  # the file name, as the documents command writes it
    ext: str


def pdf_available() -> bool:
    """Whether LibreOffice is installed where the workers will look for it."""
    try:
        pdf.soffice()
    except UserError:
        return False
    return True


def shown_result(request: Request, up: Upload, r: CommuneResult) -> CommuneResult:
    """The result citing the visitor's own file (``toa-tinh.yaml``, ``district.xlsx:5``) as its source."""
    source = display_source(request, up.stored, up.client_name, r.source_file)
    return r._replace(source_file=source)


def shown_appraisal(request: Request, up: Upload, a: Appraisal, code: str | None = None) -> Appraisal:
    """``a`` (or only its commune ``code``) as the documents show it: sources as the visitor knows them."""
    pairs = [(r, f) for r, f in zip(a.results, a.facts, strict=True) if code is None or r.commune.id == code]
    league = [row for row in a.league if code is None or row.commune == code]
    return dataclasses.replace(
        a,
        results=[shown_result(request, up, r) for r, _ in pairs],
        facts=[f for _, f in pairs],
        league=league,
    )


def commune_links(request: Request, up: Upload, r: CommuneResult) -> list[DocumentLink]:
    """The commune's documents, each in Word and in PDF, named as the command names them."""
    shown = shown_result(request, up, r)
    out = []
    for kind, (prefix, _) in COMMUNE_KINDS.items():
        stem = commune_stem(prefix, shown.commune.id, shown.commune.name, shown.source_file)
        out += [DocumentLink(kind, f"{stem}.{ext}", ext) for ext in MEDIA]
    return out


def _attachment(data: bytes, media_type: str, name: str) -> Response:
    return Response(
        data, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


async def _built(
    request: Request, a: Appraisal, fmt: str, stem: str | None
) -> list[tuple[str, bytes]] | Response:
    """The files from a worker, or the page saying why there are none (LibreOffice missing or failing)."""
    if fmt == "pdf" and not pdf_available():
        return page(request, "error.html", status=503, code=503, detail="libreoffice")
    ok, value = await web(request).workers.run(documents_job, a, lang_of(request), fmt, stem)
    if not ok:
        problems = [d.format() for d in value]
        return page(request, "error.html", status=503, code=503, detail="pdf", problems=problems)
    built: list[tuple[str, bytes]] = value
    return built


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(name, data)
    return buf.getvalue()


async def all_documents(request: Request) -> Response:
    """Every commune's score sheet and minutes, as one ZIP of Word files or of PDFs."""
    up = get_upload(request)
    fmt = request.path_params["fmt"]
    if fmt not in MEDIA:
        raise HTTPException(404, "format")
    a, _ = await appraisal_for(request, up)
    if a is None:
        raise HTTPException(404, "upload")
    key = (variant_key(request, up), lang_of(request), fmt)
    files = up.documents.get(key)
    if files is None:
        built = await _built(request, shown_appraisal(request, up, a), fmt, None)
        if isinstance(built, Response):
            return built
        files = built
        web(request).uploads.keep_documents(up, key, files)
    data = await run_in_threadpool(_zip, files)
    return _attachment(data, "application/zip", f"documents-{a.year}-{fmt}.zip")


async def commune_document(request: Request) -> Response:
    """One document of one commune, by the file name the command gives it."""
    up = get_upload(request)
    a, _ = await appraisal_for(request, up)
    if a is None:
        raise HTTPException(404, "upload")
    r, _ = commune_in(a, request.path_params["code"])
    name = request.path_params["name"]
    link = next((x for x in commune_links(request, up, r) if x.name == name), None)
    if link is None:
        raise HTTPException(404, "document")
    stem = name[: -len(link.ext) - 1]
    built = await _built(request, shown_appraisal(request, up, a, r.commune.id), link.ext, stem)
    if isinstance(built, Response):
        return built
    if len(built) != 1:
        raise HTTPException(404, "document")
    return _attachment(built[0][1], MEDIA[link.ext], name)


ROUTES = [
    Route("/appraisals/{uid}/documents-{fmt}.zip", all_documents),
    Route("/appraisals/{uid}/communes/{code}/documents/{name}", commune_document),
]
