"""The interface in Vietnamese (first) and English: one message catalogue per language, and numbers.

Every user-facing string of the interface comes from the catalogue ``engine/messages/<lang>/*.yaml``:
each file is a namespace (``common.yaml`` holds the ids ``common.*``), each entry a message id and
its text, with named parameters in braces (``{n}``). The criteria content is not here: it is
bilingual data in the criteria YAML (``Text``), passed to messages as parameters.

Parameters are formatted for the language: numbers with the Vietnamese decimal comma and thousands
dot (``{share}`` → ``86,05``), ``{x:score}`` with one decimal rounded half up, ``{x:2}`` with at most
two decimals, ``{x:value}`` as an observed or required value (yes/no, choice labels, lists),
booleans as có/không, bilingual texts (anything with ``vi`` and ``en``) in the language, lists
joined by commas, and a :class:`Message` parameter rendered in turn. Any other format spec is
Python's (``{n:d}``: a whole number never grouped; ``{day:%d/%m/%Y}``), with the decimal comma in
Vietnamese. Parameters named ``year``, ``since`` or ``*_year`` are years: 2024, never 2.024.

Results carry :class:`Message` (a code and its parameters), never prose; renderers turn them into
words with :func:`msg` or :meth:`Message.text`. ``tests/test_i18n.py`` fails when an id exists in one
language only, when the two languages' parameters differ, or when code uses an id that does not exist.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

import yaml

LANGS = ("vi", "en")
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CATALOGUE_DIR = Path(__file__).resolve().parent / "messages"


@runtime_checkable
class Bilingual(Protocol):
    """Bilingual content from the YAML data (``engine.inputs.criteria.Text`` and the like)."""

    vi: str
    en: str


def pick(lang: str, vi: str, en: str) -> str:
    """The one of two texts given in both languages (bilingual data: criteria, fact labels) for ``lang``."""
    return vi if lang == "vi" else en


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every message of ``lang``, by id (``<file stem>.<key>``). Read once per process."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: {', '.join(LANGS)}")
    out: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / lang).glob("*.yaml")):
        # libyaml's parser when available: ~20x faster (the catalogue is read at every start)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: a message file is a mapping of id to text")
        for key, text in data.items():
            if not isinstance(key, str) or not isinstance(text, str):
                raise ValueError(f"{path}: {key!r}: ids and texts are strings (quote yes/no/on/off keys)")
            out[f"{path.stem}.{key}"] = text
    return out


@cache
def _template(lang: str, message_id: str) -> tuple[tuple[str, str | None, str], ...]:
    """The message parsed once: (literal text, parameter name or None, format spec) in order."""
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(catalogue(lang)[message_id]):
        if conversion or (name is not None and not name.isidentifier()):
            raise ValueError(
                f"{lang}/{message_id}: parameters are plain names ({{n}}, {{n:2}}), not {name!r}"
            )
        out.append((literal, name, spec or ""))
    return tuple(out)


def _field(value: Any, spec: str, lang: str) -> str:
    """One parameter in ``lang`` (see the module docstring for the format specs)."""
    if spec == "value":
        return fmt_value(value, lang)
    if spec == "score":
        return score(float(value), lang)
    kind = type(value)
    if kind is str:
        return value if not spec or spec == "d" else format(value, spec)  # "2024" given as text
    if kind is Message:
        return value.text(lang)
    if value is None or kind is bool:
        return fmt_value(value, lang)
    if kind is int or kind is float:
        if not spec or spec.isdigit():
            return num(value, lang, int(spec) if spec else 1)
        return decimal_point(format(value, spec), lang)
    if hasattr(value, "vi") and hasattr(value, "en"):  # bilingual data (Bilingual)
        return pick(lang, value.vi, value.en)
    if kind is list or kind is tuple:
        return ", ".join(_field(v, spec, lang) for v in value)
    return format(value, spec)


def _is_year(name: str) -> bool:
    return name in ("year", "since") or name.endswith("_year")


def _render(message_id: str, lang: str, params: Mapping[str, Any]) -> str:
    parts = []
    for literal, name, spec in _template(lang, message_id):
        parts.append(literal)
        if name is not None:
            value = params[name]
            if not spec and type(value) is int and _is_year(name):
                parts.append(str(value))  # a year is a name, not an amount: 2024, never 2.024
            else:
                parts.append(_field(value, spec, lang))
    return "".join(parts)


def msg(message_id: str, lang: str, /, **params: Any) -> str:
    """The text of ``message_id`` in ``lang`` with ``params`` filled in (KeyError if the id is unknown
    or a parameter is missing)."""
    return _render(message_id, lang, params)


class Message:
    """A message as results carry it: a catalogue id and its parameters, rendered in any language.

    Immutable, hashable and picklable (results cross process boundaries). Pydantic models may hold
    one: their JSON shows it in both languages (``{"vi": …, "en": …}``, like bilingual ``Text``).
    A message remembers its text in each language once rendered: results share messages (scoring
    reuses indicator results across communes), so a national batch renders each one once.
    """

    __slots__ = ("_params", "_texts", "code")
    code: str
    _params: tuple[tuple[str, Any], ...]
    _texts: dict[str, str]

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        if params:
            kw = {**params, **kw}
        items = sorted(kw.items())  # one order whatever the call's: equal messages hash alike
        if list in map(type, kw.values()):
            items = [(k, tuple(v) if type(v) is list else v) for k, v in items]
        setattr_ = object.__setattr__
        setattr_(self, "code", code)
        setattr_(self, "_params", tuple(items))
        setattr_(self, "_texts", {})

    @property
    def params(self) -> dict[str, Any]:
        return dict(self._params)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``vi`` or ``en``)."""
        out = self._texts.get(lang)
        if out is None:
            out = self._texts[lang] = _render(self.code, lang, dict(self._params))
        return out

    get = text  # like ``Text.get``, so that a renderer shows bilingual data and messages alike

    def texts(self) -> dict[str, str]:
        """The message in every language: ``{"vi": …, "en": …}`` (how JSON outputs show it)."""
        return {lang: self.text(lang) for lang in LANGS}

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Message is immutable ({name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.code == other.code and self._params == other._params

    def __hash__(self) -> int:
        return hash((self.code, self._params))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {dict(self._params)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.code, self._params))  # no sorting again: results unpickled in bulk

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(
            cls,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda m: m.texts(), when_used="json"
            ),
        )


