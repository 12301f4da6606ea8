"""End to end in a real browser: Playwright drives Debian's chromium (never a downloaded browser).

Upload the sample district → league table → the documents ZIP (a Word score sheet and minutes per
commune, opened with python-docx) → Tỏa Tình → change facts in the what-if form → the
verdict flips → a plan within a budget → sign in as an approver → store the evaluations and record
the year's decisions → the decision shows in the commune's history. Every page is photographed and
checked not to be blank, then looked at again at a phone's size (nothing wider than the screen).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from engine import i18n
from tests.render.documents.support import text
from tests.web.conftest import Server
from tests.web.support import CHROMIUM, CHROMIUM_ARGS, PASSWORD, SAMPLE_XLSX

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "install Debian's chromium (apt-get install -y chromium): make test does it"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def not_blank(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as img:
        rgb = img.convert("RGB")
    colours = rgb.getcolors(maxcolors=1 << 22) or []
    top = max(n for n, _ in colours)
    total = rgb.width * rgb.height
    assert total - top > 0.03 * total, f"{path.name}: almost blank ({total - top} of {total} pixels differ)"
    assert len(colours) > 20, f"{path.name}: {len(colours)} colours only"


def documents_hold(path: Path, communes: dict[str | None, str]) -> None:
    """The ZIP holds exactly a score sheet and minutes per commune, each a Word file python-docx opens
    with the commune's name in it."""
    with zipfile.ZipFile(path) as z:
        names = sorted(z.namelist())
        expected = []
        for code, name in communes.items():
            for prefix in ("score-sheet", "minutes"):
                found = [n for n in names if n.startswith(f"{prefix}-{code}-") and n.endswith(".docx")]
                assert len(found) == 1, (prefix, code, names)
                assert name in text(Document(io.BytesIO(z.read(found[0])))), found[0]
                expected += found
    assert sorted(expected) == names and len(names) == 2 * len(communes)


def vi(key: str, **kw: object) -> str:
    return i18n.msg(f"web.{key}", "vi", **kw)


def test_upload_what_if_plan_sign_in_decide_history(server: Server, browser: Browser, tmp_path: Path):
    shots = tmp_path / "shots"
    shots.mkdir()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = ctx.new_page()
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else external.append(r.url))
    visited: list[str] = []

    def snap(name: str) -> None:
        visited.append(page.url)
        not_blank(page, shots / f"{name}.png")

    page.goto(server.url + "/")
    assert page.locator("h1").inner_text() == vi("home_title")
    snap("home")

    # upload the sample district -> the league table
    page.set_input_files("#file", str(SAMPLE_XLSX))
    page.click("#upload-button")
    page.wait_for_selector("#league")
    rows = page.locator("tr.commune-row")
    assert rows.count() == 16
    assert "DỰ THẢO" in page.locator("#draft-warning").inner_text()
    assert page.locator("#score-chart rect.bar").count() == 16
    assert page.locator("#heatmap rect.cell").count() == 16 * 10
    snap("appraisal")

    # the official documents: one ZIP of Word files, a score sheet and minutes per commune
    with page.expect_download(timeout=300_000) as download:
        page.click("#documents-docx")
    assert download.value.suggested_filename == "documents-2024-docx.zip"
    communes = {r.get_attribute("data-code"): r.locator("a").inner_text() for r in rows.all()}
    documents_hold(Path(download.value.path()), communes)

    # open Tỏa Tình: not qualified
    page.click("text=Xã Tỏa Tình")
    page.wait_for_selector("#verdict")
    assert page.locator("#commune-name").inner_text() == "Xã Tỏa Tình"
    assert page.locator("#verdict").get_attribute("data-qualified") == "no"
    assert page.locator("tr[data-indicator] .prov").count() == 47
    snap("commune")

    # what-if: family planning outreach and newborn screening -> the verdict flips
    page.fill('input[name="f:services.contraceptive_prevalence_pct"]', "75")
    page.fill('input[name="f:services.newborn_screening_pct"]', "80")
    page.click("#whatif-button")
    page.wait_for_selector("#whatif-result")
    assert page.locator("#verdict-after").get_attribute("data-qualified") == "yes"
    assert "CHƯA ĐẠT" in page.locator("#verdict-before").inner_text()
    assert page.locator("#changed-indicators tr[data-indicator]").count() == 2
    snap("whatif")

    # a plan within 35 million VND
    page.fill("#budget", "35.000.000")
    page.fill("#by", "2026")
    page.click("#plan-button")
    page.wait_for_selector("#plan-result")
    assert page.locator("#plan-result").get_attribute("data-feasible") == "yes"
    costs = [int(x.get_attribute("data-cost") or 0) for x in page.locator(".plan-option").all()]
    assert costs and all(c <= 35_000_000 for c in costs)
    snap("plan")
    commune_url = page.url.split("/plan")[0]

    # the criteria browser
    page.goto(server.url + "/criteria/national-2030")
    assert page.locator("article.indicator").count() == 47
    assert page.locator("article.indicator .prov-draft").count() == 47
    snap("criteria")

    # sign in as an approver, store the evaluations, record the 2024 decisions
    page.click("#signin-link")
    page.fill("#name", "duyet")
    page.fill("#password", PASSWORD)
    snap("signin")
    page.click("#signin-button")
    page.wait_for_selector("#signed-in")
    page.goto(commune_url.rsplit("/communes/", 1)[0])
    page.click("#import-button")
    page.wait_for_selector("#flash")
    assert page.url.endswith("/register?year=2024")
    page.fill("#number", "2024/QĐ-UBND")
    page.fill("#date", "2024-12-20")
    page.click("#decide-button")
    page.wait_for_selector("#flash")
    recognised = page.locator("#proposals tr[data-recorded='new']")
    assert recognised.count() == 9  # the qualifying communes of the league table, recognised anew
    assert page.locator("#proposals tr[data-code='03340']").get_attribute("data-recorded") == ""
    code = recognised.first.get_attribute("data-code")
    snap("register")

    # the decision shows in a commune's history, recorded by the signed-in user
    page.click(f"#proposals tr[data-code='{code}'] a")
    page.wait_for_selector("#decisions")
    row = page.locator("#decisions tr[data-year='2024']")
    assert row.count() == 1 and row.get_attribute("data-kind") == "new"
    assert "2024/QĐ-UBND" in row.inner_text() and "duyet" in row.inner_text()
    assert page.locator("#audit td.actor").first.inner_text() == "duyet"
    snap("history")

    # English by the switch, kept on the next page
    page.click("#lang-en")
    assert page.locator("h2").first.inner_text() == i18n.msg("web.decisions_title", "en")
    page.goto(server.url + "/")
    assert page.locator("h1").inner_text() == i18n.msg("web.home_title", "en")
    assert external == []
    ctx.close()

    # the same pages at a phone's size (signed in, to reach the register too)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    p = phone.new_page()
    p.goto(server.url + "/signin")
    p.fill("#name", "duyet")
    p.fill("#password", PASSWORD)
    p.click("#signin-button")
    p.wait_for_selector("#signed-in")
    pages = [
        u.split("#")[0] for u in visited if not u.split("#")[0].endswith(("/signin", "/whatif", "/plan"))
    ]
    for k, url in enumerate(dict.fromkeys(pages)):
        p.goto(url)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{url}: {width}px wide on a {PHONE['width']}px screen"
        not_blank(p, shots / f"phone-{k}.png")
    phone.close()
