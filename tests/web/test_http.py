"""The web application over real HTTP: CSRF, sign-in and roles, limits, escaping, hostile ZIPs,
concurrent uploads, headers, language. Against ``commune-health serve`` in a subprocess."""

from __future__ import annotations

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from engine import i18n
from engine.appraisal.area import appraise
from tests.web.conftest import MAX_ROWS, Server
from tests.web.support import (
    SAMPLE_DIR,
    SAMPLE_XLSX,
    client,
    csv_bytes,
    district,
    league_codes,
    sign_in,
    token,
    upload,
    zip_bytes,
)

# --- CSRF, sign-in, roles ---------------------------------------------------------------------


def test_a_form_without_its_csrf_token_is_refused_with_403(server: Server):
    with client(server) as c:
        c.get("/")
        r = c.post("/appraisals", files={"file": ("a.xlsx", SAMPLE_XLSX.read_bytes())})
        assert r.status_code == 403
        assert i18n.msg("web.error_403_csrf", "vi") in r.text
        r = c.post(
            "/appraisals", data={"csrf": "forged"}, files={"file": ("a.xlsx", SAMPLE_XLSX.read_bytes())}
        )
        assert r.status_code == 403
        sign_in(c, "duyet")
        r = c.post("/register/decisions", data={"year": "2024", "number": "1/QĐ", "date": "2024-12-20"})
        assert r.status_code == 403  # signed in as an approver, but no token


def test_register_writes_need_a_signed_in_user_with_the_right_role(server: Server):
    form = {"year": "2024", "number": "9/QĐ", "date": "2024-12-20"}
    with client(server) as c:
        r = c.post("/register/decisions", data={"csrf": token(c), **form})
        assert r.status_code == 401  # anonymous
        assert c.get("/register").status_code == 401
        assert sign_in(c, "xem").status_code == 303
        assert c.get("/register").status_code == 200
        r = c.post("/register/decisions", data={"csrf": token(c), **form})
        assert r.status_code == 403  # a viewer
        r = c.post("/register/evaluations", data={"csrf": token(c), "upload": "x", "appraiser": "x"})
        assert r.status_code == 403
    con = sqlite3.connect(server.db)
    assert con.execute("SELECT COUNT(*) FROM decisions WHERE decision_number = '9/QĐ'").fetchone()[0] == 0


