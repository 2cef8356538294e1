"""``?``: the keys of the screen the person was on, with what each one does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable

from csdesk.i18n import N_, _
from csdesk.widgets.bindings import TranslatedBindings


def describe_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for the desk's own bindings active on ``screen``.

    Only bindings with an id are listed: those are the desk's conventions, while
    the id-less ones are the text editing keys every input has. Keys doing the
    same thing share a row ("k / up").
    """
    app = screen.app
    rows: dict[tuple[str, str], list[str]] = {}
    for item in screen.active_bindings.values():
        binding = item.binding
        if not binding.id or not binding.description:
            continue
        keys = rows.setdefault((binding.action, binding.description), [])
        key = app.get_key_display(binding)
        if key not in keys:
            keys.append(key)
    return [(" / ".join(keys), description) for (_action, description), keys in rows.items()]


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", N_("Close"), id="close"),
        Binding("question_mark", "dismiss", N_("Close"), show=False, id="close-help"),
        Binding("q", "dismiss", N_("Close"), show=False, id="close-q"),
    ]

    def __init__(self, for_screen: Screen[object]) -> None:
        super().__init__()
        self.keys = describe_keys(for_screen)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-body") as body:
            body.border_title = _("Keys on this screen")
            table: DataTable[str] = DataTable(id="help-keys", cursor_type="none", zebra_stripes=True)
            table.add_columns(_("Key"), _("What it does"))
            table.add_rows(self.keys)
            # Everywhere, though not keys of the screen: the way out of the desk.
            table.add_row(_("ctrl+p, Sign out"), _("Sign out for the next person"))
            if not any(description == _("Quit") for _keys, description in self.keys):
                table.add_row("ctrl+q", _("Quit"))
            yield table
