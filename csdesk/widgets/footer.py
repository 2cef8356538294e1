"""The footer of every desk screen."""

from __future__ import annotations

from typing import Any

from textual.dom import NoScreen
from textual.widgets import Footer


class DeskFooter(Footer):
    """Textual's footer, rebuilt only when what its keys say has changed.

    Textual asks the footer to rebuild on every focus change, cursor move and
    reactive change (a dozen times while a screen opens), and each rebuild
    mounts and styles every key again.
    """

    _shown: tuple[Any, ...] | None = None

    def __init__(self) -> None:
        # Compact: every key of a screen has room at 80 columns.
        super().__init__(compact=True)

    def _keys(self) -> tuple[Any, ...] | None:
        if not self._bindings_ready or not self.is_attached:
            return None
        try:
            screen = self.screen
        except NoScreen:  # its screen is being taken down: nothing to show
            return None
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (
                    key,
                    item.binding.id,
                    item.binding.action,
                    item.binding.description,
                    item.binding.show,
                    item.binding.group,
                    item.enabled,
                    item.tooltip,
                )
                for key, item in screen.active_bindings.items()
            ),
        )

    async def recompose(self) -> None:
        keys = self._keys()
        if keys is not None and keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
