"""Reading YAML files safely, keeping the line and column of every value.

Every user-supplied YAML file goes through :func:`read_yaml`. It reads through the bounded,
regular-file-only reader of :mod:`engine.files`, turns every way a file can be unreadable (missing,
a folder or a FIFO, too big, binary, not UTF-8, empty, malformed YAML, duplicate or unhashable keys,
aliases that expand past :data:`MAX_NODES` values — the "billion laughs" —, recursive aliases,
nesting deeper than :data:`MAX_DEPTH`, integers too long to be a figure) into a
:class:`~engine.errors.UserError` naming the file and line, normalises every string to Unicode NFC,
and returns a :class:`Located` document whose :meth:`Located.position` maps a path of keys/indices
(as pydantic reports it) to the line and column where that value stands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.errors import Diagnostic, UserError
from engine.files import YAML_LIMIT
from engine.files import read_text as read_file_text

Loc = tuple[int | str, ...]

# Values a document may hold once its aliases are expanded (the national criteria set holds about
# 9,000), how deep it may nest, and how many characters an integer may have.
MAX_NODES = 200_000
MAX_DEPTH = 40
MAX_INT_CHARS = 30


@dataclass(frozen=True)
class Located:
    """A parsed YAML document plus the source position of every node."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]]

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``loc``, or of its nearest located parent."""
        loc = tuple(loc)
        while True:
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (None, None)
            loc = loc[:-1]


def nfc(value: Any) -> Any:
    """Recursively NFC-normalise every string (keys and values)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available: ~10x faster


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that refuses duplicate keys instead of silently keeping the last one, and says
    where a value it cannot convert stands (a date out of range raised a bare ValueError)."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except ValueError as exc:
            if isinstance(exc, yaml.YAMLError):
                raise
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read {node.value!r}: {exc}" if isinstance(node, ScalarNode) else str(exc),
                node.start_mark,
            ) from None


_BOOL_TAG = "tag:yaml.org,2002:bool"


