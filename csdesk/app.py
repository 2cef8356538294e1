"""The desk's Textual application and the one factory that builds it.

Nothing here imports the store: the first screen paints first, and the
database and services are loaded by the first worker that needs them.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from textual.app import App, SystemCommand, get_system_commands_provider
from textual.binding import Binding
from textual.screen import Screen

from csdesk.i18n import N_, _, install_language
from csdesk.screens.commands import area_providers
from csdesk.screens.signin import SignInScreen
from csdesk.widgets.live import LiveRefresh, PollingFeed

DeskFactory = Callable[[], Any]

# Textual's own palette commands, so they read in the desk's language too.
SYSTEM_COMMAND_WORDS = (
    N_("Theme"), N_("Change the current theme"), N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
)


class CsdeskApp(App[None]):
    CSS_PATH = ["app.tcss", "widgets/widgets.tcss"]
    TITLE = "csdesk"
    # A mode (rather than get_default_screen) so the sign-in screen's CSS_PATH is loaded.
    MODES = {"desk": SignInScreen}
    DEFAULT_MODE = "desk"
    BINDINGS = [
        # Shown at the right of every footer by Footer itself, hence show=False.
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True, id="palette"),
        # Moved as each key arrives, so keys typed right after Tab land in the next field
        # rather than in the one being left (a fast typist's burst loses nothing).
        Binding("tab", "focus_next", show=False, priority=True, id="focus-next"),
        Binding("shift+tab", "focus_previous", show=False, priority=True, id="focus-previous"),
    ]

    def __init__(
        self,
        settings: Any,
        db: Any = None,
        *,
        desk_factory: DeskFactory | None = None,
        services: Mapping[str, Callable[..., Any]] | None = None,
        home: Callable[[], Screen[Any]] | None = None,
    ) -> None:
        super().__init__()
        self._home = home
        self.settings = settings
        self._db = db
        self._desk_factory = desk_factory or (lambda: open_desk(settings, db))
        self._desk: Any = None
        self._desk_lock = threading.Lock()
        self._services = dict(services or {})
        self.actor: Any = None
        self.live: LiveRefresh | None = None
        self.last_refusal_rule_ids: tuple[str, ...] = ()

    # The palette asks for providers each time it opens, so commands registered by
    # screen modules and the signed-in role are both current.
    @property
    def COMMANDS(self) -> set[Any]:  # type: ignore[override]  # noqa: N802
        return {get_system_commands_provider, *area_providers()}

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def on_mount(self) -> None:
        # Open the store while the person types their number, so sign-in is quick.
        self.run_worker(self._warm_up, name="open-desk", thread=True, exit_on_error=False)

    def _warm_up(self) -> None:
        try:
            self.open_desk()
        except Exception:  # noqa: BLE001 - the sign-in call will report it properly
            pass

    # -- used from worker threads ---------------------------------------------------

    def open_desk(self) -> Any:
        """The Desk every service takes; built once, on first use, off the UI thread."""
        with self._desk_lock:
            if self._desk is None:
                self._desk = self._desk_factory()
            return self._desk

    def resolve_service(self, target: str | Callable[..., Any]) -> Callable[..., Any]:
        if callable(target):
            return target
        if target in self._services:
            return self._services[target]
        module_name, _, function = target.rpartition(".")
        module = importlib.import_module(f"csdesk.services.{module_name}")
        return getattr(module, function)

    # -- session --------------------------------------------------------------------

    def signed_in(self, actor: Any) -> None:
        from csdesk.screens.home import HomeScreen

        home = self._home or HomeScreen
        self.actor = actor
        self.last_refusal_rule_ids = ()
        self.live = LiveRefresh(self, self._change_feed())
        self.live.start()
        self.push_screen(home())

    def sign_out(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
        self.actor = None
        self.last_refusal_rule_ids = ()
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def remember_refusal(self, rule_ids: tuple[str, ...]) -> None:
        self.last_refusal_rule_ids = rule_ids
        self.screen.refresh_bindings()

    def _data_version(self) -> int:
        return int(self.open_desk().db.data_version())

    def _change_feed(self) -> Any:
        # PostgreSQL pushes changes (LISTEN/NOTIFY); SQLite's change counter is polled.
        db = self.open_desk().db
        if getattr(db, "is_postgresql", False) is True:
            return db.change_feed()
        return PollingFeed(self._data_version)


def open_desk(settings: Any, db: Any = None) -> Any:
    from csdesk.db import open_database
    from csdesk.policy import load_policy
    from csdesk.services.base import Desk

    if db is None:
        db = open_database(settings.db_url)
    return Desk(db=db, policy=load_policy(settings.policy_path))


def make_app(
    settings: Any,
    db: Any = None,
    *,
    desk_factory: DeskFactory | None = None,
    services: Mapping[str, Callable[..., Any]] | None = None,
    home: Callable[[], Screen[Any]] | None = None,
) -> CsdeskApp:
    """The desk for ``settings``; ``db`` reuses an open Database (the CLI's, or a test's).

    ``desk_factory``, ``services`` and ``home`` replace the store and the home
    screen for tests of one screen alone: ``services`` maps names such as
    ``"auth.sign_in"`` to functions.
    """
    install_language(getattr(settings, "lang", None))
    return CsdeskApp(settings, db, desk_factory=desk_factory, services=services, home=home)
