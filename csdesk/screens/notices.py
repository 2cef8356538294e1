"""Publishing a notice every agent reads and acknowledges before starting (HO-2)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static, TextArea

from csdesk.i18n import N_, _
from csdesk.screens.kit.forms import FORMS_CSS, FormModal
from csdesk.screens.kit.services import notices
from csdesk.widgets.form import Field


class PublishNoticeModal(FormModal):
    """HO-2: a business change or offer; it shows on every desk's home until acknowledged."""

    CSS_PATH = [FORMS_CSS, "notices.tcss"]
    title_text = N_("Publish a notice")

    def fields(self) -> ComposeResult:
        yield Static(_("Everyone reads it on home and acknowledges it (HO-2)."), markup=False)
        yield Field("title", _("Title"), Input(id="notice-title", max_length=200))
        yield Field("body", _("Text"), TextArea(id="notice-body", classes="notice-body"))

    def submit_label(self) -> str:
        return _("Publish")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#notice-title", Input))

    def submit(self) -> None:
        self.call(
            notices.publish_notice,
            self.query_one("#notice-title", Input).value,
            self.query_one("#notice-body", TextArea).text,
        )
