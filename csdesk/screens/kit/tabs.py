"""The same tab keys on every tabbed screen: ``[`` and ``]`` step through the tabs, ``1``..``9``
go to one by its place. A switch by key leaves the focus where the person keeps it: on the
tab bar if it was there, otherwise in the new tab's list, never in a list of a hidden tab.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane, Tabs

from csdesk.i18n import N_
from csdesk.screens.base import DeskScreen

TAB_KEYS = 9


def relabel_tab(tabbed: TabbedContent, tab_id: str, label: Text | str) -> None:
    """Give a tab a new label, such as a count that moved.

    Textual lays the whole screen out again for every new label. A label as wide as the
    last one is only drawn again: the tab bar, its underline and all below stay where they
    are. Counts move with every commit in the centre, on every desk watching them."""
    tab = tabbed.get_tab(tab_id)
    new = Content.from_text(label)
    if new.cell_length != tab.label.cell_length:
        tab.label = new
        return
    tab._label = new
    Static.update(tab, new, layout=False)


class TabbedScreen(DeskScreen):
    """A desk screen with one TabbedContent, and the tab keys every such screen shares."""

    # Not the tab bar, which comes first: the first tab's content takes the focus when shown.
    AUTO_FOCUS = None
    _tab_seen = False
    _tab_count_now: int | None = None

    BINDINGS = [
        Binding("left_square_bracket", "tab_step(-1)", N_("Previous tab"), id="tab-prev", show=False),
        Binding("right_square_bracket", "tab_step(1)", N_("Next tab"), id="tab-next", show=False),
        *(
            Binding(str(n), f"tab_number({n})", N_("Tab by its number"), id=f"tab-{n}", show=False)
            for n in range(1, TAB_KEYS + 1)
        ),
    ]

    def tab_ids(self) -> list[str]:
        """The ids of the panes that may be shown, in order."""
        found = self.query(TabbedContent)
        if not found:
            return []
        tabbed = found.first(TabbedContent)
        # A hidden pane is only out of view; a hidden tab is one the person does not have.
        return [pane.id for pane in tabbed.query(TabPane) if pane.id and tabbed.get_tab(pane.id).display]

    def _tab_count(self) -> int:
        """How many tabs the person has, worked out once for all the tab keys checked together.

        The footer asks about the eleven tab keys one after another, each time the keys
        may have changed; the count is kept until the desk's next message, no longer."""
        if self._tab_count_now is None:
            self._tab_count_now = len(self.tab_ids())
            self.call_next(self._forget_tab_count)
        return self._tab_count_now

    def _forget_tab_count(self) -> None:
        self._tab_count_now = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab_step":
            return self._tab_count() > 1
        if action == "tab_number":
            number = parameters[0]
            return isinstance(number, int) and number <= self._tab_count()
        return super().check_action(action, parameters)

    def action_tab_step(self, step: int) -> None:
        ids = self.tab_ids()
        if len(ids) < 2:
            return
        active = self.query_one(TabbedContent).active
        here = ids.index(active) if active in ids else 0
        self.show_tab(ids[(here + step) % len(ids)])

    def action_tab_number(self, number: int) -> None:
        ids = self.tab_ids()
        if 1 <= number <= len(ids):
            self.show_tab(ids[number - 1])

    def show_tab(self, pane_id: str) -> None:
        tabbed = self.query_one(TabbedContent)
        on_bar = isinstance(self.focused, Tabs)
        tabbed.active = pane_id
        if not on_bar:
            self.call_after_refresh(self.focus_in_tab)

    def focus_in_tab(self) -> None:
        """The first thing to work on in the tab on show (its list, usually)."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is None:
            return
        # A scrolling container is focusable too; the first field or list inside it is meant.
        found = [widget for widget in pane.query(Widget) if widget.focusable]
        chosen = next((w for w in found if not isinstance(w, ScrollableContainer)), found[0] if found else None)
        if chosen is not None:
            chosen.focus()

    def follow_tab(self) -> None:
        """Called when a tab came into view: the focus goes into it, unless the person is
        moving along the tab bar (the first tab shown always takes it: the bar only has it
        because it comes first)."""
        first = not self._tab_seen
        self._tab_seen = True
        if first or not isinstance(self.focused, Tabs):
            self.focus_in_tab()


__all__ = ["TAB_KEYS", "TabbedScreen"]
