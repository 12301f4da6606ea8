"""``evaluate``, ``appraise`` and ``plan`` on the samples give the JSON they gave before the layout change.

The reference files are in ``tests/data/before/`` (see :mod:`tests.snapshots`); ``review`` is checked
in ``tests/register/test_sample.py``, on the register of the README's walk-through.
"""

from __future__ import annotations

import json

import pytest

from tests import snapshots


@pytest.mark.parametrize("name", sorted(snapshots.COMMANDS))
def test_output_is_unchanged(name: str) -> None:
    now, before = snapshots.run(snapshots.COMMANDS[name]), snapshots.read(name)
    if now != before:  # say where, not only that the megabytes differ
        assert json.loads(now) == json.loads(before)
    assert now == before
