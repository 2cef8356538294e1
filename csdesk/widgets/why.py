"""The answer to "why?": the rules behind a decision, refusal or violation."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from csdesk.i18n import N_, _
from csdesk.widgets.bindings import TranslatedBindings


class WhyModal(TranslatedBindings, ModalScreen[None]):
    """Shows each rule's title, statement and source, in the order given."""

    CSS_PATH = "why.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", N_("Close"), id="close"),
        Binding("w", "dismiss", N_("Close"), show=False, id="close-why"),
    ]

    def __init__(self, rule_ids: Iterable[str]) -> None:
        super().__init__()
        self.rule_ids = tuple(rule_ids)

    def compose(self) -> ComposeResult:
        from csdesk.rules.catalog import rule

        with VerticalScroll(id="why-body") as body:
            body.border_title = _("Why")
            for rule_id in self.rule_ids:
                try:
                    found = rule(rule_id)
                except KeyError:
                    yield Static(
                        _("{id}: not in the rule catalogue").format(id=rule_id),
                        classes="why-unknown",
                        markup=False,
                    )
                    continue
                yield Static(f"{found.id}  {found.title_text()}", classes="why-title", markup=False)
                yield Static(found.statement_text(), classes="why-statement", markup=False)
                yield Static(
                    _("Source: {source}").format(source=found.source_text()),
                    classes="why-source",
                    markup=False,
                )
                if found.decided_by:
                    yield Static(
                        _("Decided in {function}").format(function=found.decided_by),
                        classes="why-code",
                        markup=False,
                    )
