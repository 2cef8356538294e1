"""Language / 语言: switch the desk between English and 简体中文 while it runs.

Nothing on screen is rebuilt, so what a person typed stays where it is. Every
fixed text already shown (titles, labels, buttons, tab names, column headings,
placeholders) is turned back into its English source through the catalogue
that was in force and translated again; the footer reads its bindings afresh;
and the screen in view reloads its data so that rows and counts follow.
"""

from __future__ import annotations

import gettext
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, Static, Tab
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import Option

from csdesk import i18n
from csdesk.i18n import N_, _
from csdesk.screens.registry import forget_kept_screens
from csdesk.widgets.bindings import TranslatedBindings
from csdesk.widgets.live import DataChanged

if TYPE_CHECKING:
    from textual.app import App


def _sources(translation: gettext.NullTranslations) -> dict[str, list[str]]:
    """Translated text -> the English sources it translates, for ``translation``'s whole chain."""
    found: dict[str, list[str]] = {}
    while translation is not None:
        catalog = getattr(translation, "_catalog", None) or {}
        for source, shown in catalog.items():
            if isinstance(source, str) and source and isinstance(shown, str):
                found.setdefault(shown, []).append(source)
        translation = getattr(translation, "_fallback", None)  # type: ignore[assignment]
    return found


def _likeliest(candidates: list[str]) -> str:
    # 工号 is "No.", "Employee number" and "employee_number": on screen a label is
    # capitalised, and the shortest is the one sure to fit its column.
    return min(candidates, key=lambda c: (not c[:1].isupper(), len(c)))


Memory = dict[str, tuple[str, str]]


class Retranslator:
    """Turns text shown under one catalogue into the language now installed.

    Each widget remembers (source, shown) per slot, so text the desk itself
    switched goes back to exactly the English it came from, even where two
    sources share one translation.
    """

    def __init__(self, before: gettext.NullTranslations) -> None:
        self.sources = _sources(before)

    def __call__(self, text: str, memory: Memory | None = None, slot: str = "") -> str:
        kept = memory.get(slot) if memory is not None else None
        if kept is not None and kept[1] == text:
            source = kept[0]
        else:
            candidates = self.sources.get(text)
            # Text that is no catalogue's (a name, a count) comes back unchanged.
            source = _likeliest(candidates) if candidates else text
        shown = _(source)
        if memory is not None:
            memory[slot] = (source, shown)
        return shown


def retranslator(before: gettext.NullTranslations) -> Retranslator:
    """A function from text shown under ``before`` to the same text in the language now installed."""
    return Retranslator(before)


def _memory(owner: Any) -> Memory:
    memory = getattr(owner, "_csdesk_sources", None)
    if memory is None:
        memory = {}
        owner._csdesk_sources = memory
    return memory


def _visual(value: Any, again: Retranslator, memory: Memory, slot: str) -> Any:
    """``value`` (str, rich Text or Content) retranslated, or None when it is not fixed text."""
    if isinstance(value, str):
        new = again(value, memory, slot)
        return new if new != value else None
    if isinstance(value, Text):
        return _styled_text(value, again, memory, slot)
    if isinstance(value, Content) and not value.spans:
        new = again(value.plain, memory, slot)
        return Content(new) if new != value.plain else None
    return None


def _styled_text(value: Text, again: Retranslator, memory: Memory, slot: str) -> Text | None:
    """A Text assembled from pieces (``Text("Say: ", style="dim").append(...)``), piece by piece."""
    cuts = sorted({0, len(value.plain)} | {s.start for s in value.spans} | {s.end for s in value.spans})
    pieces = value.divide(cuts[1:-1]) if len(cuts) > 2 else [value]
    rebuilt = Text(style=value.style, justify=value.justify, end=value.end)
    changed = False
    for number, piece in enumerate(pieces):
        shown = again(piece.plain, memory, f"{slot}.{number}")
        changed = changed or shown != piece.plain
        styles = [span.style for span in piece.spans if span.start == 0 and span.end == len(piece.plain)]
        rebuilt.append(Text(shown, style=styles[-1] if styles else ""))
    return rebuilt if changed else None


def _retranslate_widget(widget: Widget, again: Retranslator) -> None:
    memory = _memory(widget)
    for attribute in ("border_title", "border_subtitle"):
        if (new := _visual(getattr(widget, attribute, None), again, memory, attribute)) is not None:
            setattr(widget, attribute, new)
    if isinstance(widget, Static) and (new := _visual(widget.content, again, memory, "content")) is not None:
        widget.update(new)
    elif (
        isinstance(widget, Button | Tab | ToggleButton)
        and (new := _visual(widget.label, again, memory, "label")) is not None
    ):
        widget.label = new
    if (
        isinstance(widget, Input)
        and widget.placeholder
        and (new := _visual(widget.placeholder, again, memory, "placeholder"))
    ):
        widget.placeholder = new
    if isinstance(widget, DataTable):
        changed = False
        # By position: a table that rebuilt its columns gets new keys but keeps its headings.
        for number, column in enumerate(widget.columns.values()):
            if (new := _visual(column.label, again, memory, f"column.{number}")) is not None:
                column.label = new
                changed = True
        if changed:
            widget.refresh()


def retranslate_app(app: App[Any], before: gettext.NullTranslations) -> None:
    """Every screen of the stack in the language now installed; the visible one reloads its data."""
    again = retranslator(before)
    for screen in app.screen_stack:
        for attribute in ("title", "sub_title"):
            value = getattr(screen, attribute, None)
            if isinstance(value, str) and value and (new := again(value, _memory(screen), attribute)) != value:
                setattr(screen, attribute, new)
        for widget in screen.walk_children(Widget, with_self=False):
            _retranslate_widget(widget, again)
        changed = getattr(screen, "language_changed", None)
        if callable(changed):
            changed()
        screen.refresh_bindings()
        if screen is not app.screen and getattr(screen, "seen_version", None) is not None:
            # Reloads when it comes back into view (DeskScreen.on_screen_resume).
            setattr(screen, "seen_version", -1)  # noqa: B010 - any screen may keep one
    forget_kept_screens(app)
    live = getattr(app, "live", None)
    version = getattr(live, "version", None)
    if version is not None:
        app.screen.post_message(DataChanged(version))


def switch_language(app: App[Any], lang: str) -> str:
    """Install ``lang`` and redraw what is on screen in it; returns the language now in force."""
    before = i18n._translation
    now = i18n.install_language(lang)
    retranslate_app(app, before)
    return now


class LanguageModal(TranslatedBindings, ModalScreen[str | None]):
    """The shipped languages, each in its own name; Enter switches, Esc keeps the current one."""

    DEFAULT_CSS = """
    LanguageModal { align: center middle; }
    LanguageModal > Vertical { width: 36; height: auto; border: round $accent; padding: 0 1; }
    LanguageModal OptionList { height: auto; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"), id="cancel")]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Language / 语言"
            yield OptionList(*(Option(name, id=code) for code, name in i18n.LANGUAGES.items()), id="languages")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = (
            list(i18n.LANGUAGES).index(i18n.current_language()) if i18n.current_language() in i18n.LANGUAGES else 0
        )
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def choose_language(app: App[Any]) -> None:
    def chosen(lang: str | None) -> None:
        if lang and lang != i18n.current_language():
            switch_language(app, lang)

    app.push_screen(LanguageModal(), chosen)
