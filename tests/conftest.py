from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.evaluation.evaluator import Evaluator
from engine.inputs.criteria import CriteriaSet
from engine.inputs.loader import load_criteria
from tests.support import NATIONAL_2030, TINY, open_folder


@pytest.fixture(scope="session")
def national() -> CriteriaSet:
    return load_criteria(NATIONAL_2030)


@pytest.fixture(scope="session")
def national_evaluator(national: CriteriaSet) -> Evaluator:
    return Evaluator(national)


@pytest.fixture(scope="session")
def tiny() -> CriteriaSet:
    return load_criteria(TINY)


@pytest.fixture(scope="session")
def tiny_evaluator(tiny: CriteriaSet) -> Evaluator:
    return Evaluator(tiny)


@pytest.fixture()
def open_tmp() -> Iterator[Path]:
    """A temporary folder that an unprivileged user may enter too (see tests.support.without_privileges)."""
    folder = open_folder("commune-health-test-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
