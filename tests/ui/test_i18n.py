from __future__ import annotations

import gettext
import re
from types import SimpleNamespace

import pytest
from textual.widgets import Footer

from csdesk import i18n
from csdesk.rules.vocab import Role
from csdesk.screens.home import HomeScreen
from csdesk.services import auth
from csdesk.services.base import Actor

from .test_home import team  # noqa: F401 - a fixture
from .test_rollcall import late_desk  # noqa: F401 - a fixture


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


def test_screens_and_key_bindings_speak_the_installed_catalogue(shout, stub_app, settle, drive):
    app = stub_app({auth.sign_in: lambda desk, n, p: Actor(1, "1", "Li Na", Role.AGENT)})
    shout()

    async def scenario(pilot):
        assert "EMPLOYEE NUMBER" in " ".join(str(w.render()) for w in app.screen.query("Label"))
        await pilot.press("1", "enter", "1", "enter")
        await settle(app)
        await pilot.pause()
        footer = " ".join(str(w.render()) for w in app.screen.query_one(Footer).query("*"))
        assert "HELP" in footer and "COMMANDS" in footer

    drive(app, scenario)


# -- switching language while the desk runs ----------------------------------------------


@pytest.fixture
def english_afterwards():
    yield
    i18n.install_language(None)


def footer_text(screen) -> str:
    return " ".join(str(w.render()) for w in screen.query_one(Footer).query("*"))


def column_labels(screen) -> list[str]:
    from textual.widgets import DataTable

    return [c.label.plain for t in screen.query(DataTable) for c in t.columns.values()]


async def choose_in_palette(pilot, settle, language: str) -> None:
    """Ctrl+P, the Language / 语言 command, then ``language`` from the list."""
    from textual.widgets import OptionList

    from csdesk.screens.language import LanguageModal

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"language", "enter")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, LanguageModal)
    options = modal.query_one(OptionList)
    options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index(language)
    await pilot.press("enter")
    await settle(pilot.app)
    await pilot.pause()


def test_switching_to_chinese_from_the_palette_keeps_what_was_typed(
    db, late_desk, team, drive, settle, english_afterwards
):
    from textual.widgets import Input, Label

    from csdesk.screens.intake import IntakeScreen
    from csdesk.widgets.form import Field

    from .test_rollcall import app_for

    app = app_for(db, late_desk)

    async def scenario(pilot):
        app.signed_in(team.leader)
        await settle(app)
        await pilot.pause()
        headings = column_labels(app.screen)
        assert "No." in headings and "Name" in headings
        app.push_screen(IntakeScreen())
        await pilot.pause()
        app.screen.query_one("#intake-subject", Input).value = "积分怎么兑换？"
        app.screen.query_one("#intake-name", Input).value = "赵先生"
        app.screen.query_one("#intake-contact", Input).value = "abc!!"
        assert "Customer name" in [str(w.render()) for w in app.screen.query(Label)]
        await pilot.press("ctrl+s")
        await settle(app)
        await pilot.pause()
        contact = next(f for f in app.screen.query(Field) if f.field == "customer_contact")
        refused = str(contact.query_one(".field-error").render())
        assert contact.has_class("-invalid") and "abc!!" in refused

        await choose_in_palette(pilot, settle, "zh_CN")
        intake = app.screen
        assert isinstance(intake, IntakeScreen)
        labels = [str(w.render()) for w in intake.query(Label)]
        assert "客户姓名" in labels and "主题" in labels and "Customer name" not in labels
        assert "保存" in footer_text(intake) and "Save" not in footer_text(intake)
        greeting = str(intake.query_one("#intake-greeting").render())
        # The whole greeting, number and all, not only its catalogue-held head.
        assert greeting.startswith("请说：您好，客服1101号为您服务") and "Hello" not in greeting
        # The refusal quoted what was typed, so no catalogue turns it over: it is not left in English.
        still = str(contact.query_one(".field-error").render())
        assert contact.has_class("-invalid") and still != refused and not re.search("[A-Za-z]{3}", still)
        assert intake.query_one("#intake-subject", Input).value == "积分怎么兑换？"
        assert intake.query_one("#intake-name", Input).value == "赵先生"

        # Home, under it, speaks Chinese too once the person goes back.
        app.pop_screen()
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "点名" in str(app.screen.query_one("#home-goto").render())  # the area keys row
        assert "我的工单" in str(app.screen.query_one("#home-tickets-title").render())

        assert "工号" in column_labels(app.screen)
        await choose_in_palette(pilot, settle, "en")
        # 工号 stands for several English words; each heading gets its own back.
        assert column_labels(app.screen) == headings
        assert "Roll call" in str(app.screen.query_one("#home-goto").render())
        assert "My tickets" in str(app.screen.query_one("#home-tickets-title").render())

    drive(app, scenario)


def test_the_language_command_is_offered_to_every_signed_in_role(isolated_commands):
    from csdesk.screens import commands

    commands.load_area_modules()
    for role in Role:
        assert [c.title for c in commands.commands_offered("language", SimpleNamespace(role=role))] == [
            "Language / 语言"
        ]
    assert commands.commands_offered("language", None) == []


def test_textuals_own_palette_commands_speak_chinese_too(stub_app, drive, english_afterwards):
    app = stub_app()
    i18n.install_language("zh_CN")

    async def scenario(pilot):
        titles = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert titles["退出"] == "立即退出程序"
        assert "主题配色" in titles and "Quit" not in titles

    drive(app, scenario)
