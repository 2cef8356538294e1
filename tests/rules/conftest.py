from __future__ import annotations

from datetime import date, datetime

import pytest

from csdesk.policy import Policy, load_policy
from csdesk.rules.shifts import ShiftWindow, shift_window
from csdesk.rules.vocab import ShiftKind

SHIPPED = load_policy()
ZONE = SHIPPED.zone


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A wall-clock moment in the centre's zone."""
    return datetime(year, month, day, hour, minute, second, tzinfo=ZONE)


def day_shift(d: date) -> ShiftWindow:
    return shift_window(d, ShiftKind.DAY, SHIPPED)


def night_shift(d: date) -> ShiftWindow:
    return shift_window(d, ShiftKind.NIGHT, SHIPPED)


@pytest.fixture
def policy() -> Policy:
    return SHIPPED
