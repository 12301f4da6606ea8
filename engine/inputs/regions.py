"""Socio-economic regions and the provinces in each: the table behind thresholds ``by: region``.

The table is data (``criteria/regions/regions.yaml``, read by :func:`load_regions` and, once per
process, :func:`places`): the regions, then every province before and after the 2025 merger, each
with its source. A province formed in 2025 lists the provinces it was
``formed_from`` and lies in their regions. A commune's region is the one its fact file states
(``commune.region``), or else its province's when the province lies in one region.

Province names are matched the way people write them: ``Tỉnh Điện Biên``, ``TP. Hồ Chí Minh``,
``Hoà Bình`` (old tone placement) and ``Bà Rịa–Vũng Tàu`` all find their province.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import Diagnostic, UserError
from engine.inputs.criteria import Provenance, Text
from engine.inputs.yamlio import Located, breadcrumb_for, read_yaml

Loc = tuple[int | str, ...]
REGIONS_FILE = Path(__file__).resolve().parents[2] / "criteria" / "regions" / "regions.yaml"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Region(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: Text
    source: str


class Province(_Frozen):
    """One province or centrally-run city, in force from ``from_year`` to ``until_year``."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    region: str | None = None
    formed_from: list[str] = Field(default_factory=list)
    from_year: int | None = None
    until_year: int | None = None
    source: str

    def in_force(self, year: int) -> bool:
        return (self.from_year is None or self.from_year <= year) and (
            self.until_year is None or year <= self.until_year
        )


class RegionTable(_Frozen):
    schema_version: Literal[1] = 1
    regions: list[Region] = Field(min_length=1)
    sources: dict[str, Provenance] = Field(min_length=1)
    provinces: list[Province] = Field(min_length=1)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)

    def region(self, code: str) -> Region | None:
        return next((r for r in self.regions if r.code == code), None)

    def name(self, code: str, lang: str) -> str:
        r = self.region(code)
        return r.name.get(lang) if r else code


_PREFIX = re.compile(r"^(tỉnh|thành phố|tp\.?|t\.p\.?)\s+")
# Old-style tone placement (hoà, thuỷ) to the one used in official names (hòa, thủy).
_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip


@lru_cache(maxsize=4096)  # pure; the table's few hundred names are normalised again and again
def normalise(name: str) -> str:
    """A province name reduced for matching: NFC, lower case, no 'Tỉnh'/'TP.', one tone placement."""
    text = unicodedata.normalize("NFC", name).strip().lower()
    text = re.sub(r"\s*[-–—]\s*", " - ", text)
    text = re.sub(r"\s+", " ", text)
    text = _PREFIX.sub("", text).strip()
    for old, new in _TONES.items():
        text = text.replace(old, new)
    return text


def _plain(text: str) -> str:
    """Without diacritics (for suggestions only)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Places:
    """The table indexed for lookups: province names (and aliases) to their entries."""

    def __init__(self, table: RegionTable) -> None:
        self.table = table
        self._index: dict[str, list[Province]] = {}
        for p in table.provinces:
            for n in dict.fromkeys(normalise(x) for x in (p.name, *p.aliases)):
                self._index.setdefault(n, []).append(p)
        # Names written without diacritics ("Dien Bien") find their province when only one matches.
        plain: dict[str, set[str]] = {}
        for n in list(self._index):
            plain.setdefault(_plain(n), set()).add(n)
        for key, names in plain.items():
            if len(names) == 1 and key not in self._index:
                self._index[key] = self._index[next(iter(names))]
        self._memo: dict[tuple[str, int, str | None], str | None] = {}

    def entries(self, province: str) -> list[Province]:
        key = normalise(province)
        return list(self._index.get(key) or self._index.get(_plain(key)) or ())

    def regions_of(self, entry: Province, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The regions ``entry`` lies in (its own, or those of the provinces it was formed from)."""
        if entry.region is not None:
            return (entry.region,)
        out: list[str] = []
        for former in entry.formed_from:
            for e in self.entries(former):
                if e.formed_from and (e.name in seen or e is entry):
                    continue
                out += [r for r in self.regions_of(e, seen | {entry.name}) if r not in out]
        return tuple(out)

    def candidates(self, province: str, year: int) -> tuple[str, ...] | None:
        """The regions a commune of ``province`` in ``year`` may lie in; None for an unknown province.

        The entry in force in ``year`` is preferred; a name used only in another period still
        gives its region (a 2025 file that writes Hà Giang is still in the northern mountains).
        """
        found = self.entries(province)
        if not found:
            return None
        current = [e for e in found if e.in_force(year)] or found
        out: list[str] = []
        for e in current:
            out += [r for r in self.regions_of(e) if r not in out]
        return tuple(out)

    def suggest(self, province: str) -> list[str]:
        names = sorted({p.name for p in self.table.provinces})
        plain = {_plain(normalise(n)): n for n in names}
        close = difflib.get_close_matches(_plain(normalise(province)), list(plain), n=3, cutoff=0.75)
        if close and difflib.SequenceMatcher(None, close[0], _plain(normalise(province))).ratio() > 0.9:
            close = close[:1]  # one obvious candidate
        return [plain[c] for c in close]

    def region_of(self, province: str, year: int, stated: str | None) -> str | None:
        """The commune's region: the one stated, else its province's when that is one region."""
        key = (province, year, stated)
        if key not in self._memo:
            if stated is not None:
                self._memo[key] = stated if stated in self.table.codes else None
            else:
                found = self.candidates(province, year)
                self._memo[key] = found[0] if found is not None and len(found) == 1 else None
        return self._memo[key]


