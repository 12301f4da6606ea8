"""The layout's rules, checked on every import of every module (lazy ones included).

Layers, top to bottom: ``commands`` and ``web`` (parse, call, render) → ``render`` (every output
format) → ``appraisal``, ``planner``, ``register`` (side by side: none imports another) →
``evaluation`` → ``inputs`` → ``errors`` and ``i18n``. A module imports only from its own package or
from layers below it; there are no circles, no private names taken from another module, no module
over 400 lines, and ``durable`` is imported by ``engine/evaluation/inference.py`` alone.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "engine"
LAYERS: dict[str, float] = {
    "engine.errors": 0,
    "engine.i18n": 0,
    "engine.files": 0.5,  # reports through engine.errors; read and written through by every layer above
    "engine.inputs": 1,
    "engine.evaluation": 2,
    "engine.appraisal": 3,
    "engine.planner": 3,
    "engine.register": 3,
    "engine.render": 4,
    "engine.commands": 5,
    "engine.web": 5,
}
# errors and i18n: what every layer reports with; files: the one bounded reader of every input and
# the one writer of every output (every OS error a user error), used from inputs up to commands.
TOP_LEVEL_MODULES = {"__init__.py", "errors.py", "i18n.py", "files.py"}
MAX_LINES = 400


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _package(module: str) -> str:
    if module == "engine":
        return "engine.errors"  # the package's own (empty) __init__: the bottom layer
    for name in LAYERS:
        if module == name or module.startswith(name + "."):
            return name
    raise AssertionError(f"{module} belongs to no layer: add its package to LAYERS")


def _imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, imported module, names) for every import of ``path``, lazy ones and import_module() too."""
    module = _module(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                is_module = (ROOT / (full.replace(".", "/") + ".py")).exists() or (
                    ROOT / full.replace(".", "/")
                ).is_dir()
                yield node.lineno, (full if is_module else base), ([] if is_module else [alias.name])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.lineno, str(node.args[0].value), []


SOURCES = sorted(ENGINE.rglob("*.py"))


def test_engine_top_level_holds_only_a_handful_of_shared_modules():
    assert {p.name for p in ENGINE.glob("*.py")} <= TOP_LEVEL_MODULES


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_flow_down_and_take_no_private_names(path: Path):
    module = _module(path)
    own = _package(module)
    problems = []
    for line, target, names in _imports(path):
        if (
            target.split(".")[0] in ("durable", "durable_rules_engine")
            and module != "engine.evaluation.inference"
        ):
            problems.append(f"line {line}: imports {target}: only engine.evaluation.inference may")
        if not target.startswith("engine"):
            continue
        if target == "engine":  # ``from engine import i18n`` names the module itself
            continue
        theirs = _package(target)
        if theirs != own and LAYERS[theirs] >= LAYERS[own]:
            problems.append(
                f"line {line}: {own} (layer {LAYERS[own]}) imports {target} (layer {LAYERS[theirs]})"
            )
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        if private:
            problems.append(f"line {line}: takes private name(s) {private} from {target}")
    assert problems == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_are_small(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it (about 300 is the aim)"


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        graph[_module(path)] = {
            t for _, t, _ in _imports(path) if t.startswith("engine.") and t != _module(path)
        }
    # A module importing ``engine.x.y`` also runs ``engine.x``'s __init__: count packages as nodes too.
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_checker_sees_upward_imports(tmp_path: Path):
    """The rule has teeth: an upward import and a private name are both caught."""
    bad = ENGINE / "inputs" / "_architecture_probe.py"
    bad.write_text("from engine.render.table import _private\n", encoding="utf-8")
    try:
        problems = [t for _, t, _ in _imports(bad)]
        assert problems == ["engine.render.table"]
        with pytest.raises(AssertionError):
            test_imports_flow_down_and_take_no_private_names(bad)
    finally:
        bad.unlink()


def test_every_package_and_data_file_is_installed():
    """A non-editable install finds every package (a folder without __init__.py is left out) and
    carries every data file the engine reads (catalogue, templates, static files)."""
    import fnmatch

    from setuptools import find_packages
    from setuptools.config.pyprojecttoml import read_configuration

    found = set(find_packages(str(ROOT), include=["engine*"]))
    folders = {_module(p.parent / "__init__.py") for p in SOURCES}
    assert folders - found == set(), "add an __init__.py to these folders"
    config = read_configuration(ROOT / "pyproject.toml")
    patterns = config["tool"]["setuptools"]["package-data"]["engine"]
    data = [p.relative_to(ENGINE).as_posix() for p in ENGINE.rglob("*") if p.is_file()]
    data = [d for d in data if not d.endswith((".py", ".pyc")) and "__pycache__" not in d]
    missing = [d for d in data if not any(fnmatch.fnmatch(d, pat) for pat in patterns)]
    assert missing == [], "add these files to [tool.setuptools.package-data]"
