"""Loading criteria sets and commune fact files, with every error located at file:line:col.

Pydantic validation errors and the lint rules' problems (:mod:`engine.inputs.lint`) are both mapped
back to the YAML source, named by a breadcrumb of ids ("criterion 2 › indicator 2.3 › threshold"),
paired with a hint and, for criteria sets, plans and cost files, ended by a code (``[CS104]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from engine.errors import Diagnostic, UserError
from engine.inputs.criteria import CriteriaSet
from engine.inputs.discovery import FACT_SUFFIXES, discover, duplicates
from engine.inputs.facts import CommuneFacts
from engine.inputs.lint.registry import SCHEMA, check_criteria
from engine.inputs.lint.rule import Problem
from engine.inputs.regions import REGIONS_FILE, check_place, load_regions, places

__all__ = ["REGIONS_FILE", "load_regions", "places"]  # the table of regions, for callers of the loader
from engine.inputs.yamlio import Breadcrumb, Loc, Located, breadcrumb_for, read_yaml, read_yaml_data

M = TypeVar("M", bound=BaseModel)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CRITERIA_DIR = PROJECT_ROOT / "criteria"

_HINTS = {
    "extra_forbidden": "remove this key or correct its spelling (see README.md for the format)",
    "missing": "add this key",
    "int_type": "write a whole number without quotes",
    "int_from_float": "write a whole number",
    "float_type": "write a number without quotes",
    "bool_type": "write true or false (without quotes)",
    "string_type": "write text (put it in quotes if it looks like a number)",
    "literal_error": "use one of the values listed",
    "greater_than_equal": "counts and amounts cannot be negative",
    "less_than_equal": "percentages go from 0 to 100",
    "finite_number": "write a real number (not .inf or .nan)",
    "figure_too_large": "check the figure: a digit too many?",
    "model_type": "this must be a mapping of keys (key: value lines)",
    "dict_type": "this must be a mapping of keys (key: value lines)",
    "list_type": "this must be a list (lines starting with '- ')",
    "too_short": "add at least one item",
}


# Every key of the project's formats is lower-case; pydantic names the branches of a union by type.
_UNION_BRANCH = re.compile(r"^(int|float|str|bool|[A-Z]\w*|\w+\[.*\])$")


def _trim(loc: Loc, data: Any) -> Loc:
    """Drop the union-branch tags pydantic appends to a location (e.g. 'int', 'float')."""
    kept: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(part, str) and part.startswith("~"):
            continue  # the tag of a condition's kind (all, any, not, a comparison): not in the file
        if isinstance(part, str) and _UNION_BRANCH.match(part):
            break  # the branch of a union pydantic tried ('int', 'list[str]', 'ByDimension'): not a key
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif (
            isinstance(node, dict) and isinstance(part, str) and part not in node and not kept[-1:] == [part]
        ):
            kept.append(part)  # a missing or unknown key: keep it, it names the field
            break
        else:
            break
        kept.append(part)
    return tuple(kept)


criteria_breadcrumb = breadcrumb_for(
    {"criteria": "criterion", "indicators": "indicator", "remediation": "action", "partial": "band"}
)


def facts_breadcrumb(loc: Loc, data: Any) -> str:
    return " › ".join(str(p) for p in loc)


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    field = next((str(p) for p in reversed(err["loc"]) if isinstance(p, str)), "value")
    if kind == "extra_forbidden":
        return f"unknown key {field!r}"
    if kind == "missing":
        return f"required key {field!r} is missing"
    got = err.get("input")
    msg = err["msg"]
    if isinstance(got, int) and not isinstance(got, bool) and abs(got) >= 10**30:
        msg += f" (got a number of {len(str(abs(got)))} digits)"
    elif isinstance(got, (str, int, float, bool)) and not isinstance(got, dict):
        shown = repr(got)
        msg += f" (got {shown if len(shown) <= 60 else shown[:57] + '…'})"
    return msg


def _in_bilingual_text(loc: Loc, data: Any) -> bool:
    """True when ``loc`` is a key inside a {vi: …, en: …} text (a comma in a flow mapping made it)."""
    node = data
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return isinstance(node, dict) and {"vi", "en"} <= node.keys()


def diagnostics_from_validation(
    doc: Located, exc: ValidationError, breadcrumb: Breadcrumb, code: str = ""
) -> list[Diagnostic]:
    grouped: dict[Loc, list[dict[str, Any]]] = {}
    for err in exc.errors():
        grouped.setdefault(_trim(tuple(err["loc"]), doc.data), []).append(dict(err))
    out = []
    for loc, errs in grouped.items():
        line, col = doc.position(loc)
        messages = list(dict.fromkeys(_message(e) for e in errs))
        message = messages[0] if len(messages) == 1 else "wrong value: " + "; or ".join(messages)
        hint = next((_HINTS[e["type"]] for e in errs if e["type"] in _HINTS), "see README.md for the format")
        if any(isinstance(e.get("input"), bool) and e["type"] in ("int_type", "float_type") for e in errs):
            hint = "counts and percentages are numbers, not true/false"
        if len(errs) > 1 and loc and loc[-1] == "threshold":
            message = (
                "a threshold is a number, a list of choices, or a table {by: zone|area|region, values: …}"
                " ({1: …, 2: …, 3: …} for zones)"
            )
            hint = "write e.g. threshold: 95 or threshold: {1: 95, 2: 95, 3: 90} (numbers without quotes)"
        if _in_bilingual_text(loc, doc.data) and any(e["type"] == "extra_forbidden" for e in errs):
            hint = "a comma inside {vi: …, en: …} ends the text there: put each text in quotes"
        out.append(
            Diagnostic(
                path=doc.path,
                line=line,
                col=col,
                where=breadcrumb(loc, doc.data),
                message=message,
                hint=hint,
                code=code,
            )
        )
    return sorted(out, key=lambda d: (d.line or 0, d.col or 0))


def located(doc: Located, problems: Sequence[Problem], breadcrumb: Breadcrumb) -> list[Diagnostic]:
    """The lint rules' problems as diagnostics at file:line:col, in the order of the file."""
    out = []
    for p in problems:
        line, col = doc.position(p.loc)
        out.append(
            Diagnostic(
                path=doc.path,
                line=line,
                col=col,
                where=breadcrumb(p.loc, doc.data),
                message=p.message,
                hint=p.hint,
                code=p.code,
            )
        )
    return sorted(out, key=lambda d: (d.line or 0, d.col or 0))


