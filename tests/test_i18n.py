"""The message catalogue: every id in both languages with the same parameters, every id used exists."""

from __future__ import annotations

import ast
import datetime as dt
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
    # an identifier is written {name:d} in the catalogue: never grouped like an amount
    assert "http://127.0.0.1:8765/" in i18n.msg("web.serve_listening", "vi", host="127.0.0.1", port=8765)


def test_an_unknown_id_or_language_fails_loudly():
    with pytest.raises(KeyError):
        i18n.msg("common.no_such_message", "vi")
    with pytest.raises(ValueError):
        i18n.catalogue("fr")


# --- The code against the catalogue, read statically (every module of engine/, lazy paths included) ---

# Label helpers that prefix a namespace to the key they are given.
_HELPERS = {
    "engine.i18n.t": "common",
    "engine.render.appraisal_text.t": "appraisal",
    "engine.render.plan_table._t": "planner",
}
_YEARS = re.compile(r"(^|_)(year|since)$")
_FILES = "html|yaml|json|csv|xlsx|sqlite3|md|py"  # 'criteria.html', 'register.sqlite3' are files


def _namespaces() -> set[str]:
    return {p.stem for p in (i18n.CATALOGUE_DIR / "vi").glob("*.yaml")}


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(ENGINE.rglob("*.py")):
        name = ".".join(path.relative_to(ENGINE.parent).with_suffix("").parts)
        out.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _resolver(module: str, tree: ast.Module) -> dict[str, str]:
    """Local name -> the full name of what it is (imports and the module's own functions)."""
    names = {n.name: f"{module}.{n.name}" for n in tree.body if isinstance(n, ast.FunctionDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name] = a.name
    return names


def _callee(func: ast.expr, names: dict[str, str]) -> str:
    if isinstance(func, ast.Name):
        return names.get(func.id, func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{names.get(func.value.id, func.value.id)}.{func.attr}"
    return ""


def _literal_ids() -> list[tuple[str, int, str]]:
    """(module, line, id) of every string literal in the code that names a message."""
    ids = re.compile(rf"^(?:{'|'.join(sorted(_namespaces()))})\.(?!(?:{_FILES})$)[a-z0-9_]+$")
    out = []
    for module, tree in _modules():
        names = _resolver(module, tree)
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and ids.match(node.value)
                and id(node) not in parts
            ):
                out.append((module, node.lineno, node.value))
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                prefix = _HELPERS.get(_callee(node.func, names))
                if prefix and isinstance(node.args[0].value, str):
                    out.append((module, node.lineno, f"{prefix}.{node.args[0].value}"))
    return out


def test_every_literal_message_id_and_label_key_in_the_code_exists():
    found = _literal_ids()
    assert len(found) > 300  # the walk reads the code (not a vacuous pass)
    known = i18n.catalogue("vi")
    assert [f"{m}:{line}: {x}" for m, line, x in found if x not in known] == []


def _calls_with_literal_ids() -> list[tuple[str, int, str, set[str] | None]]:
    """(module, line, id, parameter names or None when not all are literal) of msg() / Message()."""
    out = []
    for module, tree in _modules():
        names = _resolver(module, tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee(node.func, names) not in (
                "engine.i18n.msg",
                "engine.i18n.Message",
            ):
                continue
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            given: set[str] | None = {k.arg for k in node.keywords if k.arg}
            if any(k.arg is None for k in node.keywords):
                given = None  # **params: not checked statically
            extra = node.args[1:] if _callee(node.func, names).endswith("Message") else node.args[2:]
            for arg in extra:
                if isinstance(arg, ast.Dict) and all(isinstance(k, ast.Constant) for k in arg.keys):
                    given = None if given is None else given | {k.value for k in arg.keys}  # type: ignore[union-attr]
                else:
                    given = None
            out.append((module, node.lineno, first.value, given))
    return out


def test_every_call_gives_exactly_the_parameters_its_message_has():
    calls = _calls_with_literal_ids()
    assert len(calls) > 100
    vi = i18n.catalogue("vi")
    wrong = [
        f"{m}:{line}: {code} wants {sorted(_fields(vi[code]))}, gets {sorted(given)}"
        for m, line, code, given in calls
        if code in vi and given is not None and given != _fields(vi[code])
    ]
    assert wrong == []


def test_years_are_never_grouped_like_amounts():
    """An amount reads 10.600 in Vietnamese, a year always 2024, whether or not the message says {year:d}."""
    years = [
        (code, name)
        for code, text in i18n.catalogue("vi").items()
        for _, name, spec, _ in string.Formatter().parse(text)
        if name and _YEARS.search(name) and spec in ("", "d")
    ]
    assert len(years) > 20
    for code, name in years:
        specs = {n: sp for _, n, sp, _ in string.Formatter().parse(i18n.catalogue("vi")[code]) if n}
        dummy = {k: dt.date(2024, 1, 1) if "%" in (sp or "") else 1 for k, sp in specs.items()}
        text = i18n.msg(code, "vi", **{**dummy, name: 2024})
        assert "2024" in text and "2.024" not in text, code
    assert i18n.msg("register.review_title", "vi", year="2024") == "Rà soát năm 2024"  # given as text
    assert (
        i18n.msg("commands.synth_wrote", "vi", n=10600, seed=1, path="out")
        == "Đã tạo 10.600 xã tổng hợp (hạt giống 1) trong out"
    )


def test_no_module_chooses_a_language_inline():
    """Words come from the catalogue; only engine/i18n.py compares a language code (engine/web/ has
    its own catalogue and conventions, checked by its own tests)."""
    found = []
    for module, tree in _modules():
        if module == "engine.i18n" or module.startswith("engine.web."):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(
                isinstance(c, ast.Constant) and c.value in i18n.LANGS for c in [node.left, *node.comparators]
            ):
                found.append(f"{module}:{node.lineno}")
    assert found == []


# --- Message: what results carry ---


def test_a_message_is_immutable_hashable_picklable_and_renders_in_both_languages():
    import copy
    import pickle

    from pydantic import BaseModel, ConfigDict

    m = i18n.Message("evaluation.criterion_below", criterion="8", score=1.5, max=11, minimum=5.5)
    assert m.text("vi") == "Tiêu chí 8 đạt 1,5/11 điểm, dưới mức tối thiểu 5,5"
    assert m.get("en") == m.text("en") == "Criterion 8 scores 1.5/11, below its minimum 5.5"
    again = pickle.loads(pickle.dumps(m))
    assert again == m and hash(again) == hash(m) and again.text("vi") == m.text("vi")
    assert copy.deepcopy(m) == m and m != i18n.Message("evaluation.criterion_below", criterion="9")
    with pytest.raises(AttributeError):
        m.code = "x"
    params = m.params
    params["criterion"] = "1"
    assert m.params["criterion"] == "8"  # a copy: the message cannot be changed through it
    listed = i18n.Message("evaluation.required_choice", threshold=["good", "degraded"])
    assert hash(listed) and listed.text("vi") == "tốt, xuống cấp" and listed.text("en") == "good, degraded"

    class Result(BaseModel):
        model_config = ConfigDict(frozen=True)
        reasons: list[i18n.Message]

    r = Result(reasons=[m])
    assert r.model_dump(mode="json") == {"reasons": [{"vi": m.text("vi"), "en": m.text("en")}]}
    assert r.model_dump()["reasons"] == [m]
    with pytest.raises(ValueError):
        Result(reasons=["Tiêu chí 8"])


def test_nested_messages_and_bilingual_data_render_in_the_language():
    from engine.inputs.criteria import Text

    doctors = Text(vi="bác sĩ", en="doctor(s)")
    gap = i18n.Message("evaluation.gap_more", amount=i18n.Message("evaluation.amount", n=1, unit=doctors))
    assert (gap.text("vi"), gap.text("en")) == ("cần thêm 1 bác sĩ", "needs 1 doctor(s) more")
    assert i18n.msg("common.vnd", "vi", amount=150_000_000) == "150.000.000 đồng"
    assert i18n.msg("criteria.rule", "en", min_total=80.0, max=100.0, share=0.5, years=3).startswith(
        "Qualifies when: total ≥ 80/100; every criterion ≥ 50% of its maximum"
    )


def test_numbers_below_a_thousand_take_a_short_path_that_writes_them_the_same():
    def general(value: float, lang: str, digits: int) -> str:
        if isinstance(value, int) or float(value).is_integer():
            text = f"{int(value):,}"
            return text.replace(",", ".") if lang == "vi" else text
        text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "vi" else text

    values = [k / 8 - 1100 for k in range(17_600)] + [
        998.96,
        998.999,
        999.94,
        999.96,
        -999.96,
        -0.04,
        0.0,
        -0.0,
    ]
    values += [int(v) for v in values]
    wrong = [
        (v, lang, d)
        for v in values
        for lang in i18n.LANGS
        for d in (1, 2)
        if i18n.num(v, lang, d) != general(v, lang, d)
    ]
    assert wrong == []
    assert i18n.num(999.96, "vi") == "1.000" and i18n.num(86.0465, "vi", 2) == "86,05"
