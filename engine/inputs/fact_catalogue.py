"""The fact catalogue: every fact a criteria set may read, by dotted path, derived from the fact models.

Each entry gives the fact's kind, labels, unit, allowed values and range, read from the field
declarations of :mod:`engine.inputs.facts`, so that loaders, gap messages, templates and the planner
all read one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, get_args, get_origin

from engine.i18n import pick
from engine.inputs.facts import SECTIONS, FactKind


@dataclass(frozen=True)
class FactSpec:
    """What one fact is: its dotted path, kind, labels, unit and allowed values."""

    path: str
    kind: FactKind
    label_vi: str
    label_en: str
    unit_vi: str
    unit_en: str
    immutable: bool
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def label(self, lang: str) -> str:
        return pick(lang, self.label_vi, self.label_en)

    def unit(self, lang: str) -> str:
        return pick(lang, self.unit_vi, self.unit_en)


def _choices(annotation: Any) -> tuple[str, ...]:
    for arg in get_args(annotation):
        if get_origin(arg) is Literal:
            return tuple(get_args(arg))
    return ()


@lru_cache(maxsize=1)
def catalogue() -> dict[str, FactSpec]:
    """Every fact a criteria set may read, by dotted path. Derived from the models above."""
    out: dict[str, FactSpec] = {}
    for section, model in SECTIONS.items():
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra
            if not isinstance(extra, dict) or "kind" not in extra:
                continue
            lo = hi = None
            for meta in info.metadata:
                lo = getattr(meta, "ge", lo) if getattr(meta, "ge", None) is not None else lo
                hi = getattr(meta, "le", hi) if getattr(meta, "le", None) is not None else hi
            out[f"{section}.{name}"] = FactSpec(
                path=f"{section}.{name}",
                kind=extra["kind"],  # type: ignore[arg-type]
                label_vi=str(extra["label_vi"]),
                label_en=str(extra["label_en"]),
                unit_vi=str(extra["unit_vi"]),
                unit_en=str(extra["unit_en"]),
                immutable=bool(extra["immutable"]),
                choices=_choices(info.annotation),
                minimum=lo,
                maximum=hi,
            )
    # Zone and area are read by the engine for thresholds and applicability; never planned.
    return out
