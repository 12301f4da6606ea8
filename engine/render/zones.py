"""The zone check of every commune (``commune-health criteria zones``): table and JSON. Renders only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text as RichText

from engine import i18n
from engine.evaluation.results import ZoneCheck
from engine.inputs.facts import CommuneFacts

_MARK = {"agrees": ("✓", "green"), "undetermined": ("?", "yellow"), "no_rule": ("?", "yellow")}


def rows(
    communes: Sequence[CommuneFacts], checks: Sequence[ZoneCheck | None], sources: Sequence[str]
) -> list[dict[str, Any]]:
    return [
        {
            "code": f.commune.code,
            "name": f.commune.name,
            "province": f.commune.province,
            "source": src,
            "check": z,
        }
        for f, z, src in zip(communes, checks, sources, strict=True)
    ]


def table(found: Sequence[dict[str, Any]], lang: str) -> Table:
    tab = Table(title=i18n.msg("criteria.zones_title", lang), expand=True, show_lines=False)
    tab.add_column(i18n.msg("criteria.zones_code", lang), no_wrap=True)
    tab.add_column(i18n.msg("criteria.zones_commune", lang), ratio=2)
    tab.add_column(i18n.msg("criteria.zones_declared", lang), justify="center")
    tab.add_column(i18n.msg("criteria.zones_by_rule", lang), justify="center")
    tab.add_column("", justify="center")
    tab.add_column(i18n.msg("criteria.zones_reason", lang), ratio=5)
    for row in found:
        z: ZoneCheck = row["check"]
        mark, style = _MARK.get(z.finding, ("✗", "bold red"))
        tab.add_row(
            row["code"],
            f"{row['name']} ({row['province']})",
            str(z.declared),
            "—" if z.by_rule is None else str(z.by_rule),
            RichText(mark, style=style),
            z.reason.get(lang),
        )
    return tab


def summary(found: Sequence[dict[str, Any]], lang: str) -> str:
    counts: dict[str, int] = {}
    for row in found:
        counts[row["check"].finding] = counts.get(row["check"].finding, 0) + 1
    return i18n.msg(
        "criteria.zones_summary",
        lang,
        total=len(found),
        agrees=counts.get("agrees", 0),
        differ=sum(v for k, v in counts.items() if k not in ("agrees", "undetermined", "no_rule")),
        unknown=counts.get("undetermined", 0) + counts.get("no_rule", 0),
    )


def dumps(found: Sequence[dict[str, Any]], lang: str) -> str:
    return json.dumps(
        [
            {
                "commune": {"id": r["code"], "name": r["name"], "province": r["province"]},
                "source_file": r["source"],
                "declared": r["check"].declared,
                "by_rule": r["check"].by_rule,
                "agrees": r["check"].agrees,
                "finding": r["check"].finding,
                "rule": r["check"].rule.get(lang) if r["check"].rule else None,
                "missing_facts": r["check"].missing_facts,
                "reason": r["check"].reason.get(lang),
            }
            for r in found
        ],
        ensure_ascii=False,
        indent=2,
    )
