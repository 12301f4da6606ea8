"""Every write of the web application is guarded: by the CSRF token (every POST route of the router,
enumerated, so a route added later is covered without anyone remembering to) and, for the
register's writes, by the signed-in user's role; a waiver is recorded with that user as its actor.
Against ``commune-health serve`` in a subprocess; "nothing written" is read from the register's
database and from the server's private folder."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import httpx
import pytest
from starlette.routing import Route

from engine import i18n
from engine.web.app import routes
from tests.web.conftest import Server
from tests.web.support import SAMPLE_XLSX, client, sign_in, token, upload

POST_ROUTES = sorted(r.path for r in routes() if isinstance(r, Route) and "POST" in (r.methods or ()))
CODE = "03340"  # Tỏa Tình, in the sample district


def written(server: Server) -> tuple[dict[str, list[tuple[object, ...]]], list[str]]:
    """Everything a request could have written: every table of the register, every file the server
    keeps (uploads, their unpacked members)."""
    con = sqlite3.connect(server.db)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()
    return rows, sorted(str(p.relative_to(server.tmp)) for p in server.tmp.rglob("*"))


def valid_request(path: str, upload_id: str) -> dict[str, object]:
    """What each form sends when filled in properly (everything but the token): the refusal can only
    be the token's. A route not listed here is still tested, with an empty form."""
    forms: dict[str, dict[str, object]] = {
        "/appraisals": {"files": {"file": ("tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())}},
        "/signin": {"data": {"name": "duyet", "password": "mat-khau-thu-nghiem", "next": "/"}},
        "/signout": {"data": {}},
        "/register/decisions": {"data": {"year": "2024", "number": "77/QĐ-UBND", "date": "2024-12-20"}},
        "/register/evaluations": {"data": {"upload": upload_id, "appraiser": "Hội đồng"}},
        "/register/waivers": {
            "data": {
                "commune": CODE,
                "indicator": "x",
                "reason": "r",
                "approver": "a",
                "granted": "2024-01-01",
                "expires": "2025-12-31",
            }
        },
        "/appraisals/{uid}/communes/{code}/whatif": {"data": {"f:services.newborn_screening_pct": "80"}},
        "/appraisals/{uid}/communes/{code}/plan": {"data": {"budget": "35000000", "by": "2026"}},
    }
    return forms.get(path, {"data": {}})


def test_the_post_routes_are_enumerated_from_the_router():
    assert {"/appraisals", "/signin", "/signout", "/register/decisions", "/register/waivers",
            "/register/evaluations", "/appraisals/{uid}/communes/{code}/whatif"} <= set(POST_ROUTES)  # fmt: skip


@pytest.fixture(scope="module")
def approver(server: Server) -> Iterator[tuple[httpx.Client, str]]:
    """A client signed in as an approver (no role refuses it) and an upload of the sample."""
    c = client(server)
    r = upload(c, "tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())
    assert r.status_code == 200
    assert sign_in(c, "duyet").status_code == 303
    yield c, str(r.url).rsplit("/", 1)[1]
    c.close()


@pytest.mark.parametrize("sent", ["no token", "forged token", "another session's token"])
@pytest.mark.parametrize("path", POST_ROUTES)
def test_every_post_without_its_csrf_token_is_refused_and_writes_nothing(
    server: Server, approver: tuple[httpx.Client, str], path: str, sent: str
):
    c, upload_id = approver
    url = path.format(uid=upload_id, code=CODE)
    request = valid_request(path, upload_id)
    data = dict(request.get("data") or {})  # type: ignore[call-overload]
    if sent == "forged token":
        data["csrf"] = "x" * 43
    elif sent == "another session's token":
        with client(server) as other:
            data["csrf"] = token(other)
    before = written(server)
    assert before[1], "the upload's files are where the check looks"
    r = c.post(url, data=data, files=request.get("files"))  # type: ignore[arg-type]
    assert r.status_code == 403, (url, r.status_code, r.text[:500])
    assert i18n.msg("web.error_403_csrf", "vi") in r.text
    assert written(server) == before
    assert c.get("/register").status_code == 200  # the refused request did not sign anyone out


def waiver_form(c: httpx.Client, indicator: str, approver: str = "Sở Y tế tỉnh Điện Biên") -> dict[str, str]:
    return {"csrf": token(c), "commune": CODE, "indicator": indicator, "reason": "Trạm đang xây lại",
            "approver": approver, "granted": "2024-03-01", "expires": "2025-12-31"}  # fmt: skip


def test_a_waiver_needs_an_approver_and_is_recorded_with_the_signed_in_user(server: Server):
    with client(server) as c:
        r = upload(c, "tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())
        commune = c.get(str(r.url) + f"/communes/{CODE}").text
        met = re.findall(r'<tr data-indicator="([^"]+)" data-status="pass"', commune)
        assert met, "Tỏa Tình meets some indicators"
        indicator = met[0]  # already met: the waiver changes no verdict another test relies on
        upload_id = str(r.url).rsplit("/", 1)[1]
        before = written(server)
        assert c.post("/register/waivers", data=waiver_form(c, indicator)).status_code == 401  # anonymous
        assert sign_in(c, "xem").status_code == 303
        assert c.post("/register/waivers", data=waiver_form(c, indicator)).status_code == 403  # a viewer
        assert written(server)[0]["waivers"] == before[0]["waivers"]

        assert sign_in(c, "duyet").status_code == 303
        stored = c.post(
            "/register/evaluations", data={"csrf": token(c), "upload": upload_id, "appraiser": "x"}
        )
        assert stored.status_code == 303  # the commune is in the register before its waiver
        r = c.post("/register/waivers", data=waiver_form(c, indicator))
        assert r.status_code == 303 and r.headers["location"] == f"/register/communes/{CODE}"
        history = c.get(r.headers["location"])
        assert indicator in history.text
    con = sqlite3.connect(server.db)
    try:
        row = con.execute(
            "SELECT approver, recorded_by FROM waivers WHERE commune_code = ? AND indicator_id = ?",
            (CODE, indicator),
        ).fetchone()
        activity = con.execute(
            "SELECT user_name, detail_json FROM user_activity WHERE action = 'waiver' ORDER BY id DESC"
        ).fetchone()
    finally:
        con.close()
    assert row == ("Sở Y tế tỉnh Điện Biên", "duyet")  # the form's approver; the actor is who signed in
    assert activity[0] == "duyet" and indicator in activity[1]


def test_the_server_keeps_its_files_in_the_folder_the_tests_read(server: Server):
    folders = [p for p in server.tmp.iterdir() if p.name.startswith("commune-health-web-")]
    assert len(folders) == 1 and (folders[0].stat().st_mode & 0o777) == 0o700
