"""Key bindings shown in the person's language.

Binding descriptions are written once, in English, when a class is defined;
translating them where they are displayed lets the language be chosen at
start-up, after every screen module has been imported.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding, Binding

from csdesk.i18n import _


def translated(binding: Binding) -> Binding:
    group = binding.group
    if group is not None:
        group = Binding.Group(_(group.description), group.compact)
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
        group=group,
    )


class TranslatedBindings:
    """Mix into every Screen (before Screen) so footer, help and key panel are translated."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        return {
            key: ActiveBinding(
                item.node,
                translated(item.binding),
                item.enabled,
                _(item.tooltip) if item.tooltip else "",
            )
            for key, item in active.items()
        }
