"""The message catalogue: every id in both languages with the same parameters, every id used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from engine import i18n

ENGINE = Path(__file__).resolve().parents[1] / "engine"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_parameters():
    vi, en = i18n.catalogue("vi"), i18n.catalogue("en")
    assert sorted(set(vi) - set(en)) == [], "messages missing in English"
    assert sorted(set(en) - set(vi)) == [], "messages missing in Vietnamese"
    differing = {k: (_fields(vi[k]), _fields(en[k])) for k in vi if _fields(vi[k]) != _fields(en[k])}
    assert differing == {}


def test_catalogue_files_are_nfc_and_the_same_files_in_both_languages():
    import unicodedata

    stems = {lang: sorted(p.name for p in (i18n.CATALOGUE_DIR / lang).glob("*.yaml")) for lang in i18n.LANGS}
    assert stems["vi"] == stems["en"]
    for lang in i18n.LANGS:
        for p in (i18n.CATALOGUE_DIR / lang).glob("*.yaml"):
            text = p.read_text(encoding="utf-8")
            assert unicodedata.normalize("NFC", text) == text, p


# Literal ids in the code: msg("x.y", ...), Message("x.y", ...), t("key", ...) for common labels.
_USES = re.compile(r"""\b(?:msg|Message)\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")
_LABELS = re.compile(r"""\bi18n\.t\(\s*["']([a-z0-9_]+)["']""")
_BARE_LABELS = re.compile(r"""(?<![\w.])t\(\s*["']([a-z0-9_]+)["']""")
_IMPORTS_T = re.compile(r"^from engine\.i18n import .*\bt\b", re.M)


def test_every_message_id_used_in_the_code_exists():
    known = i18n.catalogue("vi")
    unknown = []
    for path in ENGINE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        unknown += [f"{path.name}: {m}" for m in _USES.findall(text) if m not in known]
        labels = _LABELS.findall(text) + (_BARE_LABELS.findall(text) if _IMPORTS_T.search(text) else [])
        unknown += [f"{path.name}: common.{m}" for m in labels if f"common.{m}" not in known]
    assert unknown == []


def test_parameters_are_formatted_for_the_language():
    assert i18n.msg("common.drafts", "vi", n=47, total=47).startswith("CẢNH BÁO: kết quả dựa trên 47/47")
    m = i18n.Message("common.drafts", {"n": 3, "total": 1234})
    assert "3/1,234" in m.text("en") and "3/1.234" in m.text("vi")
    assert i18n.num(86.0465, "vi", 2) == "86,05" and i18n.score(79.95, "en") == "80.0"


def test_an_unknown_id_or_language_fails_loudly():
    with pytest.raises(KeyError):
        i18n.msg("common.no_such_message", "vi")
    with pytest.raises(ValueError):
        i18n.catalogue("fr")
