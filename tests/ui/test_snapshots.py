"""How the sign-in screen looks, at the smallest supported terminal and a wide one.

Update after a deliberate change with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from csdesk.services import auth
from csdesk.services.base import ServiceError


def wrong_pin(desk, number, pin):
    raise ServiceError("wrong employee number or PIN", field="pin")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_sign_in_screen(snap_compare, stub_app, size):
    assert snap_compare(stub_app(), terminal_size=size)


def test_sign_in_after_a_wrong_pin(snap_compare, stub_app, settle):
    async def type_wrong_pin(pilot):
        # A blinking cursor would make the picture depend on the moment it is taken.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.press(*"1024", "enter", *"1111", "enter")
        await settle(pilot.app)
        await pilot.pause()

    app = stub_app({auth.sign_in: wrong_pin})
    assert snap_compare(app, run_before=type_wrong_pin)
