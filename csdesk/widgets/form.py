"""Labelled fields that show a service's complaint next to the input it is about.

A service raises ``ServiceError(message, field="pin")``; passing
``on_error=partial(show_field_error, screen)`` to ``run_service`` puts that
message under the "pin" field instead of in a notification.
"""

from __future__ import annotations

from contextlib import suppress

from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, Select, Static, Switch, TextArea
from textual.widgets.select import InvalidSelectValueError

from csdesk.i18n import _, current_language


class Field(Vertical):
    """``label`` above ``control``, and below them an error line of its own that stays blank until needed.

    The line is one row whatever it says: a message wider than the field ends in an ellipsis and
    is whole in the line's tooltip. ``in_border`` puts the message in the control's own bottom
    border instead and spends no row on it, for a bordered control on a screen short of rows
    (the reply box under a ticket's timeline, a search above its results).
    """

    def __init__(
        self, field: str, label: str, control: Widget, *, id: str | None = None, in_border: bool = False
    ) -> None:
        super().__init__(id=id, classes="field -in-border" if in_border else "field")
        self.field = field
        self.label = label
        self.control = control
        self.in_border = in_border
        # The error shown and its language, to know it is stale after a switch.
        self.error_message = ""
        self.error_language = ""

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.control
        yield Static("", classes="field-error", markup=False)

    # Marked by class rather than :focus-within, which does not restyle the label beside the input.
    def on_descendant_focus(self) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        self.remove_class("-focused")

    def show_error(self, message: str) -> None:
        self.add_class("-invalid")
        self.error_message, self.error_language = message, current_language()
        line = self.query_one(".field-error", Static)
        line.update(message)
        line.tooltip = message
        if self.in_border:
            self.control.border_subtitle = message

    def language_changed(self) -> None:
        """A refusal the catalogue could not turn over (it quotes what was typed) is said again
        in the new language, as the next save's to explain, rather than left in the old one."""
        if not self.has_class("-invalid") or self.error_language == current_language():
            return
        shown = str(self.query_one(".field-error", Static).render())
        if shown != self.error_message:
            # Retranslated with the rest of the screen.
            self.show_error(shown)
        else:
            self.show_error(_("Not accepted; save again to read why in this language."))

    def clear_error(self) -> None:
        # Every save clears every field first: a field with nothing to clear must not ask for
        # the screen to be laid out again, which is most of what a save costs a form.
        if not self.has_class("-invalid"):
            return
        self.remove_class("-invalid")
        line = self.query_one(".field-error", Static)
        line.update("")
        line.tooltip = None
        if self.in_border:
            self.control.border_subtitle = None


def say_on_field(container: DOMNode, field: str, message: str, *, focus: bool = True) -> bool:
    """Show ``message`` under the field named ``field`` and, unless ``focus`` is False,
    focus its input; False if there is none.

    A check the desk runs by itself while the person types (a live preview) passes
    ``focus=False``: moving the cursor then would send their next keys to another field.
    """
    for candidate in container.query(Field):
        if candidate.field == field:
            candidate.show_error(message)
            if focus:
                candidate.control.focus()
            return True
    return False


def show_field_error(container: DOMNode, exc: Exception, *, focus: bool = True) -> bool:
    """Show ``exc`` on its field inside ``container``; False if it names none there."""
    field = getattr(exc, "field", None)
    return isinstance(field, str) and bool(field) and say_on_field(container, field, str(exc), focus=focus)


def clear_field_errors(container: DOMNode) -> None:
    for field in container.query(Field):
        field.clear_error()


# What a form's inputs hold when it is built: (widget, value) pairs, and the widgets hidden or shown.
FreshState = tuple[tuple[tuple[Widget, object], ...], tuple[tuple[Widget, str | None], ...]]


def _display_set(widget: Widget) -> str | None:
    """The display the desk's code gave ``widget`` (``widget.display = ...``); None: the style sheets'."""
    display = widget.styles.inline.get_rule("display", None)
    return None if display is None else str(display)


def remember_fresh(container: DOMNode) -> FreshState:
    """What every input of ``container`` holds now, and what it shows, for :func:`restore_fresh`."""
    values: list[tuple[Widget, object]] = []
    for widget in container.query("Input, TextArea, Select, Checkbox, RadioButton, Switch"):
        if isinstance(widget, TextArea):
            values.append((widget, widget.text))
        else:
            values.append((widget, getattr(widget, "value", None)))
    # Only what the desk's own code showed or hid: a display set by a style sheet (a drop-down's
    # list, its arrows) is Textual's to change, and pinning it would keep the list from opening.
    shown = tuple((widget, _display_set(widget)) for widget in container.query("*"))
    return tuple(values), shown


def restore_fresh(state: FreshState) -> None:
    """Put back what :func:`remember_fresh` saw: typed text, choices and ticks as they were built,
    every widget hidden or shown as then. Choices loaded later (people, shifts) are left to be
    loaded again; one chosen among them goes back to none."""
    values, shown = state
    for widget, value in values:
        if isinstance(widget, TextArea):
            if widget.text != value:
                # Not assigned: loading drops the undo history, which would bring the old text back.
                widget.load_text(str(value))
        elif isinstance(widget, Select):
            try:
                widget.value = value
            except InvalidSelectValueError:
                # A choice loaded after the form was built: none is chosen until it is loaded again.
                with suppress(InvalidSelectValueError):
                    widget.clear()
        elif isinstance(widget, Input):
            widget.value = str(value)
            widget.cursor_position = len(widget.value)
        elif isinstance(widget, (Checkbox, RadioButton, Switch)):
            widget.value = bool(value)
    for widget, display in shown:
        if _display_set(widget) != display:
            # Back to as built: set then, or left to the style sheets then.
            widget.styles.display = display if display is not None else widget.styles.base.display
    for scroller in (w for w, _display in shown if isinstance(w, ScrollableContainer)):
        scroller.scroll_home(animate=False)
