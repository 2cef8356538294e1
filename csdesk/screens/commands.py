"""The command palette: one provider per area, fed by a small registry.

An area screen registers what it offers in one line, at import time::

    register_command("leave", N_("Approve leave"), N_("Requests waiting for you"),
                     screen=LeaveQueueScreen, roles=LEADER_ROLES)

Only commands the signed-in role may use are offered; before sign-in none are.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from csdesk.i18n import _
from csdesk.rules.vocab import Role

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


@dataclass(frozen=True)
class DeskCommand:
    area: str
    title: str  # English source, translated when shown
    help: str
    run: Callable[[App[Any]], Any]
    roles: frozenset[Role] | None  # None: everyone signed in

    def allowed_for(self, role: Role | None) -> bool:
        if role is None:
            return False
        return self.roles is None or role in self.roles


_registry: list[DeskCommand] = []


def register_command(
    area: str,
    title: str,
    help: str = "",
    *,
    screen: Callable[[], Screen[Any]] | None = None,
    action: Callable[[App[Any]], Any] | None = None,
    roles: Iterable[Role] | None = None,
) -> DeskCommand:
    """Offer ``title`` in the palette: push ``screen()`` or call ``action(app)``."""
    if (screen is None) == (action is None):
        raise ValueError("give exactly one of screen= or action=")
    run = action if action is not None else partial(_push, screen)
    command = DeskCommand(area, title, help, run, None if roles is None else frozenset(roles))
    _registry[:] = [c for c in _registry if (c.area, c.title) != (area, title)]
    _registry.append(command)
    return command


def _push(factory: Callable[[], Screen[Any]], app: App[Any]) -> None:
    app.push_screen(factory())


def commands_for(area: str, role: Role | None) -> list[DeskCommand]:
    return [c for c in _registry if c.area == area and c.allowed_for(role)]


def areas() -> list[str]:
    return list(dict.fromkeys(c.area for c in _registry))


@cache
def load_area_modules() -> None:
    """Import every screen module once so their register_command lines have run."""
    import csdesk.screens as package

    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)


class AreaProvider(Provider):
    """Palette commands of one area; subclasses only set AREA."""

    AREA: str = ""

    def _allowed(self) -> list[DeskCommand]:
        actor = getattr(self.app, "actor", None)
        return commands_for(self.AREA, getattr(actor, "role", None))

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
