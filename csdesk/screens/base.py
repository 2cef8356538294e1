"""What every desk screen shares: the navigation keys, service calls, "why?" and live data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, on
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from csdesk.i18n import N_
from csdesk.screens.service_worker import OnDone, OnError, run_service
from csdesk.widgets.bindings import TranslatedBindings
from csdesk.widgets.form import Field, FreshState, clear_field_errors, remember_fresh, restore_fresh
from csdesk.widgets.live import DataChanged
from csdesk.widgets.why import WhyModal

if TYPE_CHECKING:
    from textual.app import App

    from csdesk.screens.kit.desk_app import DeskApp

R = TypeVar("R")
ResultT = TypeVar("ResultT")


class DeskNode:
    """What the desk's screens and modals share: the app as they ask it for the desk, and
    service calls whose workers die with them. A mixin after Textual's own class, so that it
    changes nothing Textual reads from the class (its styles, its bindings)."""

    if TYPE_CHECKING:

        @property
        def app(self) -> App[Any]: ...

    @property
    def desk_app(self) -> DeskApp:
        """The app as a screen asks it for the desk: who is signed in, the centre, services."""
        return cast("DeskApp", self.app)

    def run_service(
        self,
        target: Callable[..., R],
        *args: Any,
        on_done: OnDone[R] | None = None,
        on_error: OnError | None = None,
        group: str = "service",
        exclusive: bool = False,
        **kwargs: Any,
    ) -> Worker[None]:
        """See :func:`csdesk.screens.service_worker.run_service`."""
        return run_service(
            cast(DOMNode, self),
            target,
            *args,
            on_done=on_done,
            on_error=on_error,
            group=group,
            exclusive=exclusive,
            **kwargs,
        )

    def language_changed(self) -> None:
        """After a switch of language, once every catalogue text on the screen is retranslated.

        Screens that show texts with numbers or names in them, which no catalogue holds,
        write those again here.
        """
        for field in cast(DOMNode, self).query(Field):
            field.language_changed()


class DeskScreen(TranslatedBindings, Screen[Any], DeskNode):
    """Base for every full screen of the desk.

    Subclasses get ``?`` help, ``Esc`` back, ``/`` filter (when the screen has
    a FilterBar), ``w`` why (when something on screen has rule IDs), and
    ``self.run_service(...)``. Override ``why_rule_ids`` to answer "why?" for
    what is highlighted, and handle ``on_data_changed`` to reload what is shown.
    """

    BINDINGS = [
        Binding("question_mark", "help", N_("Help"), id="help"),
        # Shown only while an input has focus and "?" types itself instead.
        Binding("f1", "help", N_("Help"), id="help-f1"),
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("slash", "filter", N_("Filter"), id="filter"),
        Binding("w", "why", N_("Why"), id="why"),
    ]

    # The data version this screen last showed, so a screen coming back into
    # view after others changed the data reloads once.
    seen_version: int | None = None
    # The tables whose changes this screen shows; None: any change may. A screen naming
    # them is not reloaded when the centre changes something else (csdesk.widgets.live).
    # tests/ui/test_watched_tables.py checks that each screen naming them reads no other.
    watches: ClassVar[frozenset[str] | None] = None
    # Seconds between readings afresh while in view, for a screen showing times that move
    # on with no commit (an SLA's minutes left): a desk where nothing it shows changes
    # would otherwise show the minutes the last change left there.
    clock_refresh: ClassVar[float | None] = None
    # A list or a view the palette builds once and shows again on the next opening
    # (csdesk.screens.registry). Only for screens whose on_data_changed reloads all
    # they show: that is what brings them up to date when they are opened again.
    # Forms are kept as DeskForm, which starts them afresh instead.
    kept_between_openings: ClassVar[bool] = False
    _reload_on_resume = False

    # The stylesheet's rules this screen was last styled with, and whether it is being
    # shown again by the palette rather than opened for the first time.
    _styled_with: object = None
    _shown_again = False

    def reopen(self) -> None:
        """Opened again from the palette: what it shows is read afresh once it is in view,
        since times (an SLA's minutes left) move on even when no data does."""
        self._reload_on_resume = True

    def shown_again(self) -> None:
        """About to be shown again by the palette, as it was built (see ``_keep_styles``)."""
        self._shown_again = True

    @on(events.Mount)
    def _start_clock_refresh(self) -> None:
        if self.clock_refresh is not None:
            self.set_interval(self.clock_refresh, self._clock_moved, name="clock-refresh")

    def _clock_moved(self) -> None:
        if self.is_current:
            self.post_message(DataChanged(self.seen_version if self.seen_version is not None else 0))

    @on(events.ScreenResume)
    def _keep_styles(self, event: events.ScreenResume) -> None:
        # Textual styles every widget of a screen afresh each time it is pushed, which was
        # most of showing a kept screen again. Its styles are still right unless the
        # stylesheet changed meanwhile (a theme, a screen's CSS loaded): Textual parses a
        # new list of rules then.
        rules = self.app.stylesheet.rules
        if self._shown_again and self._styled_with is rules:
            event.refresh_styles = False
        self._shown_again = False
        self._styled_with = rules

    def why_rule_ids(self) -> Sequence[str]:
        """Rule IDs behind what the person is looking at; the last refusal by default."""
        focused = self.focused
        own = getattr(focused, "why_rule_ids", None)
        if callable(own) and (ids := own()):
            return tuple(ids)
        return self.desk_app.last_refusal_rule_ids

    def unsaved_work(self) -> str | None:
        """The question to ask before quitting would throw away what was typed; None: nothing is."""
        return None

    def can_go_back(self) -> bool:
        # The stack is sign-in, home, then wherever the person went: Esc on home
        # would sign them out by accident, so that is a command instead.
        return len(self.app.screen_stack) > 2

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "why":
            return bool(self.why_rule_ids())
        if action == "filter":
            # By its name: the sign-in screen, painted first, has no table to load DataTable for.
            return bool(self.query("FilterBar"))
        if action == "back":
            return self.can_go_back()
        return True

    def action_help(self) -> None:
        from csdesk.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_back(self) -> None:
        if self.can_go_back():
            self.dismiss()

    def action_filter(self) -> None:
        from csdesk.widgets.filter_bar import FilterBar

        bars = self.query(FilterBar)
        if bars:
            bars.first().open()

    def action_why(self) -> None:
        rule_ids = self.why_rule_ids()
        if rule_ids:
            self.app.push_screen(WhyModal(rule_ids))

    def on_screen_resume(self) -> None:
        live = self.desk_app.live
        if self._reload_on_resume:
            self._reload_on_resume = False
            version = live.version if live is not None and live.version is not None else self.seen_version
            self.post_message(DataChanged(version if version is not None else 0))
            return
        if live is None or live.version is None:
            return
        if self.seen_version is None:
            # First showing: the screen loads what it shows anyway.
            self.seen_version = live.version
        elif live.version != self.seen_version:
            if self.watches is not None:
                moved = live.moved_since(self.seen_version)
                if moved is not None and moved.isdisjoint(self.watches):
                    self.seen_version = live.version  # nothing it shows changed meanwhile
                    return
            self.post_message(DataChanged(live.version))

    def on_data_changed(self, message: DataChanged) -> None:
        self.seen_version = message.version


class DeskForm(DeskScreen):
    """A form the palette keeps between openings, as building one costs far more than clearing it.

    Every opening shows it as newly built, never what the last opening left in it: the values
    it was built with, no refusal under a field, choices read afresh (people and shifts change),
    the first field focused. Subclasses do what each opening needs in ``start_form`` rather than
    ``on_mount``, and clear their own bookkeeping (an answer shown, a save under way) there too.
    """

    kept_between_openings = True
    _fresh: FreshState | None = None

    def on_mount(self) -> None:
        self.start_form()
        self._fresh = remember_fresh(self)

    def start_form(self) -> None:
        """What every opening does once the fields are in place: load choices, say the first hint, focus."""

    def reopen(self) -> None:
        # Not read again on resume as a list is: start_form reads what the form offers.
        self.reset_form()

    def reset_form(self) -> None:
        # What the last opening still waited for belongs to it, as to a form thrown away.
        self.workers.cancel_node(self)
        clear_field_errors(self)
        if self._fresh is not None:
            restore_fresh(self._fresh)
        self.start_form()


class DeskModal(TranslatedBindings, ModalScreen[ResultT], DeskNode):
    """Base for the desk's modals: the signed-in app, typed, and ``self.run_service(...)``."""
