"""The files a visitor can download: the appraisal dossier in each format, and the blank templates.

Each dossier format is one line of :data:`DOSSIER`: its extension, media type and the renderer from
``engine.render`` that makes its bytes. The official Word and PDF documents (score sheets, minutes)
are built in a worker process instead: see :mod:`engine.web.pages_documents`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.appraisal.area import Appraisal
from engine.inputs.criteria import CriteriaSet
from engine.render import csvout, html, xlsx, xlsx_template
from engine.render.template import guide_lines, rows_for, template_columns, to_csv, to_yaml


@dataclass(frozen=True)
class Format:
    ext: str
    media_type: str
    render: Callable[[Appraisal, str], bytes]


DOSSIER: tuple[Format, ...] = (
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.workbook_bytes),
    Format("html", "text/html; charset=utf-8", lambda a, lang: html.render(a, lang).encode("utf-8")),
    Format(
        "csv",
        "text/csv; charset=utf-8",
        lambda a, lang: ("\ufeff" + csvout.dumps_csv(a, lang)).encode("utf-8"),
    ),
    Format("json", "application/json", lambda a, lang: csvout.dumps_json(a, lang).encode("utf-8")),
)
DOSSIER_BY_EXT = {f.ext: f for f in DOSSIER}


def _blank_csv(cs: CriteriaSet, lang: str) -> bytes:
    cols = template_columns(cs)
    rows = rows_for(cols, [], lang)
    return to_csv([rows[0], *guide_lines(cs, cols, lang)]).encode("utf-8")


TEMPLATES: dict[str, tuple[str, Callable[[CriteriaSet, str], bytes]]] = {
    "xlsx": (DOSSIER_BY_EXT["xlsx"].media_type, lambda cs, lang: xlsx_template.template_bytes(cs, [], lang)),
    "csv": ("text/csv; charset=utf-8", _blank_csv),
    "yaml": ("application/yaml; charset=utf-8", lambda cs, lang: to_yaml(cs, lang).encode("utf-8")),
}