def _restore(code: str, params: tuple[tuple[str, Any], ...]) -> Message:
    """A pickled :class:`Message` (its parameters already in order)."""
    m = object.__new__(Message)
    setattr_ = object.__setattr__
    setattr_(m, "code", code)
    setattr_(m, "_params", params)
    setattr_(m, "_texts", {})
    return m


def has(message_id: str, lang: str = "vi") -> bool:
    return message_id in catalogue(lang)


def t(key: str, lang: str, **kw: object) -> str:
    """A common label (``common.<key>``)."""
    return msg(f"common.{key}", lang, **kw)


def decimal_point(text: str, lang: str) -> str:
    """A number written with a decimal point (``f"{x:g}"``), with the decimal comma in Vietnamese."""
    return text.replace(".", ",") if lang == "vi" else text


def num(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number as people read it: Vietnamese uses a decimal comma."""
    kind = type(value)  # exactly int or float (a bool is neither), the usual case, takes a short path
    if (kind is int or kind is float) and -999 < cast(float, value) < 999:  # no thousands separator
        small = cast(float, value)
        if kind is int or small.is_integer():
            return str(int(small))
        text = f"{small:.{digits}f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if lang == "vi" else text
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
    return decimal_point(str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)), lang)


def fmt_value(v: object, lang: str) -> str:
    """An observed or required value: numbers, yes/no, lists, choice codes by their label."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return t("yes" if v else "no", lang)
    if isinstance(v, (int, float)):
        return num(v, lang)
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt_value(x, lang) for x in v)
    if isinstance(v, str) and f"common.{v}" in catalogue(lang):
        return t(v, lang)
    return str(v)


value = fmt_value
