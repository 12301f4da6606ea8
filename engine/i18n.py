"""The interface in Vietnamese (first) and English: one message catalogue per language, and numbers.

Every user-facing string of the interface comes from the catalogue ``engine/messages/<lang>/*.yaml``:
each file is a namespace (``common.yaml`` holds the ids ``common.*``), each entry a message id and
its text, with named parameters in braces (``{n}``). The criteria content is not here: it is
bilingual data in the criteria YAML (``Text``), passed to messages as parameters.

Parameters are formatted for the language: numbers with the Vietnamese decimal comma and thousands
dot (``{share}`` → ``86,05``), ``{x:score}`` with one decimal rounded half up, ``{x:2}`` with at most
two decimals, booleans as có/không, bilingual texts (anything with ``vi`` and ``en``) in the language,
lists joined by commas, and a :class:`Message` parameter rendered in turn.

Results carry :class:`Message` (a code and its parameters), never prose; renderers turn them into
words with :func:`msg` or :meth:`Message.text`. ``tests/test_i18n.py`` fails when an id exists in one
language only, when the two languages' parameters differ, or when code uses an id that does not exist.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import yaml

LANGS = ("vi", "en")
CATALOGUE_DIR = Path(__file__).resolve().parent / "messages"


@runtime_checkable
class Bilingual(Protocol):
    """Bilingual content from the YAML data (``engine.inputs.criteria.Text`` and the like)."""

    vi: str
    en: str


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every message of ``lang``, by id (``<file stem>.<key>``). Read once per process."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: {', '.join(LANGS)}")
    out: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a message file is a mapping of id to text")
        for key, text in data.items():
            if not isinstance(key, str) or not isinstance(text, str):
                raise ValueError(f"{path}: {key!r}: ids and texts are strings (quote yes/no/on/off keys)")
            out[f"{path.stem}.{key}"] = text
    return out


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.lang
        if isinstance(value, Message):
            return value.text(lang)
        if format_spec == "score":
            return score(float(value), lang)
        if isinstance(value, bool) or value is None:
            return fmt_value(value, lang)
        if isinstance(value, (int, float)):
            return num(value, lang, int(format_spec) if format_spec.isdigit() else 1)
        if isinstance(value, Bilingual):
            return value.vi if lang == "vi" else value.en
        if isinstance(value, (list, tuple)):
            return ", ".join(self.format_field(v, format_spec) for v in value)
        return super().format_field(value, format_spec)


def msg(message_id: str, lang: str, /, **params: Any) -> str:
    """The text of ``message_id`` in ``lang`` with ``params`` filled in (KeyError if the id is unknown)."""
    text = catalogue(lang)[message_id]
    return _Formatter(lang).vformat(text, (), params) if params else text


@dataclass(frozen=True)
class Message:
    """A message as results carry it: a catalogue id and its parameters, rendered in any language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return msg(self.code, lang, **self.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))


def has(message_id: str, lang: str = "vi") -> bool:
    return message_id in catalogue(lang)


def t(key: str, lang: str, **kw: object) -> str:
    """A common label (``common.<key>``)."""
    return msg(f"common.{key}", lang, **kw)


def num(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number as people read it: Vietnamese uses a decimal comma."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "vi" else text
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def score(value: float, lang: str) -> str:
    """Scores show one decimal, rounded half up (the rule itself uses the exact, unrounded score)."""
    text = str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.replace(".", ",") if lang == "vi" else text


def fmt_value(v: object, lang: str) -> str:
    """An observed or required value: numbers, yes/no, lists, choice codes by their label."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return t("yes" if v else "no", lang)
    if isinstance(v, (int, float)):
        return num(v, lang)
    if isinstance(v, list):
        return ", ".join(fmt_value(x, lang) for x in v)
    if isinstance(v, str) and f"common.{v}" in catalogue(lang):
        return t(v, lang)
    return str(v)


value = fmt_value
