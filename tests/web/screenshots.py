"""The README's pictures of the web application, taken anew: ``python -m tests.web.screenshots``.

Starts ``commune-health serve`` on a throwaway register, uploads the sample district
(``communes/dien-bien/tuan-giao.xlsx``) in Debian's chromium driven by Playwright (as
``tests/web/test_browser.py`` does), and writes, at 1280 × 860:

- ``docs/web-appraisal.png``: the appraisal page at its official documents and the league table;
- ``docs/web-whatif.png``: Tỏa Tình's what-if with two facts changed, the verdict flipping.

Run it again whenever the pages or the sample's scores change (``--out DIR`` writes elsewhere).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.support import ROOT
from tests.web.support import CHROMIUM, CHROMIUM_ARGS, SAMPLE_XLSX, add_users, live_server

VIEWPORT = {"width": 1280, "height": 860}
WHATIF = {"services.contraceptive_prevalence_pct": "75", "services.newborn_screening_pct": "80"}


def at(page: Page, selector: str, path: Path) -> None:
    """A screenshot of the window with ``selector`` at its top (a little room above it)."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.evaluate(
        "s => window.scrollTo(0, document.querySelector(s).getBoundingClientRect().top + window.scrollY - 12)",
        selector,
    )
    page.screenshot(path=str(path))


def take(base: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    appraisal, whatif = out / "web-appraisal.png", out / "web-whatif.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport=VIEWPORT, locale="vi-VN")  # type: ignore[arg-type]
        page.goto(base + "/")
        page.set_input_files("#file", str(SAMPLE_XLSX))
        page.click("#upload-button")
        page.wait_for_selector("#league")
        at(page, "#documents", appraisal)
        page.click("text=Xã Tỏa Tình")
        page.wait_for_selector("#verdict")
        for path, value in WHATIF.items():
            page.fill(f'input[name="f:{path}"]', value)
        page.click("#whatif-button")
        page.wait_for_selector("#whatif-result")
        if page.locator("#verdict-after").get_attribute("data-qualified") != "yes":
            raise SystemExit("the what-if no longer flips Tỏa Tình's verdict: choose other facts in WHATIF")
        at(page, "#whatif", whatif)
        browser.close()
    return [appraisal, whatif]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.web.screenshots", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="default: docs/")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="commune-health-shots-") as tmp:
        db = Path(tmp) / "register.sqlite3"
        add_users(db, [])
        with live_server(db) as base:
            for path in take(base, args.out):
                print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
