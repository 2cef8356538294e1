"""The desk's Textual application and the one factory that builds it.

Nothing here imports the store: the first screen paints first, and the
database and services are loaded by the first worker that needs them.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, tzinfo
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.app import App, SystemCommand, get_system_commands_provider
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from csdesk.arenas import use_one_arena
from csdesk.collector import IdleCollector
from csdesk.i18n import N_, _, install_language
from csdesk.screens.commands import DeskPalette, area_providers
from csdesk.screens.kit.services import ServiceRef, service_name
from csdesk.screens.registry import forget_kept_screens
from csdesk.screens.service_worker import report_failure
from csdesk.screens.signin import SignInScreen
from csdesk.widgets.live import LiveRefresh, PollingFeed

if TYPE_CHECKING:
    from csdesk.policy import Policy
    from csdesk.services.base import Desk

DeskFactory = Callable[[], Any]
# A service is replaced by its qualified name ("csdesk.services.auth.sign_in") or by itself.
ServiceOverrides = Mapping[str | Callable[..., Any], Callable[..., Any]]
R = TypeVar("R")

# Textual's own palette commands, so they read in the desk's language too.
SYSTEM_COMMAND_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
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
        # Asks first when the screen holds unsent work, as Esc does.
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="quit"),
        # Not priority: inside a field "#" is typed like any character.
        Binding("number_sign", "find_ticket", N_("Open ticket #"), show=False, id="find-ticket"),
    ]

    def __init__(
        self,
        settings: Any,
        db: Any = None,
        *,
        desk_factory: DeskFactory | None = None,
        services: ServiceOverrides | None = None,
        home: Callable[[], Screen[Any]] | None = None,
    ) -> None:
        super().__init__()
        self._home = home
        self.settings = settings
        self._db = db
        self._desk_factory = desk_factory or (lambda: open_desk(settings, db))
        self._desk: Desk | None = None
        self._desk_lock = threading.Lock()
        self._services = {service_name(key): fn for key, fn in (services or {}).items()}
        self.actor: Any = None
        self.live: LiveRefresh | None = None
        self.last_refusal_rule_ids: tuple[str, ...] = ()
        self.collector = IdleCollector()
        self._home_screen: Screen[Any] | None = None
        self._collect_timer: Timer | None = None

    # The palette asks for providers each time it opens, so commands registered by
    # screen modules and the signed-in role are both current.
    @property
    def COMMANDS(self) -> set[Any]:  # type: ignore[override]  # noqa: N802
        return {get_system_commands_provider, *area_providers()}

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))

    def on_mount(self) -> None:
        # Open the store while the person types their number, so sign-in is quick; but only
        # once the sign-in screen is on the terminal: the store's imports would hold the
        # interpreter while it is being painted.
        self.call_after_refresh(self._start_warm_up)

    def _start_warm_up(self) -> None:
        self.run_worker(self._warm_up, name="open-desk", thread=True, exit_on_error=False)

    def _warm_up(self) -> None:
        try:
            desk = self.open_desk()
        except Exception as exc:  # noqa: BLE001 - said on the sign-in screen, and again at sign-in
            self.call_from_thread(self._tell_sign_in, exc)
            return
        warning = location_warning(desk)
        if warning:
            self.call_from_thread(self._tell_sign_in, warning)
        # Home's screen, services and tables, read while the person types their number and PIN:
        # read after the PIN, they were about half of the wait for home on a big centre.
        import_module("csdesk.screens.home").read_ahead()

    def _tell_sign_in(self, problem: Exception | str) -> None:
        """What stands between the desk and its database, said where the person is looking."""
        screen = self.screen_stack[0] if self.screen_stack else None
        if isinstance(screen, SignInScreen) and self.actor is None:
            screen.show_desk_problem(problem)

    # -- what screens read once the desk is open -----------------------------------------

    def _opened(self) -> Desk:
        desk = self._desk
        if desk is None:
            raise RuntimeError("the desk is not open yet: screens come after sign-in, which opens it")
        return desk

    @property
    def policy(self) -> Policy:
        """The centre's policy (its numbers, its time zone, its currency)."""
        return self._opened().policy

    @property
    def zone(self) -> tzinfo:
        """The centre's time zone: every time a person reads is its wall clock."""
        return self._opened().policy.zone

    def now(self) -> datetime:
        """The desk's clock: aware UTC (a test's or the demo's fixed clock, where it has one)."""
        return self._opened().now()

    def today(self) -> date:
        """The centre's date now."""
        return self.now().astimezone(self.zone).date()

    # -- used from worker threads ---------------------------------------------------

    def open_desk(self) -> Desk:
        """The Desk every service takes; built once, on first use, off the UI thread."""
        with self._desk_lock:
            if self._desk is None:
                self._desk = self._desk_factory()
            return self._desk

    def resolve_service(self, target: Callable[..., R]) -> Callable[..., R]:
        """The function to call for ``target``: a test's stand-in for it, else the service itself."""
        replaced = self._services.get(service_name(target))
        if replaced is not None:
            return replaced
        if isinstance(target, ServiceRef):
            return target.resolve()
        return target

    def call_service(self, target: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """``target(desk, *args, **kwargs)`` here and now: from a worker thread only."""
        return self.resolve_service(target)(self.open_desk(), *args, **kwargs)

    # -- session --------------------------------------------------------------------

    def signed_in(self, actor: Any) -> None:
        """Home for ``actor``; the sign-in service has opened the desk already."""
        self.actor = actor
        self.last_refusal_rule_ids = ()
        if self._desk is not None:
            self._enter()
            return

        # Signed in without the sign-in screen (a test, a benchmark): the desk opens first, off this thread.
        def open_then_enter() -> None:
            try:
                self.open_desk()
            except Exception as exc:  # noqa: BLE001 - said like any failed service call
                self.call_from_thread(report_failure, self, exc, None)
                return
            self.call_from_thread(self._enter)

        self.run_worker(open_then_enter, name="open-desk", thread=True, exit_on_error=False)

    def _enter(self) -> None:
        from csdesk.screens.home import HomeScreen

        home = self._home or HomeScreen
        self.live = LiveRefresh(self, self._change_feed, self._table_marks)
        self.live.start()
        self._home_screen = home()
        self.push_screen(self._home_screen)
        self.collector.may_freeze = self._only_lasting_screens
        self.collector.start()
        self._collect_timer = self.set_interval(0.25, self.collector.tick, name="idle-collect")

    def _stop_collecting(self) -> None:
        if self._collect_timer is not None:
            self._collect_timer.stop()
            self._collect_timer = None
        self.collector.stop()

    def on_unmount(self) -> None:
        self._stop_collecting()

    def run(self, *args: Any, **kwargs: Any) -> Any:
        # Before Textual starts the terminal's input thread, whose arena would come first.
        use_one_arena()
        return super().run(*args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.input_seen()
        await super().on_event(event)

    # A closed screen's widgets are garbage the next idle collection must reach; a kept
    # screen leaving the stack is not closed, it waits to be shown again.
    def pop_screen(self) -> AwaitComplete:
        leaving = self.screen
        closing = super().pop_screen()
        if not self.is_screen_installed(leaving):
            self.collector.screen_closed(lambda: closing.is_done)
        return closing

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        leaving = self.screen
        closing = super().switch_screen(screen)
        if not self.is_screen_installed(leaving):
            self.collector.screen_closed(lambda: closing.is_done)
        return closing

    def uninstall_screen(self, screen: Screen[Any] | str) -> str | None:
        # Taken down by whoever uninstalls it (csdesk.screens.registry): done once it stops running.
        if self.is_screen_installed(screen):
            leaving = weakref.ref(self.get_screen(screen) if isinstance(screen, str) else screen)
            self.collector.screen_closed(lambda: (left := leaving()) is None or not left.is_running, frozen=True)
        return super().uninstall_screen(screen)

    def _only_lasting_screens(self) -> bool:
        """True while every screen on the stack stays until sign-out: the ones under home,
        home, and the palette's kept screens. What a collection then leaves alive may be frozen."""
        stack = self.screen_stack
        home = self._home_screen
        lasting = stack.index(home) + 1 if home is not None and home in stack else len(stack)
        return all(self.is_screen_installed(screen) for screen in stack[lasting:])

    async def action_quit(self) -> None:
        question = getattr(self.screen, "unsaved_work", lambda: None)()
        if not question:
            self.exit()
            return
        from csdesk.widgets.confirm import ConfirmModal

        def answered(confirmed: Any) -> None:
            if confirmed is not None:
                self.exit()

        self.push_screen(
            ConfirmModal(_("Quit"), question, confirm_label=_("Throw away and quit"), destructive=True), answered
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find_ticket":
            # Only at the desk: not at sign-in, and not over a dialog.
            from csdesk.screens.base import DeskScreen

            return self.actor is not None and isinstance(self.screen, DeskScreen)
        return True

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        # Textual's own palette, with its prompt and its "nothing found" in the desk's language.
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(DeskPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_find_ticket(self) -> None:
        from csdesk.screens.search import FindTicketModal

        self.push_screen(FindTicketModal())

    def sign_out(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
        self._stop_collecting()
        self.actor = None
        self.last_refusal_rule_ids = ()
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._home_screen = None
        forget_kept_screens(self)

    def remember_refusal(self, rule_ids: tuple[str, ...]) -> None:
        self.last_refusal_rule_ids = rule_ids
        self.screen.refresh_bindings()

    def data_version_now(self) -> int | None:
        if self.live is None:
            return None
        try:
            return self._data_version()
        except Exception:  # noqa: BLE001 - without a version the screen reloads anyway
            return None

    def _data_version(self) -> int:
        return int(self.open_desk().db.data_version())

    def _table_marks(self) -> dict[str, int] | None:
        read = getattr(self.open_desk().db, "table_marks", None)
        return read() if callable(read) else None

    def _change_feed(self) -> Any:
        # Built in the live-refresh thread. PostgreSQL pushes changes (LISTEN/NOTIFY);
        # SQLite's change counter is polled.
        db = self.open_desk().db
        if getattr(db, "is_postgresql", False) is True:
            return db.change_feed()
        return PollingFeed(self._data_version)


def location_warning(desk: Any) -> str | None:
    """The warning about a database file on a network drive, which corrupts SQLite."""
    from csdesk.db import Database, location_warning

    db = getattr(desk, "db", None)
    return location_warning(db) if isinstance(db, Database) else None


def open_desk(settings: Any, db: Any = None) -> Any:
    from csdesk.policy import load_policy
    from csdesk.services.base import Desk
    from csdesk.store import open_database

    if db is None:
        db = open_database(settings.db_url)
    return Desk(db=db, policy=load_policy(settings.policy_path))


def make_app(
    settings: Any,
    db: Any = None,
    *,
    desk_factory: DeskFactory | None = None,
    services: ServiceOverrides | None = None,
    home: Callable[[], Screen[Any]] | None = None,
) -> CsdeskApp:
    """The desk for ``settings``; ``db`` reuses an open Database (the CLI's, or a test's).

    ``desk_factory``, ``services`` and ``home`` replace the store and the home
    screen for tests of one screen alone: ``services`` maps a service (``auth.sign_in``)
    or its qualified name (``"csdesk.services.auth.sign_in"``) to the function called
    in its place.
    """
    install_language(getattr(settings, "lang", None))
    return CsdeskApp(settings, db, desk_factory=desk_factory, services=services, home=home)
