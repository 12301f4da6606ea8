"""How much room wrapped text needs: lines and heights for spreadsheet rows, without the font file.

A spreadsheet application keeps a row's height unless the file sets it, so text wrapped in a cell
overflows into the rows below when printed. The XLSX dossier therefore sets every row's height from
the lines its longest cell needs. Widths come from the advance widths of Times New Roman (Liberation
Serif has the same metrics), in thousandths of an em, for the printable ASCII characters and a few
symbols; a Vietnamese letter is as wide as its base letter, a horn (ơ, ư) adds a little; widths are rounded up. Words wrap
at spaces, as spreadsheet applications do; a word longer than the line is cut.
"""

from __future__ import annotations

import math
import unicodedata

_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "«»—–•≥≤…‘’“”·×→✓✗°"
)
_REGULAR = (
    "250,333,408,500,500,833,778,180,333,333,500,564,250,333,250,278,500,500,500,500,500,500,500,500,500,500,"
    "278,278,564,564,564,444,921,722,667,667,722,611,556,722,722,333,389,722,611,889,722,722,556,722,667,556,"
    "611,722,722,944,722,722,611,333,278,333,469,500,333,444,500,444,500,444,333,500,500,278,278,500,278,778,"
    "500,500,500,500,333,389,278,500,500,722,500,500,444,480,200,480,541,500,500,1000,500,350,549,549,1000,"
    "333,333,444,444,333,564,1000,778,778,400"
)
_BOLD = (
    "250,333,555,500,500,1000,833,278,333,333,500,570,250,333,250,278,500,500,500,500,500,500,500,500,500,500,"
    "333,333,570,570,570,500,930,722,667,722,722,667,611,778,778,389,500,778,667,944,722,778,611,778,722,556,"
    "667,722,722,1000,722,722,667,333,278,333,581,500,333,500,556,444,556,444,333,500,556,278,333,556,278,833,"
    "556,500,556,556,444,389,333,556,500,722,500,500,444,394,220,394,520,500,500,1000,500,350,549,549,1000,"
    "333,333,500,500,334,570,1000,778,778,400"
)
WIDTHS = {
    False: dict(zip(_CHARS, (int(x) for x in _REGULAR.split(",")), strict=True)),
    True: dict(zip(_CHARS, (int(x) for x in _BOLD.split(",")), strict=True)),
}
HORN = "\u031b"
HORN_EXTRA = 75  # ơ, ư: at most 74 units wider than o, u (Ư bold)
ROUNDING = 1.005  # the table's widths are rounded to whole units
UNKNOWN = 1000  # a character not in the table counts as wide: never under-estimate
# Excel's column width unit is the width of '0' in the default font (7 pixels for Calibri 11) plus
# 5 pixels of padding, at 96 pixels per inch.
DIGIT_PX = 7
PAD_PX = 5
CELL_MARGIN_PT = 4.0  # left and right inner margins together


def char_width(c: str, bold: bool) -> int:
    """Advance width of ``c`` in thousandths of an em."""
    table = WIDTHS[bold]
    if c in table:
        return table[c]
    parts = unicodedata.normalize("NFD", c)
    base = parts[0] if parts else c
    base = {"đ": "d", "Đ": "D"}.get(base, base)
    return table.get(base, UNKNOWN) + (HORN_EXTRA if HORN in parts else 0)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of ``text`` in points."""
    return sum(char_width(c, bold) for c in text) * size_pt * ROUNDING / 1000


def column_points(width_chars: float) -> float:
    """A column's width in points from its width in characters (as Excel lays it out)."""
    return math.floor(width_chars * DIGIT_PX + PAD_PX) * 0.75


def lines(text: str, width_pt: float, size_pt: float, bold: bool = False) -> int:
    """Lines ``text`` takes when wrapped in a cell ``width_pt`` wide (explicit newlines kept)."""
    room = max(width_pt - CELL_MARGIN_PT, size_pt)
    space = text_width(" ", size_pt, bold)
    total = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size_pt, bold)
            if used and used + space + w > room:
                count, used = count + 1, 0.0
            if used:
                used += space
            if used + w <= room:
                used += w
                continue
            for c in word:  # a word longer than the line is cut between letters
                cw = char_width(c, bold) * size_pt * ROUNDING / 1000
                if used and used + cw > room:
                    count, used = count + 1, 0.0
                used += cw
        total += count
    return total


def row_height(n_lines: int, size_pt: float) -> float:
    """A row's height in points for ``n_lines`` lines of ``size_pt`` text (line spacing 1.2, padding)."""
    return round(max(1, n_lines) * size_pt * 1.2 + 3, 1)
