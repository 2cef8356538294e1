"""A customer's contact: a phone number or an email address, checked and reduced to one key (TK-12, TK-15).

Phone numbers are read with Google's libphonenumber (``phonenumbers``): a
mainland mobile (13812345678), a landline with its area code (010-12345678,
0755 1234 5678), or any international number written with + or 00. A number
without either belongs to the policy's ``[centre] phone_region``. Email
addresses are checked for their form by ``email-validator``, without asking
the network whether the domain takes mail.

The key is the number in E.164 (+8613812345678) or the address in lower case,
so the same customer is found whichever way the contact was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from csdesk.i18n import _
from csdesk.rules.decision import Decision

MAX_LENGTH = 200


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class Contact:
    kind: ContactKind
    key: str  # +8613812345678 or zhang.san@example.com
    text: str  # as typed, trimmed


@dataclass(frozen=True)
class ContactCheck:
    contact: Contact | None
    decision: Decision

    @property
    def ok(self) -> bool:
        return self.contact is not None


def _phone(text: str, region: str) -> Contact | None:
    if not any(ch.isdigit() for ch in text) or any(ch.isalpha() for ch in text.lower().replace("ext", "")):
        return None
    # Imported when a contact is checked: the mailgate, started once per message, never does.
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    key = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Contact(ContactKind.PHONE, key, text)


def _email(text: str) -> Contact | None:
    if "@" not in text:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    return Contact(ContactKind.EMAIL, checked.normalized.lower(), text)


def check_contact(value: str, region: str = "CN") -> ContactCheck:
    """TK-12: a contact the centre can reach the customer on: a valid phone number or email address."""
    text = (value or "").strip()
    if not text:
        return ContactCheck(None, Decision.refused(_("enter the customer's phone number or email address"), "TK-12"))
    if len(text) > MAX_LENGTH:
        return ContactCheck(
            None,
            Decision.refused(
                _("the contact is too long (at most {limit} characters)").format(limit=MAX_LENGTH), "TK-12"
            ),
        )
    found = _email(text) if "@" in text else _phone(text, region)
    if found is not None:
        what = _("an email address") if found.kind is ContactKind.EMAIL else _("a phone number")
        return ContactCheck(found, Decision.allowed(_("the contact is {what}").format(what=what), "TK-12"))
    if "@" in text:
        reason = _("{value!r} is not a valid email address").format(value=text)
    elif any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        reason = _(
            "{value!r} is not a valid phone number: give a mobile (13812345678), a landline with its "
            "area code (010-12345678) or an international number with + (+44 20 7946 0958)"
        ).format(value=text)
    else:
        reason = _("{value!r} is neither a phone number nor an email address").format(value=text)
    return ContactCheck(None, Decision.refused(reason, "TK-12"))


def contact_key(value: str, region: str = "CN") -> str:
    """The contact as one key, or "" when it is empty or not a valid phone or email."""
    checked = check_contact(value, region)
    return checked.contact.key if checked.contact else ""
