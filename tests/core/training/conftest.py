"""What the run-path tests share: a run store of their own."""

import pytest

from core.runs import RunStore


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.db")