def _construct_mapping(loader: _Loader, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, Node] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode) and key_node.tag == _BOOL_TAG and not key_node.style:
            # A plain key 'no', 'yes', 'on' or 'off' is the word, not a YAML 1.1 boolean: an
            # indicator's official number is written 'no: 35'.
            key_node.tag = "tag:yaml.org,2002:str"
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a list or mapping cannot be a key", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = key_node
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _index_positions(node: Node, loc: Loc, out: dict[Loc, tuple[int, int]], loader: _Loader) -> None:
    out[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, ScalarNode) else None
            if isinstance(key, str):
                key = unicodedata.normalize("NFC", key)
            # Keys are strings or numbers in every file the engine reads; any other scalar key is kept
            # as it is, so that the location pydantic reports for it still matches.
            child = cast(Loc, (*loc, key))
            _index_positions(value_node, child, out, loader)
            # Pydantic reports unknown keys at the key itself: point at the key, not its value.
            out[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if isinstance(value_node, (MappingNode, SequenceNode)) and value_node.value:
                value_loc: Loc = (*child, "__value__")
                out[value_loc] = (
                    value_node.start_mark.line + 1,
                    value_node.start_mark.column + 1,
                )
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _index_positions(item, (*loc, i), out, loader)


def read_text(path: Path) -> str:
    """Read a UTF-8 YAML text file, turning every I/O problem into a UserError."""
    return read_file_text(path, YAML_LIMIT, "YAML file")


def _graph_problem(root: Node) -> tuple[str, str, Node] | None:
    """(problem, hint, node) when the document is too big once expanded, too deep, recursive, or
    holds an integer too long to be a figure; None when it is fine. Iterative: never recurses."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        children: list[Node] = []
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            if size[key] > MAX_NODES:
                return (
                    f"holds more than {MAX_NODES:,} values once its aliases (*) are expanded",
                    "write the values out instead of repeating aliases; a fact file needs none",
                    node,
                )
            continue
        if key in size:
            continue
        if key in on_path:
            return ("an alias (*) refers to the value that contains it", "remove the recursive alias", node)
        if depth > MAX_DEPTH:
            return (f"nests more than {MAX_DEPTH} levels deep", "flatten the structure", node)
        if isinstance(node, ScalarNode) and node.tag == _INT_TAG and len(node.value) > MAX_INT_CHARS:
            return (
                f"holds an integer of {len(node.value):,} characters",
                "write a real figure (no commune figure has that many digits)",
                node,
            )
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in reversed(children) if id(c) not in size)
    return None


def _compose(loader: _Loader, p: str) -> Node:
    """The document's node graph, checked by :func:`_graph_problem` (raises UserError)."""
    node = loader.get_single_node()
    if node is None:
        raise UserError.single(p, "holds no YAML document", "see README.md for the format", line=1)
    problem = _graph_problem(node)
    if problem is not None:
        message, hint, where = problem
        raise UserError.single(
            p, message, hint, line=where.start_mark.line + 1, col=where.start_mark.column + 1
        )
    return node


def read_yaml(path: Path) -> Located:
    """Parse one YAML file into a :class:`Located` document, or raise a UserError."""
    text = read_text(path)
    p = str(path)
    if not text.strip():
        raise UserError.single(p, "is empty", "fill it in; see README.md for the format", line=1)
    loader = _Loader(text)
    try:
        node = _compose(loader, p)
        data = loader.construct_document(node)
        positions: dict[Loc, tuple[int, int]] = {}
        _index_positions(node, (), positions, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem)
        if "duplicate key" in problem:
            hint = "a key may appear only once in a mapping: remove or rename one of them"
        elif "cannot be a key" in problem:
            hint = "a key is a word or a number (e.g. doctors:), never a list or mapping"
        elif problem.startswith("cannot read"):
            hint = "write a valid value here (dates as YYYY-MM-DD, numbers without quotes)"
        else:
            hint = "fix the YAML syntax here (indentation, a missing ':' or quote)"
        raise UserError(
            [
                Diagnostic(
                    path=p,
                    line=mark.line + 1 if mark else None,
                    col=mark.column + 1 if mark else None,
                    message=f"malformed YAML: {exc.problem or exc.context}",
                    hint=hint,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise UserError.single(p, f"malformed YAML: {exc}", "fix the YAML syntax") from None
    finally:
        loader.dispose()
    return Located(path=p, data=nfc(data), positions=positions)


# --- the fast path: plain "key: value" files, parsed without building YAML nodes ------------------

_KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*):(?: +(.*?))? *")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# YAML 1.1 words that PyYAML's SafeLoader resolves to booleans and null.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}
_UNSAFE = re.compile(  # what PyYAML refuses, or reads as a line break that str.splitlines does not
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]"
)
_FAIL = object()
_STR, _BOOL, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


@lru_cache(maxsize=8192)  # values repeat across files (true, false, small numbers, names)
def _scalar(s: str) -> Any:
    """A one-line scalar as PyYAML's SafeLoader reads it, or _FAIL when unsure."""
    if s[0] == "'":
        inner = s[1:-1]
        if len(s) < 2 or s[-1] != "'" or "'" in inner.replace("''", ""):
            return _FAIL
        return inner.replace("''", "'")
    if s[0] == '"':
        inner = s[1:-1]
        return _FAIL if len(s) < 2 or s[-1] != '"' or '"' in inner or "\\" in inner else inner
    if s[0] in "-?:,[]{}#&*!|>%@`" or s.endswith(":") or any(c in s for c in "#[]{}`") or ": " in s:
        return _FAIL  # indicators, flow collections, comments, nested keys: leave them to PyYAML
    tag = next((t for t, rx in _Loader.yaml_implicit_resolvers.get(s[0], []) if rx.match(s)), _STR)
    if tag == _STR:
        return s
    if tag in (_BOOL, _NULL):
        return _WORDS.get(s, _FAIL)
    if tag == _INT_TAG and _INT.fullmatch(s) and len(s) <= MAX_INT_CHARS:
        return int(s)
    if tag == _FLOAT_TAG and _FLOAT.fullmatch(s):
        return float(s)
    return _FAIL  # octal, hex, sexagesimal, 1_000, .inf, dates…: PyYAML decides


def parse_simple(text: str) -> dict[str, Any] | None:
    """Block mappings of one-line scalars (what fact files hold), or None for anything else.

    Reads exactly what ``yaml.load(text, SafeLoader)`` would, without building YAML nodes; whatever
    it is not sure of (lists, multi-line or flow values, anchors, tags, numbers other than plain
    decimals, duplicate keys, odd indentation) makes it return None, and the caller uses PyYAML.
    """
    if _UNSAFE.search(text):
        return None
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(0, root)]
    pending: tuple[int, dict[str, Any], str] | None = None  # a key whose value may be a mapping
    for line in text.splitlines():
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None or m.group(2) in _WORDS:
            return None
        indent, key, value = len(m.group(1)), m.group(2), m.group(3)
        if pending is not None:
            if indent > pending[0]:
                child: dict[str, Any] = {}
                pending[1][pending[2]] = child
                stack.append((indent, child))
            pending = None
        while stack[-1][0] > indent:
            stack.pop()
        if stack[-1][0] != indent:
            return None
        mapping = stack[-1][1]
        if key in mapping:
            return None
        if not value:
            mapping[key] = None
            pending = (indent, mapping, key)
            continue
        parsed = _scalar(value)
        if parsed is _FAIL:
            return None
        mapping[key] = parsed
    return root or None


def read_yaml_data(path: Path) -> Any | None:
    """The data of one YAML file, without source positions; None when it cannot be read cleanly.

    The fast path for files that are expected to be valid: it skips the node-by-node position
    index (most of :func:`read_yaml`'s time). Whenever anything is wrong with the file, it returns
    None and the caller falls back to :func:`read_yaml`, which reports the problem with its line.
    """
    try:
        text = read_text(path)
    except UserError:
        return None
    if not text.strip():
        return None
    data = parse_simple(text)
    if data is None:
        loader = _Loader(text)  # the same loader and checks as read_yaml
        try:
            data = loader.construct_document(_compose(loader, str(path)))
        except (yaml.YAMLError, UserError):
            return None
        finally:
            loader.dispose()
    return None if data is None else nfc(data)


Breadcrumb = Callable[[Loc, Any], str]


def breadcrumb_for(lists: dict[str, str], id_keys: tuple[str, ...] = ("id",)) -> Breadcrumb:
    """A breadcrumb naming list items by their id: ``{"indicators": "indicator"}`` turns
    ``("indicators", 2, "threshold")`` into ``"indicator 2.3 › threshold"``."""

    def breadcrumb(loc: Loc, data: Any) -> str:
        parts: list[str] = []
        node = data
        i = 0
        while i < len(loc):
            part = loc[i]
            if isinstance(node, dict):
                child = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                child = node[part]
            else:
                child = None
            if part in lists and i + 1 < len(loc) and isinstance(child, list):
                idx = loc[i + 1]
                item = child[idx] if isinstance(idx, int) and 0 <= idx < len(child) else None
                ident = next((item[k] for k in id_keys if isinstance(item, dict) and k in item), None)
                if ident is None:
                    ident = idx + 1 if isinstance(idx, int) else idx
                parts.append(f"{lists[str(part)]} {ident}")
                node = item
                i += 2
                continue
            parts.append(str(part))
            node = child
            i += 1
        return " › ".join(parts)

    return breadcrumb
