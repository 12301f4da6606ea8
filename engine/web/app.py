"""The web application: routes, security middleware, error pages, start and stop.

:func:`create_app` builds one Starlette application from :class:`~engine.web.state.Settings`: it
opens the register (migrating it), makes a private upload folder (mode 0700) and a pool of
evaluation workers, and adds, outermost first: security headers (a strict Content-Security-Policy:
no script at all, nothing from another origin), the request-body limit (413 as soon as a body is
known to be too large, declared or streamed) and the signed session cookie (HttpOnly, SameSite=Lax,
Secure behind HTTPS). Errors are pages in the visitor's language with the right status.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.inputs.loader import available_sets
from engine.inputs.plans import available_plans
from engine.register.db import Register
from engine.register.users import Users
from engine.web import (
    pages_auth,
    pages_commune,
    pages_criteria,
    pages_documents,
    pages_register,
    pages_upload,
)
from engine.web.context import make_env, page
from engine.web.jobs import Workers
from engine.web.state import Settings, Uploads, WebState

STATIC = Path(__file__).resolve().parent / "static"
MULTIPART_OVERHEAD = 64 * 1024  # form fields and boundaries around the file
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse a request body beyond ``limit`` bytes with 413, before reading it (Content-Length) or
    as soon as the streamed body passes it; the route's error page says so."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        seen = 0
        limit = self.limit

        async def limited() -> Message:
            nonlocal seen
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                raise HTTPException(413, "bytes")
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, "bytes")
            return message

        await self.app(scope, limited, send)


async def error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = page(request, "error.html", status=exc.status_code, code=exc.status_code, detail=exc.detail)
    if exc.status_code == 401:
        response.headers["www-authenticate"] = 'FormBased realm="commune-health"'
    return response


def routes() -> list[Any]:
    return [
        *pages_upload.ROUTES,
        *pages_commune.ROUTES,
        *pages_documents.ROUTES,
        *pages_criteria.ROUTES,
        *pages_register.ROUTES,
        *pages_auth.ROUTES,
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(settings: Settings) -> Starlette:
    register = Register(settings.db_url, create=True)
    root = Path(tempfile.mkdtemp(prefix="commune-health-web-"))  # mode 0700: private to this user
    state = WebState(
        settings=settings,
        root=root,
        register=register,
        users=Users(register),
        workers=Workers(settings.workers, root),
        uploads=Uploads(settings.max_uploads),
        sets=available_sets(),
        plans=available_plans(),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            if settings.warm_set:
                await state.workers.warm(settings.warm_set, settings.warm_year)
            yield
        finally:
            state.workers.close()
            state.uploads.clear()
            shutil.rmtree(root, ignore_errors=True)
            register.close()

    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, limit=settings.limits.max_bytes + MULTIPART_OVERHEAD),
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie="commune_health_session",
                max_age=settings.session_hours * 3600,
                same_site="lax",
                https_only=settings.secure_cookies,
            ),
        ],
        exception_handlers={HTTPException: error_page},
        lifespan=lifespan,
    )
    app.state.web = state
    app.state.env = make_env()
    return app
