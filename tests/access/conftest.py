"""The access tests' shared world: every actor in its relation to campaign C (see world.py)."""
from __future__ import annotations

import pytest

from tests.access.world import build


@pytest.fixture
def world(app, clock):
    """The matrix's people and objects, built in the test's database."""
    with app.app_context():
        return build()
