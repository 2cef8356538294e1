"""The command palette: one provider per area of the desk.

The commands themselves are registered by ``csdesk.screens.catalogue`` in
``csdesk.screens.registry``, each naming what it opens without importing it,
so the palette and home are ready before any area's screens are loaded.
"""

from __future__ import annotations

from functools import cache, partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from csdesk.i18n import _
from csdesk.screens.registry import (
    DeskCommand,
    Target,
    _registry,
    areas,
    commands_offered,
    register_command,
)

__all__ = [
    "AreaProvider",
    "DeskPalette",
    "DeskCommand",
    "Target",
    "_registry",
    "area_providers",
    "areas",
    "commands_offered",
    "load_area_modules",
    "provider_for",
    "register_command",
]


def load_area_modules() -> None:
    """Register every command of the desk: the catalogue, not the screens it names."""
    import csdesk.screens.catalogue  # noqa: F401 - registers on first import


class AreaProvider(Provider):
    """Palette commands of one area; subclasses only set AREA."""

    AREA: str = ""

    def _allowed(self) -> list[DeskCommand]:
        return commands_offered(self.AREA, getattr(self.app, "actor", None))

    async def discover(self) -> Hits:
        for command in self._allowed():
            yield DiscoveryHit(_(command.title), partial(command.run, self.app), help=_(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._allowed():
            title = _(command.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(command.run, self.app),
                    text=title,
                    help=_(command.help),
                )


@cache
def provider_for(area: str) -> type[AreaProvider]:
    name = "".join(part.capitalize() for part in area.split()) + "Commands"
    return type(name, (AreaProvider,), {"AREA": area})


def area_providers() -> set[type[Provider]]:
    load_area_modules()
    return {provider_for(area) for area in areas()}


class DeskPalette(CommandPalette):
    """Textual's palette, saying it found nothing in the desk's language.

    Textual writes "No matches found" in English inside its countdown; the countdown is
    the same here but for the words (as Textual 8.2 has it; a test reads them in Chinese).
    """

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                # Nothing typed is browsing, not a search that failed.
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
