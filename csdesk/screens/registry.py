"""Every command of the desk: what it opens, and who may use it.

Commands are registered once, by ``csdesk.screens.catalogue``, naming what they
open as ``"package.module:name"`` so that no area's screens are imported before
someone opens that area::

    register_command("fines", N_("Record a fine"), N_("Book a fine by rule, amount shown first"),
                     screen="csdesk.screens.fines:FineForm", roles=who_may(Action.RECORD_FINE))

A callable works too, for a command whose module is loaded anyway. Only
commands the signed-in role may use are offered; before sign-in none are. The
palette (``csdesk.screens.commands``) and home's "Go to" row read them here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from csdesk.rules.vocab import Role

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


@dataclass(frozen=True)
class Target:
    """``"package.module:name"``, imported only when called; ``args`` and
    ``kwargs`` go before whatever the call adds."""

    path: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    @property
    def module(self) -> str:
        return self.path.partition(":")[0]

    def resolve(self) -> Any:
        module, _sep, name = self.path.partition(":")
        return getattr(importlib.import_module(module), name)

    def __call__(self, *more: Any) -> Any:
        return self.resolve()(*self.args, *more, **dict(self.kwargs))


@dataclass(frozen=True)
class DeskCommand:
    area: str
    title: str  # English source, translated when shown
    help: str
    run: Callable[[App[Any]], Any]
    roles: frozenset[Role] | None  # None: everyone signed in
    owner: str = ""  # the module defining what the command opens, known without importing it
    # Who among those roles it is offered to, when the role alone does not say.
    audience: Callable[[Any], bool] | None = None

    def allowed_for(self, role: Role | None) -> bool:
        if role is None:
            return False
        return self.roles is None or role in self.roles

    def offered_to(self, actor: Any) -> bool:
        if not self.allowed_for(getattr(actor, "role", None)):
            return False
        return self.audience is None or self.audience(actor)


_registry: list[DeskCommand] = []


def _target(
    given: str | Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any] | None
) -> tuple[Callable[..., Any], str]:
    if isinstance(given, str):
        if given.count(":") != 1:
            raise ValueError(f"{given!r}: name the target as 'package.module:name'")
        target = Target(given, tuple(args), tuple((kwargs or {}).items()))
        return target, target.module
    owner = getattr(given, "__module__", "") or ""
    if args or kwargs:
        given = partial(given, *args, **(kwargs or {}))
    return given, owner


def register_command(
    area: str,
    title: str,
    help: str = "",
    *,
    screen: str | Callable[..., Screen[Any]] | None = None,
    action: str | Callable[[App[Any]], Any] | None = None,
    roles: Iterable[Role] | None = None,
    audience: Callable[[Any], bool] | None = None,
    args: tuple[Any, ...] = (),
    kwargs: Mapping[str, Any] | None = None,
) -> DeskCommand:
    """Offer ``title`` in the palette: push ``screen(*args, **kwargs)`` or call ``action(app)``.

    ``screen`` and ``action`` are callables or ``"package.module:name"`` strings,
    imported when the command first runs.
    """
    if (screen is None) == (action is None):
        raise ValueError("give exactly one of screen= or action=")
    if action is not None:
        if args or kwargs:
            raise ValueError("args= and kwargs= are for screen=; an action is called with the app")
        run, owner = _target(action, (), None)
    else:
        assert screen is not None
        factory, owner = _target(screen, args, kwargs)
        run = partial(_push, factory, f"{KEPT_PREFIX}{area}:{title}")
    command = DeskCommand(area, title, help, run, None if roles is None else frozenset(roles), owner, audience)
    _registry[:] = [c for c in _registry if (c.area, c.title) != (area, title)]
    _registry.append(command)
    return command


# Names under which screens kept between openings are installed in the app.
KEPT_PREFIX = "kept:"
_kept: WeakKeyDictionary[App[Any], set[str]] = WeakKeyDictionary()


def _push(factory: Callable[[], Screen[Any]], name: str, app: App[Any]) -> None:
    """Open the command's screen. A screen that says it may be kept
    (``kept_between_openings``) is built once and shown again on the next opening,
    refreshed with what changed meanwhile: building a screen (styles, mounting) costs
    far more than reading its data."""
    if app.is_screen_installed(name):
        kept = app.get_screen(name)
        if kept not in app.screen_stack:
            for hook in ("shown_again", "reopen"):
                call = getattr(kept, hook, None)
                if callable(call):
                    call()
            app.push_screen(kept)
            return
        # Already open further down: a second one on top, as any other screen.
        app.push_screen(factory())
        return
    screen = factory()
    if getattr(screen, "kept_between_openings", False):
        app.install_screen(screen, name)
        _kept.setdefault(app, set()).add(name)
    app.push_screen(screen)


def forget_kept_screens(app: App[Any]) -> None:
    """Drop the kept screens not on screen now: at sign-out (the next person must not
    see the last one's lists) and after a switch of language (they were drawn in the old one)."""
    names = _kept.get(app, set())
    for name in sorted(names):
        if not app.is_screen_installed(name):
            names.discard(name)
            continue
        screen = app.get_screen(name)
        if screen in app.screen_stack:
            continue
        app.uninstall_screen(name)
        names.discard(name)
        screen.remove()


def commands_offered(area: str, actor: Any) -> list[DeskCommand]:
    """The commands of ``area`` the signed-in ``actor`` is offered (none before sign-in)."""
    return [c for c in _registry if c.area == area and c.offered_to(actor)]


def areas() -> list[str]:
    return list(dict.fromkeys(c.area for c in _registry))
