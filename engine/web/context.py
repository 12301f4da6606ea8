"""What every page needs: the language, the signed-in user, the CSRF token, templates and forms.

- Language: Vietnamese unless the ``lang`` cookie (set by the switch, kept a year) says English.
- User: the name in the signed session cookie, looked up in the register on every request (a user
  removed or given another role is so at once).
- CSRF: one random token per session, in a hidden field of every form; a POST whose token is missing
  or wrong is refused with 403 before anything is done.
- Templates: Jinja2 with autoescaping always on; every interface string comes from the message
  catalogue (``engine/messages/<lang>/web.yaml``) through ``t(...)``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from engine import i18n
from engine.register.users import Role, User
from engine.web.state import WebState

LANG_COOKIE = "lang"
CSRF_FIELD = "csrf"
MAX_FIELDS = 300
YEAR_PARAMS = frozenset({"year", "start", "end", "by"})


class Texts:
    """Formatting for one language, as templates use it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        # years are names, not quantities: 2024, never 2.024
        params = {k: str(v) if k in YEAR_PARAMS and isinstance(v, int) else v for k, v in params.items()}
        return i18n.msg(f"web.{key}", self.lang, **params)

    def common(self, key: str, **params: Any) -> str:
        return i18n.msg(f"common.{key}", self.lang, **params)

    def has(self, message_id: str) -> bool:
        return i18n.has(message_id, self.lang)

    def text(self, x: Any) -> str:
        """A bilingual text (criteria content, engine messages), a Message, or plain text."""
        if x is None:
            return ""
        if isinstance(x, i18n.Message):
            return x.text(self.lang)
        if isinstance(x, i18n.Bilingual):
            return x.vi if self.lang == "vi" else x.en
        return str(x)

    def score(self, x: float | None) -> str:
        return "—" if x is None else i18n.score(float(x), self.lang)

    def num(self, x: float | None, digits: int = 1) -> str:
        return i18n.num(x, self.lang, digits)

    def value(self, x: Any) -> str:
        return i18n.fmt_value(x, self.lang)

    def status(self, status: str) -> str:
        return i18n.t(status, self.lang) if i18n.has(f"common.{status}", self.lang) else status


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "vi")
    return lang if lang in i18n.LANGS else "vi"


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def user_of(request: Request) -> User | None:
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    return web(request).users.get(name)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def checked_form(request: Request) -> FormData:
    """The POSTed form, after its CSRF token is checked (403 when missing or wrong)."""
    form = await request.form(max_files=1, max_fields=MAX_FIELDS)
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(sent, str) or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "csrf")
    return form


def require(request: Request, role: Role) -> User:
    """The signed-in user if their role allows ``role``; else 401 (nobody signed in) or 403."""
    user = user_of(request)
    if user is None:
        raise HTTPException(401, "signin")
    if not user.may(role):
        raise HTTPException(403, "role")
    return user


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to (never another site: no scheme, no '//')."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def make_env() -> Environment:
    env = Environment(
        loader=PackageLoader("engine.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markup"] = Markup  # only for SVG made by engine.render (which escapes its text)
    return env


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """Render ``template`` in the visitor's language with the common context."""
    lang = lang_of(request)
    env: Environment = request.app.state.env
    base: Mapping[str, Any] = {
        "t": Texts(lang),
        "lang": lang,
        "user": user_of(request),
        "csrf": csrf_token(request),
        "path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "flash": request.session.pop("flash", None),
    }
    html = env.get_template(template).render(**base, **context)
    return HTMLResponse(html, status_code=status)
