"""The knowledge base: the catalogue tree, an entry with its original and
its editorial history (KB-1), and the search agents use on a case (KB-2).

Editors receive notices (n), take an entry to its next step (a) and remove
it (x); only a director marks a notice read. ``/`` searches: from here it
opens the entry found, from a ticket it puts the answer into the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Static, TextArea, Tree

from csdesk.i18n import N_, _
from csdesk.rules.knowledge import (
    BODY_REQUIRED,
    NOTE_REQUIRED,
    KbState,
    may_see_drafts,
    roles_for,
    state_label,
)
from csdesk.rules.staff import Action
from csdesk.screens.base import DeskModal, DeskScreen
from csdesk.screens.kit.forms import FORMS_CSS, FormModal, refuse_for_role, role_may
from csdesk.screens.kit.services import knowledge
from csdesk.screens.kit.times import local
from csdesk.screens.kit.watched import KNOWLEDGE
from csdesk.text import clip
from csdesk.widgets.confirm import ConfirmModal, Reason
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field
from csdesk.widgets.live import DataChanged
from csdesk.widgets.plain_table import PlainTable

NOTE_LABELS = {
    KbState.CONFIRMED: N_("Who at the issuing department confirmed it"),
    KbState.REMOVED: N_("Reason for removing it"),
}
SEARCH_LIMIT = 20


# -- search: a modal used here and from a ticket ------------------------------------------


class KnowledgeSearchModal(DeskModal[Any]):
    """Type to search; Enter on a result answers with the whole entry (KB-2)."""

    CSS_PATH = "knowledge.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", N_("Close"), id="close"),
        Binding("slash", "search", N_("Search"), id="search"),
        Binding("down", "results", N_("Results"), id="results", show=False),
    ]

    def __init__(self, purpose: str = "") -> None:
        super().__init__()
        self.purpose = purpose
        self.lines: list[Any] = []
        # The search the results on show answer (None before the first).
        self.shown_query: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="kb-search-body") as body:
            body.border_title = _("Search the knowledge base")
            yield Input(placeholder=_("Words, or part of a Chinese phrase…"), id="kb-search-input")
            results: PlainTable = PlainTable(id="kb-search-results", cursor_type="row")
            results.add_column(_("Entry"), width=30, key="title")
            results.add_column(_("Catalogue"), width=16, key="catalogue")
            yield results
            yield Static("", id="kb-search-preview", markup=False)
            yield Static(Text(self.purpose or _("Enter opens the entry."), style="dim"), id="kb-search-hint")

    def on_mount(self) -> None:
        self.query_one("#kb-search-input", Input).focus()

    def action_search(self) -> None:
        self.query_one("#kb-search-input", Input).focus()

    def action_results(self) -> None:
        self.query_one("#kb-search-results", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "results":
            return self.focused is self.query_one("#kb-search-input") and bool(self.lines)
        if action == "search":
            return self.focused is not self.query_one("#kb-search-input")
        return True

    @on(Input.Changed, "#kb-search-input")
    def _typed(self, event: Input.Changed) -> None:
        query = event.value
        self.run_service(
            knowledge.search_knowledge,
            self.desk_app.actor,
            query,
            SEARCH_LIMIT,
            on_done=lambda lines: self._show(lines, query),
            group="kb-search",
            exclusive=True,
        )

    @on(Input.Submitted, "#kb-search-input")
    def _submitted(self) -> None:
        if self.lines:
            self.action_results()

    def _show(self, lines: Sequence[Any], query: str) -> None:
        self.lines = list(lines)
        self.shown_query = query
        table = self.query_one("#kb-search-results", DataTable)
        table.clear()
        for line in self.lines:
            table.add_row(clip(line.title, 30), clip(line.catalogue, 16), key=str(line.id))
        preview = self.query_one("#kb-search-preview", Static)
        if not self.lines:
            preview.update(_("Nothing found.") if query.strip() else "")
        else:
            self._preview(0)
        self.refresh_bindings()

    def _preview(self, index: int) -> None:
        if 0 <= index < len(self.lines):
            line = self.lines[index]
            text = line.snippet
            if line.state is not KbState.PUBLISHED:
                text = f"[{state_label(line.state)}] {text}"
            self.query_one("#kb-search-preview", Static).update(text)

    @on(DataTable.RowHighlighted, "#kb-search-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview(event.cursor_row)

    @on(DataTable.RowSelected, "#kb-search-results")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not 0 <= event.cursor_row < len(self.lines):
            return
        self.run_service(
            knowledge.entry_detail, self.desk_app.actor, self.lines[event.cursor_row].id, on_done=self.dismiss
        )


# -- editorial forms -----------------------------------------------------------------------


class ReceiveNoticeModal(FormModal):
    """KB-1: a business notice arrives; it is pasted exactly as received."""

    CSS_PATH = [FORMS_CSS, "knowledge.tcss"]
    title_text = N_("Receive a notice")

    def __init__(self, catalogue: str = "") -> None:
        super().__init__(None)
        self.catalogue = catalogue

    def fields(self) -> ComposeResult:
        yield Field("title", _("Title"), Input(id="kb-new-title"))
        yield Field(
            "catalogue",
            _("Catalogue (levels separated by /)"),
            Input(self.catalogue, placeholder="Billing/Refunds", id="kb-new-catalogue"),
        )
        yield Field("source", _("Issuing department"), Input(id="kb-new-source"))
        yield Field(
            "original", _("The notice as received (kept unchanged)"), TextArea(id="kb-new-original", soft_wrap=True)
        )

    def on_mount(self) -> None:
        self.query_one("#kb-new-title", Input).focus()

    def submit_label(self) -> str:
        return _("Receive")

    def submit(self) -> None:
        self.call(
            knowledge.receive_notice,
            self.query_one("#kb-new-title", Input).value,
            self.query_one("#kb-new-original", TextArea).text,
            self.query_one("#kb-new-catalogue", Input).value,
            source=self.query_one("#kb-new-source", Input).value,
        )


class AdvanceModal(FormModal):
    """KB-1: the next step, with what it must record."""

    CSS_PATH = [FORMS_CSS, "knowledge.tcss"]
    title_text = N_("Next editorial step")

    def fields(self) -> ComposeResult:
        view = self.view
        target = view.next_state
        yield Static(
            Text(_("{now} → {next}").format(now=state_label(view.state), next=state_label(target)), style="bold"),
            id="kb-advance-route",
        )
        if target in BODY_REQUIRED or target in (KbState.UNDERSTOOD, KbState.MATERIAL_COLLECTED):
            label = _("Answer in words a customer understands") if target is KbState.REWRITTEN else _("Entry text")
            yield Field("body", label, TextArea(view.body, id="kb-advance-body", soft_wrap=True))
        note = _(NOTE_LABELS[target]) if target in NOTE_REQUIRED else _("Note (optional)")
        yield Field("note", note, Input(id="kb-advance-note"))

    def on_mount(self) -> None:
        bodies = self.query("#kb-advance-body")
        (bodies.first() if bodies else self.query_one("#kb-advance-note")).focus()

    def submit_label(self) -> str:
        return _("Publish") if self.view.next_state is KbState.PUBLISHED else _("Done")

    def submit(self) -> None:
        bodies = self.query("#kb-advance-body")
        body = bodies.first(TextArea).text if bodies else None
        self.call(
            knowledge.advance_entry,
            self.view.id,
            self.view.next_state.value,
            note=self.query_one("#kb-advance-note", Input).value,
            body=body,
        )


# -- the screen -------------------------------------------------------------------------------


class KnowledgeScreen(DeskScreen):
    watches = KNOWLEDGE
    CSS_PATH = "knowledge.tcss"
    kept_between_openings = True
    BINDINGS = [
        Binding("slash", "search", N_("Search"), id="search"),
        Binding("n", "receive", N_("New notice"), id="receive"),
        Binding("a", "advance", N_("Next step"), id="advance"),
        Binding("x", "remove", N_("Remove"), id="remove"),
        Binding("o", "original", N_("Original"), id="original"),
    ]

    def __init__(self, *, search_first: bool = False) -> None:
        super().__init__()
        self.view: Any = None
        self.show_original = False
        self.search_first = search_first

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="kb-main"):
            tree: Tree[Any] = Tree(_("Knowledge base"), id="kb-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="kb-entry"):
                yield Static(_("Choose an entry in the catalogue, or press / to search."), id="kb-entry-head")
                yield Static("", id="kb-entry-body", markup=False)
                yield Static("", id="kb-entry-original", markup=False)
                yield Static("", id="kb-history")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#kb-tree").border_title = _("Catalogue")
        self.load()
        self.query_one("#kb-tree", Tree).focus()
        if self.search_first:
            self.action_search()

    # -- the tree ---------------------------------------------------------------------------

    def load(self) -> None:
        self.run_service(
            knowledge.catalogue_tree, self.desk_app.actor, on_done=self._show_tree, group="kb-tree", exclusive=True
        )

    def _show_tree(self, counts: Sequence[Any]) -> None:
        tree = self.query_one("#kb-tree", Tree)
        tree.clear()
        nodes: dict[str, Any] = {}
        for count in counts:
            parent = tree.root
            path = ""
            for part in count.path.split("/"):
                path = f"{path}/{part}" if path else part
                if path not in nodes:
                    nodes[path] = parent.add(part, data=("catalogue", path))
                parent = nodes[path]
            parent.set_label(Text(f"{parent.label} ({count.entries})"))
            # Its entries are loaded when it is opened.
            parent.data = ("entries", count.path)
            parent.allow_expand = True
        if not counts:
            tree.root.add_leaf(_("No entries yet."))
        for node in tree.root.children:
            node.expand()

    @on(Tree.NodeExpanded, "#kb-tree")
    def _expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        data = event.node.data
        if not data or data[0] != "entries":
            return
        node = event.node
        node.data = ("catalogue", data[1])  # loaded once

        def show(lines: Sequence[Any]) -> None:
            for line in lines:
                label = Text(clip(line.title, 40))
                if line.state is not KbState.PUBLISHED:
                    label.append(f" · {state_label(line.state)}", style="dim")
                node.add_leaf(label, data=("entry", line.id))

        self.run_service(knowledge.entries_in, self.desk_app.actor, data[1], 0, 100, on_done=show)

    @on(Tree.NodeSelected, "#kb-tree")
    def _selected(self, event: Tree.NodeSelected[Any]) -> None:
        data = event.node.data
        if data and data[0] == "entry":
            self.open_entry(data[1])

    # -- the entry --------------------------------------------------------------------------

    def open_entry(self, entry_id: int) -> None:
        self.run_service(
            knowledge.entry_detail,
            self.desk_app.actor,
            entry_id,
            on_done=self.show_entry,
            group="kb-entry",
            exclusive=True,
        )

    def show_entry(self, view: knowledge.KnowledgeView) -> None:
        self.view = view
        zone = self.desk_app.zone
        head = Text(view.title, style="bold")
        head.append("\n" + view.catalogue, style="dim")
        head.append("  ·  " + state_label(view.state), style="green" if view.state is KbState.PUBLISHED else "yellow")
        if view.next_state is not None and self._may_take(view.next_state):
            head.append("  " + _("next: {step} (a)").format(step=state_label(view.next_state)), style="dim")
        self.query_one("#kb-entry-head", Static).update(head)
        self.query_one("#kb-entry-body", Static).update(view.body or _("(no text entered yet)"))
        original = self.query_one("#kb-entry-original", Static)
        original.display = self.show_original or not view.body
        original.update(_("Original notice:") + "\n" + view.original)
        self.query_one("#kb-history", Static).update(self._history_text(view, zone))
        self.refresh_bindings()

    def _history_text(self, view: Any, zone: Any) -> Text:
        """KB-1: each step from its start to the start of the next."""
        text = Text(_("Editorial steps"), style="bold")
        for step in view.history:
            end = local(step.ended_at, zone) if step.ended_at else _("now")
            text.append(f"\n{local(step.started_at, zone)} → {end}  ", style="dim")
            text.append(state_label(step.state))
            who = step.by + (f" — {step.note}" if step.note else "")
            if who:
                text.append(f"\n    {who}", style="dim")
        return text

    # -- actions -------------------------------------------------------------------------------

    def _may_take(self, target: KbState) -> bool:
        actor = self.desk_app.actor
        return actor is not None and actor.role in roles_for(target)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.desk_app.actor
        if action == "receive":
            return role_may(self, Action.EDIT_KNOWLEDGE)
        if action in ("advance", "remove", "original"):
            if self.view is None or actor is None or not may_see_drafts(actor.role):
                return action == "original" and self.view is not None
            if action == "advance":
                target = self.view.next_state
                return None if target is None else (True if self._may_take(target) else None)
            if action == "remove":
                return self.view.state is not KbState.REMOVED and self._may_take(KbState.REMOVED)
        return super().check_action(action, parameters)

    def why_rule_ids(self) -> Sequence[str]:
        refused = self.desk_app.last_refusal_rule_ids
        return refused or ("KB-1", "KB-2")

    def action_search(self) -> None:
        def chosen(view: Any) -> None:
            if view is not None:
                self.show_entry(view)

        self.app.push_screen(KnowledgeSearchModal(), chosen)

    def _changed(self, view: Any, message: str) -> None:
        if view is None:
            return
        self.desk_app.last_refusal_rule_ids = ()
        self.show_entry(view)
        self.load()
        self.notify(message)

    def action_receive(self) -> None:
        if not refuse_for_role(self, Action.EDIT_KNOWLEDGE):
            return
        catalogue = self.view.catalogue if self.view is not None else ""
        self.app.push_screen(
            ReceiveNoticeModal(catalogue),
            lambda v: self._changed(
                v, _("Notice received as entry #{id}; a director reads it next.").format(id=v.id) if v else ""
            ),
        )

    def action_advance(self) -> None:
        if self.view is None or self.view.next_state is None:
            return
        self.app.push_screen(
            AdvanceModal(self.view),
            lambda v: self._changed(
                v, _("Entry #{id}: {step}.").format(id=v.id, step=state_label(v.state)) if v else ""
            ),
        )

    def action_remove(self) -> None:
        view = self.view
        if view is None:
            return

        def answered(confirmed: Any) -> None:
            if confirmed is not None:
                self.run_service(
                    knowledge.remove_entry,
                    self.desk_app.actor,
                    view.id,
                    confirmed.reason,
                    on_done=lambda v: self._changed(
                        v, _("Entry #{id} removed; it is kept with its history.").format(id=v.id)
                    ),
                )

        self.app.push_screen(
            ConfirmModal(
                _("Remove entry"),
                _("Remove “{title}”? Agents will no longer find it; it is kept with its history (KB-1).").format(
                    title=view.title
                ),
                confirm_label=_("Remove"),
                destructive=True,
                reason=Reason.REQUIRED,
            ),
            answered,
        )

    def action_original(self) -> None:
        self.show_original = not self.show_original
        if self.view is not None:
            self.show_entry(self.view)

    def on_data_changed(self, message: DataChanged) -> None:
        super().on_data_changed(message)
        self.load()
        if self.view is not None:
            self.open_entry(self.view.id)
