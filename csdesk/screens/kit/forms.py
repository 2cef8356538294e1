"""Forms of the desk: a small modal that runs its service itself, a full-screen form, option
lists, and role checks that name the role.

Refusals land on the field at fault (``csdesk.widgets.form``); nothing here imports the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Select, Static

from csdesk.i18n import N_, _
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action, can
from csdesk.screens.base import DeskForm, DeskModal, DeskScreen
from csdesk.screens.kit.services import pickers
from csdesk.vocabulary import role_title
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.form import Field, clear_field_errors, show_field_error

if TYPE_CHECKING:
    from csdesk.services.pickers import PersonChoice

# By path: a subclass's own CSS_PATH is read beside its own module.
FORMS_CSS = str(Path(__file__).with_name("forms.tcss"))


class FormModal(DeskModal[Any]):
    """A small form over the screen that runs its service itself, so refusals land on its fields.

    Subclasses yield their fields from ``fields()`` and call ``self.call(service, ...)``
    from ``submit()``; the modal closes with the service's answer.
    """

    CSS_PATH = [FORMS_CSS]
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
        # Not priority: ctrl+s must wait its turn behind the keys typed before it.
        Binding("ctrl+s", "submit", N_("Save"), id="save"),
    ]
    title_text = ""

    def __init__(self, view: Any) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-body") as body:
            body.border_title = _(self.title_text)
            yield from self.fields()
            with Horizontal(classes="modal-buttons"):
                yield Button(_("Cancel"), id="modal-cancel")
                yield Button(self.submit_label(), id="modal-ok", variant="primary")

    def fields(self) -> ComposeResult:
        yield from ()

    def submit_label(self) -> str:
        return _("Save")

    @on(Button.Pressed, "#modal-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#modal-ok")
    def action_submit(self) -> None:
        clear_field_errors(self)
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def call(self, target: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """``target(desk, actor, *args, **kwargs)`` off the UI thread; its answer closes the form."""
        self.run_service(
            target, self.desk_app.actor, *args, on_done=self.dismiss, on_error=partial(show_field_error, self), **kwargs
        )


class FormScreen(DeskForm):
    """A form of its own screen; ctrl+s or Enter in the last field saves it."""

    CSS_PATH = [FORMS_CSS]
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="save")]
    HEADING = ""
    # Whose names the person field offers, None: the form has none.
    _people_own_squad: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-form"):
            yield Static(_(self.HEADING), classes="form-heading")
            yield from self.fields()
            yield Static("", id="form-preview", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), id="form-save", variant="primary")
                yield Button(_("Cancel"), id="form-cancel")
        yield DeskFooter()

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def start_form(self) -> None:
        if self._people_own_squad is not None:
            self.call_after_refresh(self._load_people, self._people_own_squad)

    def person_field(self, own_squad: bool = True) -> Field:
        self._people_own_squad = own_squad
        return Field("staff_id", _("Person"), Select([], prompt=_("Loading people…"), id="form-person", compact=True))

    def _load_people(self, own_squad: bool) -> None:
        self.run_service(
            pickers.people, self.desk_app.actor, own_squad=own_squad, on_done=self._show_people, group="people"
        )

    def _show_people(self, people: Sequence[PersonChoice]) -> None:
        select = self.query_one("#form-person", Select)
        select.prompt = _("Choose a person (type to search)")
        fill_select(select, [(f"{p.label}  {p.squad}".rstrip(), p.staff_id) for p in people])

    def person_id(self) -> int | None:
        value = self.query_one("#form-person", Select).value
        return value if isinstance(value, int) else None

    def say(self, text: str) -> None:
        self.query_one("#form-preview", Static).update(text)

    @on(Button.Pressed, "#form-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        clear_field_errors(self)
        self.save()

    def save(self) -> None:
        raise NotImplementedError

    def failed(self, exc: Exception) -> bool:
        return show_field_error(self, exc)

    def need_person(self) -> int | None:
        staff_id = self.person_id()
        if staff_id is None:
            for field in self.query(Field):
                if field.field == "staff_id":
                    field.show_error(_("Choose the person."))
                    field.control.focus()
        return staff_id


def fill_select(select: Select[Any], options: Sequence[tuple[str, Any]], keep: Any = None) -> None:
    """Replace a Select's choices, keeping ``keep`` chosen when it is still offered."""
    select.set_options(options)
    if keep is not None and any(value == keep for _label, value in options):
        select.value = keep


def role_may(screen: DeskScreen, action: Action) -> bool:
    actor = screen.desk_app.actor
    return actor is not None and can(actor.role, action).ok


def refuse_for_role(screen: DeskScreen, action: Action) -> bool:
    """True when the signed-in role may do ``action``; otherwise says why, naming the role."""
    actor = screen.desk_app.actor
    if actor is None:
        return False
    decision: Decision = can(actor.role, action)
    if decision.ok:
        return True
    screen.desk_app.remember_refusal(decision.rule_ids)
    screen.notify(
        _("You are signed in as {role}. {why}").format(role=role_title(actor.role), why=str(decision))
        + "\n"
        + _("Press w to see why."),
        title=_("Not done"),
        severity="warning",
    )
    return False
