"""The footer of every desk screen."""

from __future__ import annotations

from typing import Any

from textual.dom import NoScreen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Where a key's enabled flag sits in what _keys() says of it.
_ENABLED = 6


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
        if self._kept_closed():
            # A screen kept while closed: the keys it offers there (no "back") are never
            # seen, and it shows the ones it had again when it is opened again. They are
            # not even asked for: nobody may be signed in (a kept screen is dropped at
            # sign-out), and a screen's keys may depend on who is.
            return
        keys = self._keys()
        if keys is not None and keys == self._shown:
            return
        only_enabled_moved = (
            keys is not None and self._shown is not None and _without_enabled(keys) == _without_enabled(self._shown)
        )
        self._shown = keys
        if only_enabled_moved:
            # A key greyed out or back (a claim possible on this row, not on that one):
            # restyle those keys, not mount them all again.
            self._enable_keys()
            return
        await super().recompose()

    def _kept_closed(self) -> bool:
        if not self._bindings_ready or not self.is_attached:
            return False
        try:
            screen = self.screen
        except NoScreen:
            return False
        return screen not in self.app.screen_stack

    def _enable_keys(self) -> None:
        """Every key shown as enabled or not as the screen's bindings say, as compose would."""
        bindings = self.screen.active_bindings
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        enabled: dict[str, bool] = {}
        for _node, binding, is_enabled, _tooltip in bindings.values():
            if binding.show:
                enabled.setdefault(binding.action, is_enabled)
        for key in self.query(FooterKey):
            if key.has_class("-command-palette"):
                key.disabled = palette is None or not palette.enabled
            elif key.action in enabled:
                key.disabled = not enabled[key.action]


def _without_enabled(keys: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    if keys is None:
        return None
    *head, items = keys
    return (*head, tuple(item[:_ENABLED] + item[_ENABLED + 1 :] for item in items))