def test_failed_sign_ins_are_limited(server: Server):
    with client(server) as c:
        codes = [sign_in(c, "khong-co-ai", "sai-mat-khau-1").status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
        assert "15" in sign_in(c, "khong-co-ai").text  # still refused, even with some password


def test_the_session_cookie_is_signed_httponly_and_samesite(server: Server):
    with client(server) as c:
        r = c.get("/")
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        sign_in(c, "duyet")
        assert c.get("/register").status_code == 200
        value = c.cookies["commune_health_session"]
        c.cookies.set("commune_health_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
        assert c.get("/register").status_code == 401  # tampered: not signed in


# --- uploads ----------------------------------------------------------------------------------


def test_an_oversized_upload_is_refused_with_413(server: Server):
    with client(server) as c:
        r = upload(c, "big.csv", b"a,b\n" + b"x" * (1024 * 1024 + 10))
        assert r.status_code == 413
        rows = csv_bytes(district(0, MAX_ROWS + 5))
        r = upload(c, "many.csv", rows)
        assert r.status_code == 413
        assert i18n.msg("web.error_413_rows", "vi") in r.text


def test_file_type_is_read_from_the_content_not_the_name(server: Server):
    with client(server) as c:
        assert upload(c, "ok.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00").status_code == 415
        r = upload(c, "named-like-a.csv", SAMPLE_XLSX.read_bytes())  # an XLSX whatever its name
        assert r.status_code == 200 and len(league_codes(r.text)) == 16


def test_a_commune_name_holding_script_is_rendered_escaped(server: Server):
    facts = district(1, 3)
    evil = '<script>alert("x")</script>'
    facts[0] = facts[0].model_copy(update={"commune": facts[0].commune.model_copy(update={"name": evil})})
    with client(server) as c:
        r = upload(c, '"><img src=x onerror=alert(1)>.csv', csv_bytes(facts))
        assert r.status_code == 200
        assert "<script>alert" not in r.text and "<img src=x" not in r.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in r.text
        page = c.get(str(r.url) + f"/communes/{facts[0].commune.code}")
        assert page.status_code == 200 and "<script>alert" not in page.text
        assert not re.search(r"<script\b", page.text)


def test_a_zip_with_parent_paths_or_a_symlink_is_harmless(server: Server, tmp_path: Path):
    good = (SAMPLE_DIR / "toa-tinh.yaml").read_bytes()
    data = zip_bytes(
        [
            ("../../evil.yaml", good, None),
            ("/tmp/absolute.yaml", good, None),
            ("link.yaml", b"/etc/passwd", 0o120777),
            ("huyen/toa-tinh.yaml", good, 0o100644),
            ("notes.txt", b"hello", None),
        ]
    )
    with client(server) as c:
        r = upload(c, "facts.zip", data)
        assert r.status_code == 200, r.text[:2000]
        assert [code for code, _ in league_codes(r.text)] == ["03340"]
        skipped = re.findall(r"<li>([^<]+)</li>", r.text.split('id="skipped"')[1].split("</ul>")[0])
        assert len(skipped) == 4
        assert any("symbolic link" in s for s in skipped) and sum("outside" in s for s in skipped) == 2
    assert not (server.db.parent.parent / "evil.yaml").exists()
    assert not Path("/tmp/absolute.yaml").exists()


def test_row_errors_are_listed_and_the_valid_rows_still_evaluated(server: Server):
    facts = district(2, 3)
    text = csv_bytes(facts).decode("utf-8").splitlines()
    head = text[0].split(",")
    bad = text[2].split(",")
    col = next(k for k, h in enumerate(head) if "staffing.doctors" in h or "Bác sĩ" in h)
    bad[col] = "hai"
    text[2] = ",".join(bad)
    with client(server) as c:
        r = upload(c, "mot-dong-sai.csv", "\n".join(text).encode("utf-8"))
        assert r.status_code == 200
        assert len(league_codes(r.text)) == 2
        problems = r.text.split('id="problems">')[1].split("</pre>")[0]
        assert "mot-dong-sai.csv:3" in problems and "hint:" in problems


def test_ten_concurrent_uploads_of_different_districts_each_get_their_own_league(
    server: Server, tmp_path: Path
):
    files = []
    for k in range(10):
        path = tmp_path / f"district-{k}.csv"
        path.write_bytes(csv_bytes(district(10 + k)))
        files.append(path)
    expected = []
    for path in files:
        a = appraise(path, workers=1)
        expected.append([(row.commune, i18n.score(row.score, "vi")) for row in a.league])

    def one(path: Path) -> list[tuple[str, str]]:
        with client(server) as c:
            r = upload(c, path.name, path.read_bytes())
            assert r.status_code == 200
            return league_codes(r.text)

    with ThreadPoolExecutor(10) as pool:
        got = list(pool.map(one, files))
    assert got == expected
    assert len({tuple(g) for g in got}) == 10


# --- what-if and plans for anyone -------------------------------------------------------------


def test_what_if_rejects_a_bad_value_with_its_reason(server: Server):
    with client(server) as c:
        r = upload(c, "tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())
        page = str(r.url) + "/communes/03340"
        r = c.post(page + "/whatif", data={"csrf": token(c), "f:services.bhyt_coverage_pct": "150"})
        assert r.status_code == 422
        assert "services.bhyt_coverage_pct" in r.text and "hint:" in r.text
        r = c.post(page + "/plan", data={"csrf": token(c), "budget": "mười triệu"})
        assert r.status_code == 400


# --- headers, language, redirects -------------------------------------------------------------


def test_pages_load_nothing_from_elsewhere_and_forbid_scripts(server: Server):
    with client(server) as c:
        for path in ("/", "/criteria", "/criteria/national-2030", "/signin"):
            r = c.get(path)
            assert r.status_code == 200
            csp = r.headers["content-security-policy"]
            assert "default-src 'none'" in csp and "script-src" not in csp
            assert r.headers["x-content-type-options"] == "nosniff"
            assert not re.search(r"<script\b", r.text)
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text)


def test_the_language_switch_persists_and_never_redirects_elsewhere(server: Server):
    with client(server) as c:
        assert i18n.msg("web.home_title", "vi") in c.get("/").text
        r = c.get("/lang/en", params={"next": "/criteria"})
        assert r.status_code == 303 and r.headers["location"] == "/criteria"
        assert i18n.msg("web.home_title", "en") in c.get("/").text
        assert c.get("/lang/vi", params={"next": "//evil.example/x"}).headers["location"] == "/"
        assert i18n.msg("web.home_title", "vi") in c.get("/").text


def test_unknown_choices_are_refused_not_used_as_paths(server: Server):
    with client(server) as c:
        r = upload(c, "a.xlsx", SAMPLE_XLSX.read_bytes(), criteria="../../etc/passwd")
        assert r.status_code == 400
        r = upload(c, "a.xlsx", SAMPLE_XLSX.read_bytes())
        assert c.get(str(r.url), params={"plan": "/etc/passwd"}).status_code == 400
        assert c.get("/templates/..%2F..%2Fsecret.xlsx").status_code == 404
        assert c.get("/appraisals/nope").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "html", "csv", "json"])
def test_dossier_downloads(server: Server, fmt: str):
    with client(server) as c:
        r = upload(c, "tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())
        d = c.get(str(r.url) + f"/dossier.{fmt}")
        assert d.status_code == 200 and "attachment" in d.headers["content-disposition"]
        assert len(d.content) > 1000
