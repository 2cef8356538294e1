from __future__ import annotations

import gettext
import re

import pytest
from textual.widgets import Footer

from csdesk import i18n
from csdesk.rules.vocab import Role
from csdesk.services.base import Actor


class Shouting(gettext.NullTranslations):
    """A stand-in catalogue that makes every translated string visible."""

    def gettext(self, message: str) -> str:
        # Placeholders such as {number} must survive, as in any real catalogue.
        return re.sub(r"[^{}]+(?=\{|$)|(?<=\})[^{}]+", lambda m: m.group().upper(), message)


@pytest.fixture
def shout():
    """Call after make_app (which installs the settings' language) to switch catalogues."""
    saved = i18n._translation
    yield lambda: setattr(i18n, "_translation", Shouting())
    i18n._translation = saved


def test_a_language_without_a_catalogue_falls_back_to_english():
    i18n.install_language("xx_XX")
    try:
        assert i18n._("Help") == "Help"
    finally:
        i18n.install_language(None)


def test_screens_and_key_bindings_speak_the_installed_catalogue(
    shout, stub_app, settle, drive
):
    app = stub_app(**{"auth.sign_in": lambda desk, n, p: Actor(1, "1", "Li Na", Role.AGENT)})
    shout()

    async def scenario(pilot):
        assert "EMPLOYEE NUMBER" in " ".join(str(w.render()) for w in app.screen.query("Label"))
        await pilot.press("1", "enter", "1", "enter")
        await settle(app)
        await pilot.pause()
        footer = " ".join(str(w.render()) for w in app.screen.query_one(Footer).query("*"))
        assert "HELP" in footer and "COMMANDS" in footer

    drive(app, scenario)
