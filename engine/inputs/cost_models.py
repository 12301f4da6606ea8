"""The shape of a provincial cost file (``criteria/costs/<province>.yaml``): frozen pydantic models.

Loading and applying are in :mod:`engine.inputs.costs`, the checks in :mod:`engine.inputs.lint.rules_costs`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ActionOverride(_Frozen):
    cost_vnd: Annotated[int, Field(ge=0)] | None = None
    lead_time_months: Annotated[int, Field(ge=0, le=120)] | None = None
    note: str | None = None


class CostFile(_Frozen):
    schema_version: Literal[1] = 1
    province: str = Field(min_length=1)
    criteria_set: str = Field(min_length=1)
    source: str = Field(min_length=1, description="Where the figures come from")
    illustrative: bool = False
    note: str | None = None
    actions: dict[str, ActionOverride] = Field(min_length=1)
