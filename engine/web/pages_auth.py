"""Signing in and out, and the language switch.

A successful sign-in starts a new session (a fresh CSRF token) holding only the user's name; the
role is read from the register on every request. A failed sign-in is recorded, and after
``engine.register.users.MAX_FAILURES`` failures for a name or from a client within the window the
form answers 429 without checking any password.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engine import i18n
from engine.web.context import LANG_COOKIE, checked_form, client_of, page, redirect, safe_next, web

LANG_MAX_AGE = 365 * 24 * 3600


async def signin_form(request: Request) -> Response:
    return page(request, "signin.html", next=safe_next(request.query_params.get("next")), failed=None)


async def signin(request: Request) -> Response:
    form = await checked_form(request)
    name = str(form.get("name") or "").strip()[:100]
    password = str(form.get("password") or "")[:1000]
    target = safe_next(str(form.get("next") or ""))
    outcome = await run_in_threadpool(web(request).users.sign_in, name, password, client_of(request))
    if outcome.user is None:
        status = 429 if outcome.refused == "locked" else 401
        return page(request, "signin.html", status=status, next=target, failed=outcome.refused)
    request.session.clear()
    request.session["user"] = outcome.user.name
    return redirect(target)


async def signout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return redirect("/")


async def switch_lang(request: Request) -> Response:
    lang = request.path_params["lang"]
    response = redirect(safe_next(request.query_params.get("next")))
    if lang in i18n.LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_MAX_AGE, httponly=True, samesite="lax")
    return response


ROUTES = [
    Route("/signin", signin_form),
    Route("/signin", signin, methods=["POST"]),
    Route("/signout", signout, methods=["POST"]),
    Route("/lang/{lang}", switch_lang),
]
