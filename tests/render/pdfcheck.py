"""Reading PDF files back with poppler: pages, text, fonts, word boxes, and pages rendered to PNG."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))  # type: ignore[union-attr]


def page_text(pdf: Path, page: int | None = None) -> str:
    span = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-layout", *span, str(pdf), "-")


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) of every font the PDF uses."""
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    return [(line.split()[0], line.split()[-5] == "yes") for line in lines if line.strip()]


def images(pdf: Path, out: Path, dpi: int = 30) -> list[Path]:
    """Every page rendered to PNG."""
    out.mkdir(parents=True, exist_ok=True)
    run("pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / pdf.stem))
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def ink(png: Path) -> float:
    """Share of the page's pixels that are not white (0 for a blank page)."""
    img = Image.open(png).convert("L")
    histogram = img.histogram()
    return 1 - sum(histogram[200:]) / (img.width * img.height)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(pdf: Path) -> list[Word]:
    """Every word with its box, page by page (pdftotext -bbox)."""
    out: list[Word] = []
    page = 0
    for line in run("pdftotext", "-bbox", str(pdf), "-").splitlines():
        if "<page " in line:
            page += 1
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line
        )
        if m:
            x0, y0, x1, y1 = (float(m.group(k)) for k in range(1, 5))
            out.append(Word(page, m.group(5), x0, y0, x1, y1))
    return out


def overlaps(found: list[Word], tolerance: float = 1.0) -> list[tuple[Word, Word]]:
    """Pairs of words on the same page printed over each other: overlapping across, and by more than
    half their height down (the boxes of consecutive lines of one cell touch by a point or two)."""
    clashes = []
    by_page: dict[int, list[Word]] = {}
    for w in found:
        by_page.setdefault(w.page, []).append(w)
    for ws in by_page.values():
        ws.sort(key=lambda w: w.y0)
        for i, a in enumerate(ws):
            for b in ws[i + 1 :]:
                half = min(a.y1 - a.y0, b.y1 - b.y0) / 2
                if b.y0 >= a.y1 - half:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance:
                    clashes.append((a, b))
    return clashes
