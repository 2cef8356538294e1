"""What a desk process sets up for itself before its terminal starts."""

from __future__ import annotations

import platform

import pytest
from textual.app import App

import csdesk.app
from csdesk.arenas import use_one_arena


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_glibc_takes_the_one_arena_setting():
    assert use_one_arena() is True


def test_a_desk_asks_for_one_arena_before_its_terminal_starts(stub_app, monkeypatch):
    happened: list[str] = []
    monkeypatch.setattr(csdesk.app, "use_one_arena", lambda: happened.append("one arena") or True)
    monkeypatch.setattr(App, "run", lambda self, *a, **k: happened.append("terminal"))
    stub_app().run()
    assert happened == ["one arena", "terminal"]
