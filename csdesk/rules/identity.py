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


def is_employee_number(typed: str) -> bool:
    """``check_employee_number(typed).ok`` without wording a reason: for checking a whole register."""
    return 0 < len(typed) <= MAX_LENGTH and _PLAIN.fullmatch(typed) is not None


# Control characters (NUL, ESC, BEL ...), line and paragraph breaks, and the
# invisible marks that reverse how text is shown.
_BREAKS = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_NOT_ONE_LINE = re.compile(f"[{_BREAKS}]")
# The same test as a pattern a validator runs on its own, for checking many rows
# without calling back into Python for each cell.
ONE_LINE_PATTERN = f"^[^{_BREAKS}]*$"


def is_one_line(text: str) -> bool:
    """Whether ``text`` can be a name or a line of a contact: no control character or line break."""
    return _NOT_ONE_LINE.search(text) is None
