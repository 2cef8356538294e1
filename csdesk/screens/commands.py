"""The command palette: one provider per area of the desk.

The commands themselves are registered by ``csdesk.screens.catalogue`` in
``csdesk.screens.registry``, each naming what it opens without importing it,
so the palette and home are ready before any area's screens are loaded.
"""

from __future__ import annotations

from functools import cache, partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
