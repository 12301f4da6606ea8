"""The appraisal as CSV (one row per commune, league order) and as JSON. Renders only."""

from __future__ import annotations

import csv
import io
from typing import Any, BinaryIO

from engine import i18n
from engine.appraisal.area import Appraisal
from engine.appraisal.targets import TargetResult
from engine.evaluation.batch import fanout
from engine.render import jsonout
from engine.render.appraisal_text import draft_warning, summary_lines


def league_rows(a: Appraisal, lang: str) -> list[list[Any]]:
    by_id = {r.commune.id: r for r in a.results}
    crit_ids = [c.id for c in a.criteria_set.criteria]
    head = (
        [
            "rank",
            "code",
            "commune",
            "district",
            "zone",
            "score",
            "max_score",
            "qualified",
            "criteria_below_floor",
            "knockouts_failed",
        ]
        + [f"criterion_{c}" for c in crit_ids]
        + ["top_actions", "uses_draft_indicators", "illustrative", "source"]
    )
    rows: list[list[Any]] = [head]
    for row in a.league:
        r = by_id[row.commune]
        scores = {c.id: c.score for c in r.criteria}
        rows.append(
            [
                row.rank,
                row.commune,
                row.name,
                row.district or "",
                row.zone,
                row.score,
                row.max_score,
                i18n.t("yes" if row.qualified else "no", lang),
                " ".join(row.criteria_below_floor),
                " ".join(row.knockouts_failed),
            ]
            + [scores.get(c, "") for c in crit_ids]
            + [
                " | ".join(x.get(lang) for x in row.top_actions),
                r.uses_drafts,
                r.illustrative,
                r.source_file or "",
            ]
        )
    return rows


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula ('=', '+', '-', '@') is written with a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def dumps_csv(a: Appraisal, lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows([_cell(v) for v in row] for row in league_rows(a, lang))
    return buf.getvalue()


def _target(tr: TargetResult, lang: str) -> dict[str, Any]:
    return {
        "plan": tr.plan,
        "target": tr.target,
        "title": tr.title.get(lang),
        "kind": tr.kind,
        "comparator": tr.comparator,
        "value": tr.value,
        "reading": tr.reading,
        "unit": tr.unit.get(lang),
        "observed": tr.observed,
        "status": tr.status,
        "gap": tr.gap,
        "communes": tr.communes,
        "meeting": tr.meeting,
        "needed": tr.needed,
        "missing": tr.missing,
        "due_year": tr.due_year,
        "overdue": tr.overdue,
        "baseline": tr.baseline.model_dump() if tr.baseline else None,
        "source": tr.source.model_dump(),
    }


def appraisal_object(a: Appraisal, lang: str, communes: bool = True) -> dict[str, Any]:
    """The appraisal as JSON data; without ``communes``, all of it but the communes' results."""
    head = {
        "criteria_set": a.criteria_set.id,
        "year": a.year,
        "input": a.source,
        "communes_read": a.rows,
        "rows_rejected": a.rejected,
        "other_years_left_out": a.other_years,
        "communes_evaluated": len(a.results),
        "qualified": a.qualified,
        "uses_draft_indicators": a.uses_drafts,
        "warning": draft_warning(a, lang) if a.uses_drafts else None,
        "summary": summary_lines(a, lang),
        "league": [
            row.model_dump(mode="json") | {"top_actions": [x.get(lang) for x in row.top_actions]}
            for row in a.league
        ],
        "plans": [
            {
                "plan": p.plan,
                "title": p.title.get(lang),
                "area": p.area,
                "communes": p.communes,
                "rejected": p.rejected,
                "communes_total": p.communes_total,
                "partial_area": p.partial_area,
                "targets": [_target(tr, lang) for tr in p.targets],
            }
            for p in a.plans
        ],
        "commune_targets": {k: [_target(tr, lang) for tr in v] for k, v in a.commune_targets.items()},
        "problems": [d.format() for d in a.diagnostics],
    }
    if communes:
        head["communes"] = [jsonout.commune_object(r, lang) for r in a.results]
    return head


def _communes_json(shared: tuple[Appraisal, str], start: int, stop: int) -> bytes:
    a, lang = shared
    return b",\n".join(jsonout.element(r, lang, depth=2) for r in a.results[start:stop])


def write_json(a: Appraisal, lang: str, out: BinaryIO, workers: int | None = 1) -> None:
    """The appraisal as indented JSON (:func:`appraisal_object`, what ``json.dumps(…, indent=2,
    ensure_ascii=False)`` gives, see :func:`engine.render.jsonout.encode`), the communes streamed:
    rendered on ``workers`` processes and written as they come, never the whole document in memory."""
    text = jsonout.encode({**appraisal_object(a, lang, communes=False), "communes": []}, indent=True)
    if not a.results:
        out.write(text)
        return
    tail = b"[]\n}"
    assert text.endswith(tail)
    out.write(text[: -len(tail)])
    for k, part in enumerate(fanout(_communes_json, (a, lang), len(a.results), workers)):
        out.write(b"[\n" if k == 0 else b",\n")
        out.write(part)
    out.write(b"\n  ]\n}")


def dumps_json(a: Appraisal, lang: str) -> str:
    buf = io.BytesIO()
    write_json(a, lang, buf)
    return buf.getvalue().decode("utf-8")