@dataclass(frozen=True)
class PlaceProblem:
    loc: Loc
    message: str
    hint: str
    code: str = ""  # fact files and the region table have no lint codes


def check_place(places: Places, province: str, stated: str | None, year: int) -> Iterator[PlaceProblem]:
    """Problems with a commune's province and stated region (locations inside the fact file)."""
    codes = places.table.codes
    if stated is not None and stated not in codes:
        yield PlaceProblem(
            ("commune", "region"),
            f"unknown region {stated!r}",
            f"use one of: {', '.join(codes)}",
        )
        stated = None
    found = places.candidates(province, year)
    if found is None:
        close = places.suggest(province)
        yield PlaceProblem(
            ("commune", "province"),
            f"unknown province {province!r}",
            (f"did you mean {', '.join(close)}? " if close else "")
            + "write the province as listed in criteria/regions/regions.yaml (before or after the 2025 merger)",
        )
        return
    if stated is not None and stated not in found:
        names = ", ".join(places.table.name(r, "vi") for r in found)
        yield PlaceProblem(
            ("commune", "region"),
            f"region {stated!r} does not match the province: {province} lies in {names}",
            "remove commune.region (the province gives it) or correct the province",
        )


def check_table(table: RegionTable) -> Iterator[PlaceProblem]:
    """Problems inside the table itself: unknown sources and regions, names used twice at once."""
    codes = set(table.codes)
    seen_codes: set[str] = set()
    for k, r in enumerate(table.regions):
        if r.code in seen_codes:
            yield PlaceProblem(("regions", k, "code"), f"region {r.code} is listed twice", "list it once")
        seen_codes.add(r.code)
        if r.source not in table.sources:
            yield PlaceProblem(("regions", k, "source"), f"unknown source {r.source!r}", "add it to sources:")
    places = Places(table)
    for k, p in enumerate(table.provinces):
        loc: Loc = ("provinces", k)
        if p.source not in table.sources:
            yield PlaceProblem((*loc, "source"), f"unknown source {p.source!r}", "add it to sources:")
        if (p.region is None) == (not p.formed_from):
            yield PlaceProblem(
                loc,
                f"{p.name}: give either its region or the provinces it was formed_from",
                "a province formed in 2025 lists formed_from; any other names its region",
            )
        if p.region is not None and p.region not in codes:
            yield PlaceProblem(
                (*loc, "region"), f"unknown region {p.region!r}", f"use one of {sorted(codes)}"
            )
        for j, former in enumerate(p.formed_from):
            if not places.entries(former):
                yield PlaceProblem(
                    (*loc, "formed_from", j), f"{former!r} is not a province of the table", "list it first"
                )
        for other in table.provinces[:k]:
            overlap = {normalise(n) for n in (p.name, *p.aliases)} & {
                normalise(n) for n in (other.name, *other.aliases)
            }
            if overlap and _periods_overlap(p, other):
                yield PlaceProblem(
                    (*loc, "name"),
                    f"{p.name} is listed twice for the same years",
                    "give each entry from_year/until_year that do not overlap",
                )


def _periods_overlap(a: Province, b: Province) -> bool:
    lo = max(a.from_year or 0, b.from_year or 0)
    hi = min(a.until_year or 9999, b.until_year or 9999)
    return lo <= hi


# 'province Cao Bằng › region' for a location in the table.
_where = breadcrumb_for({"provinces": "province", "regions": "region"}, ("name", "code"))


def _diagnostic(doc: Located, loc: Loc, message: str, hint: str) -> Diagnostic:
    line, col = doc.position(loc)
    return Diagnostic(
        path=doc.path, line=line, col=col, where=_where(loc, doc.data), message=message, hint=hint
    )


def load_regions(path: Path = REGIONS_FILE) -> RegionTable:
    """Load and check the table of regions and provinces; raise a UserError listing every problem."""
    doc = read_yaml(path)
    try:
        table = RegionTable.model_validate(doc.data)
    except ValidationError as exc:
        hint = "see the comments at the top of criteria/regions/regions.yaml"
        raise UserError([_diagnostic(doc, tuple(e["loc"]), e["msg"], hint) for e in exc.errors()]) from None
    problems = [_diagnostic(doc, p.loc, p.message, p.hint) for p in check_table(table)]
    if problems:
        raise UserError(sorted(problems, key=lambda d: (d.line or 0, d.col or 0)))
    return table


@lru_cache(maxsize=4)
def places(path: Path = REGIONS_FILE) -> Places:
    """The shipped table of regions and provinces, indexed (read once per process)."""
    return Places(load_regions(path))
