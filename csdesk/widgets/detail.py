"""Enter on a row of a list: the row's whole story in a box over the list, closed by Enter or Esc."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from csdesk.i18n import N_
from csdesk.widgets.bindings import TranslatedBindings


class DetailModal(TranslatedBindings, ModalScreen[None]):
    DEFAULT_CSS = """
    DetailModal {
        align: center middle;
    }
    DetailModal #detail-body {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss", N_("Close"), id="close"),
        Binding("enter", "dismiss", N_("Close"), id="close-enter", show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-body") as body:
            body.border_title = self.title_text
            yield Static(self.text, id="detail-text", markup=False)


__all__ = ["DetailModal"]
