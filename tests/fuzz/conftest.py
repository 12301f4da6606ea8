"""The fuzz suite's figures: how many inputs of each kind were generated and how they ended,
printed at the end of the run (``pytest tests/fuzz -q``)."""

from __future__ import annotations

from collections import Counter

import pytest

_FIGURES = pytest.StashKey[Counter]()


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest) -> Counter[str]:
    return request.config.stash.setdefault(_FIGURES, Counter())


def pytest_terminal_summary(terminalreporter, config) -> None:
    figures = config.stash.get(_FIGURES, None)
    if figures:
        terminalreporter.write_sep("-", f"fuzz: {sum(figures.values())} inputs generated")
        for key, n in sorted(figures.items()):
            terminalreporter.write_line(f"  {n:5d}  {key}")
