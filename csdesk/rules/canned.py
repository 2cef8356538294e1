"""The centre's agreed reply wording (口径) and its blanks (TK-10, TK-14).

The weekly meeting sums up and unifies the wording of answers and passes it to
every agent (001, meetings). A canned reply is that wording with blanks in
braces: ``{customer}``, ``{ticket}``, ``{agent}`` ... A blank's name is a
letter followed by letters, digits or ``_`` (Chinese names too, such as
``{退款金额}``); ``{{`` and ``}}`` write a brace itself. The desk fills the
blanks it knows from the case; the agent fills the rest, and a reply with a
blank left is refused rather than sent with a hole in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from csdesk.i18n import _
from csdesk.rules.decision import Decision
from csdesk.rules.password_guard import check_reply

_BLANK = re.compile(r"\{\{|\}\}|\{([^\W\d]\w{0,39})\}|[{}]")
# The blanks the desk fills from the case and the agent.
KNOWN_BLANKS = ("customer", "ticket", "subject", "agent", "agent_name")


@dataclass(frozen=True)
class Filled:
    text: str | None  # None when refused
    decision: Decision
    missing: tuple[str, ...] = ()


def blanks(text: str) -> tuple[str, ...]:
    """The blanks of a wording, each once, in the order they first appear."""
    found: dict[str, None] = {}
    for match in _BLANK.finditer(text):
        if match.group(1):
            found.setdefault(match.group(1), None)
    return tuple(found)


def check_wording(text: str) -> Decision:
    """An agreed wording: every brace opens or closes a named blank, and it never asks
    the customer for a password (TK-14), whatever goes in its blanks."""
    for match in _BLANK.finditer(text):
        token = match.group(0)
        if token in ("{", "}"):
            return Decision.refused(
                _("a blank is a name in braces, such as {example}; a brace meant as itself is written twice").format(
                    example="{customer}"
                )
            )
    guard = check_reply(_fill(text, {name: "" for name in blanks(text)}))
    if not guard.ok:
        return guard
    return Decision.allowed(_("the wording may be offered to agents"), "TK-14")


def _fill(text: str, values: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return values[match.group(1)] if match.group(1) else token

    return _BLANK.sub(replace, text)


def fill_blanks(text: str, values: Mapping[str, str]) -> Filled:
    """The wording with every blank filled, or a refusal naming the blanks left empty."""
    given = {name: str(value).strip() for name, value in values.items() if value is not None}
    missing = tuple(name for name in blanks(text) if not given.get(name))
    if missing:
        names = ", ".join("{" + name + "}" for name in missing)
        return Filled(
            None, Decision.refused(_("fill in every blank before sending: {names}").format(names=names)), missing
        )
    return Filled(_fill(text, given), Decision.allowed(_("every blank is filled")))
