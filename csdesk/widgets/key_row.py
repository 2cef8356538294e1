"""A row of a screen's keys, for the ones a footer has no room for at 80 columns.

It lists the bindings named by id that the screen enables right now (so it follows
``check_action`` like the footer does), each as "key description", clickable, packed
into lines so a wrap never splits a key from its description.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from csdesk.i18n import _


def pack(head: str, items: Iterable[Content], width: int) -> Content:
    """``items`` after ``head``, two spaces apart, in lines of ``width`` cells."""
    lines: list[list[Content]] = [[Content(head)]]
    used = cell_len(head)
    for item in items:
        if used and used + 2 + item.cell_length > width:
            lines.append([])
            used = -2
        lines[-1].append(item)
        used += 2 + item.cell_length
    return Content("\n").join(Content("  ").join(line) for line in lines)


class KeyRow(Static):
    """``head`` then the enabled bindings of the screen whose id is in ``ids``, in that order."""

    DEFAULT_CSS = """
    KeyRow { padding: 0 1; color: $text-muted; height: auto; }
    """

    def __init__(self, head: str, ids: Iterable[str], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._head = head
        self._ids = tuple(ids)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh_keys())
        self.refresh_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self.refresh_keys()

    def shown(self) -> list[tuple[str, str, str]]:
        """(key, key as displayed, description) of each binding listed now."""
        found: dict[str, tuple[str, str, str]] = {}
        for item in self.screen.active_bindings.values():
            binding = item.binding
            if item.enabled and binding.id in self._ids and binding.id not in found:
                found[binding.id] = (binding.key, self.app.get_key_display(binding), binding.description)
        return [found[i] for i in self._ids if i in found]

    def refresh_keys(self) -> None:
        # Key and description go in as template variables: a "[" key is text, not markup.
        items = [
            Content.from_markup(
                f"[@click=app.simulate_key('{key}')][b]$shown[/b] $description[/]", shown=shown, description=description
            )
            for key, shown, description in self.shown()
        ]
        width = (self.size.width - 2) if self.size.width > 2 else self.app.size.width - 2
        self.update(pack(_(self._head), items, max(20, width)) if items else "")
        self.display = bool(items)
