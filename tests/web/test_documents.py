"""The official documents from the web application, over real HTTP: the Word ZIP of every commune,
a commune's own documents in Word and PDF (LibreOffice), named as the ``documents`` command names
them, read back with python-docx and poppler; names not in the appraisal are 404; without LibreOffice
the PDFs are a clear page, never a 500, and the Word files are still there."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from docx import Document

from engine import i18n
from engine.render.documents.files import commune_stem
from tests.render.documents.support import text
from tests.web.conftest import Server
from tests.web.support import (
    SAMPLE_DIR,
    SAMPLE_XLSX,
    add_users,
    client,
    league_codes,
    live_server,
    upload,
    zip_bytes,
)

CODE, NAME = "03340", "Xã Tỏa Tình"


def docx_text(data: bytes) -> str:
    return text(Document(io.BytesIO(data)))


@pytest.fixture(scope="module")
def sample(server: Server) -> Iterator[tuple[httpx.Client, str, list[str]]]:
    """An anonymous visitor's client, the sample district's appraisal address and its communes."""
    c = client(server)
    r = upload(c, "tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())
    assert r.status_code == 200
    yield c, str(r.url), [code for code, _ in league_codes(r.text)]
    c.close()


def test_the_word_zip_holds_every_communes_score_sheet_and_minutes(sample):
    c, url, codes = sample
    page = c.get(url).text
    assert f'href="{httpx.URL(url).path}/documents-docx.zip"' in page
    r = c.get(url + "/documents-docx.zip")  # anonymous, like the dossier
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == 'attachment; filename="documents-2024-docx.zip"'
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = z.namelist()
        assert len(names) == 2 * len(codes) == 32
        for code in codes:
            for prefix in ("score-sheet", "minutes"):
                assert sum(n.startswith(f"{prefix}-{code}-") and n.endswith(".docx") for n in names) == 1
        toa_tinh = docx_text(z.read(f"score-sheet-{CODE}-xa-toa-tinh.docx"))
    assert NAME in toa_tinh and i18n.msg("documents.score_sheet_title", "vi").upper() in toa_tinh.upper()
    assert "tuan-giao.xlsx:" in toa_tinh and "upload.xlsx" not in toa_tinh  # the visitor's name, not ours


def test_a_communes_documents_are_named_as_the_command_names_them(sample, tmp_path: Path):
    c, url, _ = sample
    page = c.get(url + f"/communes/{CODE}").text
    stem = commune_stem("score-sheet", CODE, NAME, "tuan-giao.xlsx:5")
    links = re.findall(r'href="([^"]+/documents/[^"]+)"', page)
    assert [link.rsplit("/", 1)[1] for link in links] == [
        f"{stem}.docx", f"{stem}.pdf", f"minutes-{CODE}-xa-toa-tinh.docx", f"minutes-{CODE}-xa-toa-tinh.pdf"
    ]  # fmt: skip
    word = c.get(links[2])
    assert word.status_code == 200
    assert word.headers["content-disposition"] == f'attachment; filename="minutes-{CODE}-xa-toa-tinh.docx"'
    assert NAME in docx_text(word.content)
    pdf = c.get(links[1])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{stem}.pdf"'
    (tmp_path / "s.pdf").write_bytes(pdf.content)
    printed = subprocess.run(
        ["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, check=True
    )
    assert NAME in printed.stdout


def test_documents_follow_the_page_language(sample):
    c, url, _ = sample
    c.cookies.set("lang", "en")
    try:
        r = c.get(url + f"/communes/{CODE}/documents/minutes-{CODE}-xa-toa-tinh.docx")
        page = c.get(url).text
    finally:
        c.cookies.set("lang", "vi")
    assert i18n.msg("documents.minutes_title", "en").upper() in docx_text(r.content).upper()
    assert i18n.msg("web.documents_title", "en") in page


@pytest.mark.parametrize(
    "path",
    [
        "/communes/99999/documents/score-sheet-99999-xa-toa-tinh.docx",  # no such commune
        f"/communes/{CODE}/documents/score-sheet-{CODE}-xa-khac.docx",  # another commune's name
        f"/communes/{CODE}/documents/score-sheet-{CODE}-xa-toa-tinh.exe",
        f"/communes/{CODE}/documents/score-sheet-{CODE}-xa-toa-tinh",
        f"/communes/{CODE}/documents/..%2F..%2F..%2Fetc%2Fpasswd",
        f"/communes/{CODE}/documents/%2Fetc%2Fpasswd",
        "/documents-exe.zip",
        "/documents-..%2Fdocx.zip",
    ],
)
def test_a_name_not_in_the_appraisal_is_404_never_a_path(sample, path: str):
    c, url, _ = sample
    r = c.get(url + path)
    assert r.status_code == 404
    assert "root:" not in r.text


def test_another_upload_id_is_404(server: Server):
    with client(server) as c:
        assert c.get("/appraisals/nope/documents-docx.zip").status_code == 404
        assert (
            c.get(f"/appraisals/nope/communes/{CODE}/documents/minutes-{CODE}-xa-toa-tinh.docx").status_code
            == 404
        )


def test_a_zip_of_fact_files_gives_the_commands_names_and_pdfs(server: Server):
    fact = (SAMPLE_DIR / "toa-tinh.yaml").read_bytes()
    with client(server) as c:
        r = upload(c, "facts.zip", zip_bytes([("huyen/toa-tinh.yaml", fact, None)]))
        assert r.status_code == 200
        z = c.get(str(r.url) + "/documents-pdf.zip")
        assert z.status_code == 200, z.text[:1000]
        assert z.headers["content-disposition"] == 'attachment; filename="documents-2024-pdf.zip"'
        with zipfile.ZipFile(io.BytesIO(z.content)) as pdfs:
            assert sorted(pdfs.namelist()) == [
                f"minutes-{CODE}-toa-tinh.pdf",
                f"score-sheet-{CODE}-toa-tinh.pdf",
            ]
            assert all(pdfs.read(n).startswith(b"%PDF-") for n in pdfs.namelist())
        word = c.get(str(r.url) + f"/communes/{CODE}/documents/score-sheet-{CODE}-toa-tinh.docx")
        assert word.status_code == 200
        body = docx_text(word.content)
    assert "toa-tinh.yaml" in body and "f0000" not in body  # the member's name, not the private one


def test_without_libreoffice_the_pdfs_are_a_clear_page_and_word_still_works(tmp_path: Path):
    db = tmp_path / "register.sqlite3"
    add_users(db, [])
    empty = tmp_path / "bin"
    empty.mkdir()
    with (
        live_server(db, "--workers", "1", env={"PATH": str(empty)}) as url,
        httpx.Client(base_url=url, timeout=300) as c,
    ):
        r = upload(c, "tuan-giao.xlsx", SAMPLE_XLSX.read_bytes())
        assert r.status_code == 200
        assert "documents-pdf.zip" not in r.text and "documents-docx.zip" in r.text
        assert i18n.msg("web.documents_no_pdf", "vi") in r.text
        commune = c.get(str(r.url) + f"/communes/{CODE}").text
        assert (
            f"minutes-{CODE}-xa-toa-tinh.pdf" not in commune and f"minutes-{CODE}-xa-toa-tinh.docx" in commune
        )
        for path in ("/documents-pdf.zip", f"/communes/{CODE}/documents/minutes-{CODE}-xa-toa-tinh.pdf"):
            refused = c.get(str(r.url) + path)
            assert refused.status_code == 503
            assert i18n.msg("web.error_503_libreoffice", "vi") in refused.text
        word = c.get(str(r.url) + f"/communes/{CODE}/documents/minutes-{CODE}-xa-toa-tinh.docx")
        assert word.status_code == 200 and NAME in docx_text(word.content)
