"""The HTML dossier opened in headless Chromium: league table, charts, score sheets, draft warning."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from engine.appraisal.area import Appraisal, appraise
from engine.render import html

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "communes" / "dien-bien" / "tuan-giao"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; `make test` installs it when missing


@pytest.fixture(scope="module")
def appraisal() -> Appraisal:
    return appraise(SAMPLE, plan_refs=["tuan-giao-2021"])


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM.exists(), "install Debian's chromium (apt-get install -y chromium): .ci/run does it"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'profile'}",
           *args]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(appraisal: Appraisal, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("html")
    path = tmp / "dossier.html"
    path.write_text(html.render(appraisal, "vi"), encoding="utf-8")
    dom = _chromium(tmp, "--dump-dom", path.as_uri()).stdout
    return path, dom


def test_rendered_page_has_league_charts_and_sheets(appraisal: Appraisal, page: tuple[Path, str]) -> None:
    _, dom = page
    n = len(appraisal.results)
    rows = re.findall(r'<tr class="commune-row" data-code="(\d+)">', dom)
    assert rows == [row.commune for row in appraisal.league]
    bars = re.findall(r'<rect class="bar" data-code="(\d+)" data-score="([\d.]+)"', dom)
    assert len(bars) == n
    assert {code: float(score) for code, score in bars} == {
        r.commune.id: pytest.approx(r.total_score, abs=0.005) for r in appraisal.results
    }
    assert re.search(r'<line id="threshold-line" data-score="80"', dom)
    cells = re.findall(r'<rect class="cell" data-code="\d+" data-criterion="(\d+)"', dom)
    assert len(cells) == n * len(appraisal.criteria_set.criteria)
    sheets = dict(re.findall(r'<section class="score-sheet" id="sheet-(\d+)" data-total="([\d.]+)"', dom))
    assert {k: float(v) for k, v in sheets.items()} == {
        r.commune.id: pytest.approx(r.total_score, abs=0.005) for r in appraisal.results
    }
    warning = re.search(r'<div class="warning" id="draft-warning">([^<]+)</div>', dom)
    assert warning and "DỰ THẢO" in warning.group(1) and "47/47" in warning.group(1)
    assert 'data-target="keep-title-14" data-status="not_met"' in dom


def test_page_is_self_contained(page: tuple[Path, str]) -> None:
    path, _ = page
    text = path.read_text(encoding="utf-8")
    assert "<style>" in text and "<svg" in text
    assert not re.search(r"<(link|script|img|iframe)\b", text)
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert "url(" not in text


def test_screenshot_renders(page: tuple[Path, str], tmp_path: Path) -> None:
    from PIL import Image

    path, _ = page
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, "--window-size=1200,2000", f"--screenshot={shot}", path.as_uri())
    with Image.open(shot) as img:
        rgb = img.convert("RGB")
    colours = {c: n for n, c in rgb.getcolors(maxcolors=1 << 20) or []}
    total = rgb.width * rgb.height
    ink = total - colours.get((255, 255, 255), 0)
    assert ink > 0.03 * total, f"the page is almost blank: {ink} of {total} pixels are not white"
    # The draft warning (yellow banner), the table headers (light blue), passing and failing bars.
    for name, rgb_ in {"warning": (0xFF, 0xEB, 0x9C), "header": (0xDD, 0xEB, 0xF7),
                       "qualifying bar": (0x4C, 0xAF, 0x50), "failing bar": (0xE5, 0x39, 0x35)}.items():  # fmt: skip
        assert colours.get(rgb_, 0) > 200, f"no {name} colour {rgb_} in the screenshot"
