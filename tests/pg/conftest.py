"""PostgreSQL-only tests share the desk processes of the reliability tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability.conftest import Desks


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[Desks]:
    folder = tmp_path / "desks"
    folder.mkdir()
    group = Desks(folder)
    yield group
    group.stop()
