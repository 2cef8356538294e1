"""How rules' reasons join words, in the language in force when a decision is made.

Lists are joined the way the language joins them ("a, b" / "a、b"). How each
vocabulary value reads ("squad_leader" -> "squad leader" / "班长") is said
in ``csdesk.vocabulary``.
"""

from __future__ import annotations

from collections.abc import Iterable

from csdesk.i18n import _


def listing(items: Iterable[str]) -> str:
    """Items one after the other: "a, b, c"."""
    # Translators: the separator between items of a list inside a rule's reason.
    return _(", ").join(items)


def both(items: Iterable[str]) -> str:
    """Items that all apply: "a and b"."""
    # Translators: joins items that all apply, e.g. "phone and address".
    return _(" and ").join(items)
