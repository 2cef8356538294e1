"""A reply as the customer receives it: headers that thread it, text in UTF-8."""

from __future__ import annotations

from datetime import datetime
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime


def reply_message(
    *,
    from_address: str,
    from_name: str,
    to_address: str,
    subject: str,
    body: str,
    message_id: str,
    in_reply_to: str,
    references: list[str],
    written_at: datetime,
) -> EmailMessage:
    """The same bytes on every attempt: every header comes from the outbox row, the
    date included, so a retried send is the same message."""
    message = EmailMessage(policy=email_policy.SMTP)
    local, _at, domain = from_address.rpartition("@")
    message["From"] = Address(display_name=from_name, username=local, domain=domain)
    message["To"] = to_address
    message["Subject"] = subject
    message["Date"] = format_datetime(written_at)
    message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{item}>" for item in references)
    message.set_content(body.replace("\r\n", "\n"), charset="utf-8")
    return message
