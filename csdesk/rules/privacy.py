"""Who sees personal contact details whole, and how they look to everyone else (TK-15, ST-6)."""

from __future__ import annotations

import re
import unicodedata

from csdesk.i18n import _
from csdesk.rules.decision import Decision
from csdesk.rules.vocab import Role

_EMAIL = re.compile(r"^\s*([^@\s]+)@([^@\s]+)\s*$")
_PHONE_CHARS = re.compile(r"^[\d\s+\-().]+$")


def _is_cjk(ch: str) -> bool:
    return "CJK" in unicodedata.name(ch, "")


def _mask_phone(value: str) -> str:
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    country_code = re.match(r"^\+\d+(?=\D)", value)
    if country_code:
        # "+86 138..." keeps its country code; masking starts after it.
        digits = [i for i in digits if i >= country_code.end()]
    # Mainland mobile style 138****5678: keep the first three and last four digits
    # when there are enough of them, otherwise only the last two.
    keep_head, keep_tail = (3, 4) if len(digits) >= 10 else (0, 2)
    hidden = set(digits[keep_head : len(digits) - keep_tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _mask_email(local: str, domain: str) -> str:
    if len(local) <= 2:
        return local[0] + "*" * (len(local) - 1) + "@" + domain
    return local[0] + "*" * (len(local) - 2) + local[-1] + "@" + domain


def _mask_name(value: str) -> str:
    # Chinese names keep the surname (first character); other names keep each
    # word's initial.
    if all(_is_cjk(ch) or ch in "·• " for ch in value):
        head = value[0]
        return head + "".join(" " if ch == " " else "*" for ch in value[1:])
    return " ".join(word[0] + "*" * (len(word) - 1) if word else word for word in value.split(" "))


def mask_contact(value: str) -> str:
    """A customer's or colleague's contact as lists show it: phone, email or name, masked."""
    text = value.strip()
    if not text:
        return text
    email = _EMAIL.match(text)
    if email:
        return _mask_email(email.group(1), email.group(2))
    if _PHONE_CHARS.match(text) and sum(ch.isdigit() for ch in text) >= 5:
        return _mask_phone(text)
    return _mask_name(text)


def may_see_customer_contact(viewer_id: int | str, viewer_role: Role, owner_id: int | str | None) -> Decision:
    """TK-15: the case owner and leaders see a customer's details whole; everyone else masked."""
    if viewer_role.is_leader:
        return Decision.allowed(_("leaders see customer contact details"), "TK-15")
    if owner_id is not None and viewer_id == owner_id:
        return Decision.allowed(_("the case owner sees the customer's contact details"), "TK-15")
    return Decision.refused(_("customer contact details are shown masked to anyone but the owner and leaders"), "TK-15")


def may_see_colleague_contact(viewer_id: int | str, viewer_role: Role, colleague_id: int | str) -> Decision:
    """ST-6: colleagues' contact details are for leaders only (and the person themself)."""
    if viewer_id == colleague_id:
        return Decision.allowed(_("your own contact details"), "ST-6")
    if viewer_role.is_leader:
        return Decision.allowed(_("leaders see colleagues' contact details"), "ST-6")
    return Decision.refused(_("colleagues' contact details are not disclosed to others"), "ST-6")


def may_export_customer_contact(requested_by: Role) -> Decision:
    """TK-15: exports leave customer details out unless a leader asks for them."""
    if requested_by.is_leader:
        return Decision.allowed(_("customer contact details included at a leader's request"), "TK-15")
    return Decision.refused(_("only a leader may export customer contact details"), "TK-15")