def validate(doc: Located, model: type[M], breadcrumb: Breadcrumb, code: str = "") -> M:
    """``doc`` as a ``model``, or a UserError listing every problem (each with ``code``, if given)."""
    if not isinstance(doc.data, dict):
        raise UserError.single(
            doc.path,
            "must be a mapping of keys at the top level",
            "see README.md for the format",
            line=1,
            col=1,
            code=code,
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise UserError(diagnostics_from_validation(doc, exc, breadcrumb, code)) from None


def file_key(path: Path) -> tuple[str, int, int] | None:
    """(path, modification time in ns, size) of a regular file: what a cache of its parsed content is
    keyed by, so that an edited file is read again; None when it cannot be stat'ed (the reader says why)."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return (str(path), st.st_mtime_ns, st.st_size)


def load_criteria(path: Path, ignore: Collection[str] = ()) -> CriteriaSet:
    """Load one criteria set file and check it with every lint rule (but those in ``ignore``, for
    ``criteria lint --ignore``); raise a UserError listing every problem. A file read before and
    unchanged since (same path, modification time and size) is not read again: the set is
    immutable, so every caller shares one (uploads spent 3/4 of their time re-reading sets)."""
    key = file_key(path)
    if key is None:
        return _read_criteria(path, frozenset(ignore))
    return _cached_criteria(key, frozenset(ignore))


@lru_cache(maxsize=16)  # a few sets and a few --ignore variants; keyed on the file's identity
def _cached_criteria(key: tuple[str, int, int], ignore: frozenset[str]) -> CriteriaSet:
    return _read_criteria(Path(key[0]), ignore)


def _read_criteria(path: Path, ignore: frozenset[str]) -> CriteriaSet:
    doc = read_yaml(path)
    cs = validate(doc, CriteriaSet, criteria_breadcrumb, SCHEMA["criteria"].code)
    problems = check_criteria(cs, ignore)
    if problems:
        raise UserError(located(doc, problems, criteria_breadcrumb))
    return cs


def place_problems(facts: CommuneFacts) -> list[Any]:
    """What is wrong with a commune's province and stated region (unknown, or disagreeing)."""
    c = facts.commune
    return list(check_place(places(), c.province, c.region, facts.year))


def load_facts(path: Path) -> CommuneFacts:
    """Load one commune fact file strictly; raise a UserError listing every problem.

    Fast path: parse without source positions and validate; only a file that fails is read again
    with positions, so that every problem is reported at its line.
    """
    data = read_yaml_data(path)
    if isinstance(data, dict):
        try:
            facts = CommuneFacts.model_validate(data)
            if not place_problems(facts):
                return facts
        except ValidationError:
            pass
    doc = read_yaml(path)
    facts = validate(doc, CommuneFacts, facts_breadcrumb)
    problems = place_problems(facts)
    if problems:
        raise UserError(located(doc, problems, facts_breadcrumb))
    return facts


def criteria_files(directory: Path = CRITERIA_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def available_sets(directory: Path = CRITERIA_DIR) -> dict[str, CriteriaSet]:
    """Every criteria set in ``directory`` by id (each file fully checked)."""
    sets: dict[str, CriteriaSet] = {}
    for f in criteria_files(directory):
        cs = load_criteria(f)
        if cs.id in sets:
            raise UserError.single(
                str(f),
                f"criteria set id {cs.id!r} is used by another file too",
                "give each criteria set file its own id",
            )
        sets[cs.id] = cs
    return sets


def resolve_set(ref: str | None, year: int | None = None, directory: Path = CRITERIA_DIR) -> CriteriaSet:
    """A criteria set by id or file path; by default the one in force for ``year``."""
    if ref and (ref.endswith((".yaml", ".yml")) or "/" in ref):
        return load_criteria(Path(ref))
    sets = available_sets(directory)
    if ref:
        if ref not in sets:
            raise UserError.single(
                "--criteria",
                f"no criteria set with id {ref!r}",
                f"available: {', '.join(sorted(sets)) or 'none'}",
            )
        return sets[ref]
    if year is not None:
        matching = [s for s in sets.values() if s.effective.covers(year)]
        if len(matching) == 1:
            return matching[0]
        if not matching:
            raise UserError.single(
                "--criteria", f"no criteria set is in force for {year}", "name one with --criteria ID"
            )
    latest = max(sets.values(), key=lambda s: s.effective.from_year, default=None)
    if latest is None:
        raise UserError.single(str(directory), "holds no criteria set", "add a criteria YAML file")
    return latest


Reader = Callable[[Sequence[Path]], Iterable[CommuneFacts | UserError]]  # files → facts or errors, in order


def load_fact_files(
    paths: Sequence[Path], read: Reader | None = None
) -> tuple[list[tuple[Path, CommuneFacts]], list[Diagnostic]]:
    """Load every fact file below ``paths``; collect every file's errors instead of stopping.

    The diagnostics also name every file of the folders that was not read (notes, or errors for
    would-be fact files that cannot be read), and a second file for a commune and year is an error.
    ``read`` reads the files (default: one by one here; ``batch.read_facts``: on every core)."""
    loaded, problems, _ = load_counted(paths, read)
    return loaded, problems


def fact_files(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The fact files below ``paths`` (:func:`engine.inputs.discovery.discover`), and what was not
    read, a folder holding no fact file included."""
    files, problems = discover(paths)
    for p in paths:
        if p.is_dir() and not any(f.is_relative_to(p) for f in files):
            problems.append(
                Diagnostic(
                    path=str(p),
                    message="holds no .yaml fact file",
                    hint="name a folder of commune fact files",
                )
            )
    return files, problems


def _read_each(files: Sequence[Path]) -> Iterator[CommuneFacts | UserError]:
    for f in files:
        try:
            yield load_facts(f)
        except UserError as exc:
            yield exc


def load_counted(
    paths: Sequence[Path], read: Reader | None = None
) -> tuple[list[tuple[Path, CommuneFacts]], list[Diagnostic], int]:
    """:func:`load_fact_files`, and how many communes were rejected: fact files that could not be
    read or validated (a second file for a commune already read is no commune of its own)."""
    loaded: list[tuple[Path, CommuneFacts]] = []
    files, problems = fact_files(paths)
    for f, got in zip(files, (read or _read_each)(files), strict=True):
        if isinstance(got, UserError):
            problems.extend(got.diagnostics)
        else:
            loaded.append((f, got))
    keep, dup = duplicates([(str(p), f) for p, f in loaded])
    listed = {str(f) for f in files}
    rejected = len(
        {
            d.path
            for d in problems
            if d.is_error and (d.path in listed or d.path.lower().endswith(FACT_SUFFIXES))
        }
    )
    return [loaded[k] for k in keep], problems + dup, rejected
