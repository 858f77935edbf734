"""Jobs registered for one test only."""

from __future__ import annotations

import pytest

from app.jobs import registry


@pytest.fixture
def temporary_jobs():
    """register(...) for this test only."""
    names = []

    def register(name: str, **kwargs):
        names.append(name)
        return registry.register(name, **kwargs)

    yield register
    for name in names:
        registry.unregister(name)
