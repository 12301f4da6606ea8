"""The real font's measure of text (Liberation Serif: the metrics of Times New Roman), for the tests."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFont

from engine.render import textfit

FONTS = Path("/usr/share/fonts/truetype/liberation2")
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
LINE_PITCH = 1.107  # Liberation Serif's line: ascent + descent, in ems (as LibreOffice lays rows out)


def font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size=int(size * 100))  # 100x: sub-point precision


def real_lines(text: str, width_pt: float, size: float, bold: bool) -> int:
    """Greedy word wrap measured with the font file itself."""
    f = font(bold, size)

    def w(s: str) -> float:
        return f.getlength(s) / 100

    room = width_pt - textfit.CELL_MARGIN_PT
    total = 0
    for paragraph in text.split("\n"):
        line, count = "", 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and w(candidate) > room:
                count, line = count + 1, word
            else:
                line = candidate
            while w(line) > room:  # a word longer than the line is cut
                cut = len(line)
                while cut > 1 and w(line[:cut]) > room:
                    cut -= 1
                count, line = count + 1, line[cut:]
        total += count
    return total
