"""ST-1: one person, one employee number, however it was typed.

Full-width digits (１１０１) and other compatibility forms fold to their plain
form (NFKC), so they can never register a second person beside 1101; what is
still not plain letters, digits, dot, dash or underscore after folding (a
Cyrillic А that looks like a Latin A, Arabic-Indic digits) is refused.
"""

from __future__ import annotations

import re
import unicodedata

from csdesk.i18n import _
from csdesk.rules.decision import Decision

MAX_LENGTH = 20
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def normalise_employee_number(typed: str) -> str:
    """The number as stored: compatibility forms folded, outer spaces dropped."""
    return unicodedata.normalize("NFKC", typed).strip()


def check_employee_number(typed: str) -> Decision:
    """ST-1: whether ``typed`` (already normalised) can be an employee number."""
    if not typed:
        return Decision.refused(_("an employee number is required"), "ST-1")
    if len(typed) > MAX_LENGTH:
        return Decision.refused(_("an employee number has at most {n} characters").format(n=MAX_LENGTH), "ST-1")
    if not _PLAIN.fullmatch(typed):
        return Decision.refused(_("an employee number holds only plain letters, digits, '.', '-' and '_'"), "ST-1")
    return Decision.allowed(_("a valid employee number"), "ST-1")
