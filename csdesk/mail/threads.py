"""How a message finds its ticket, and how a reply names the thread it belongs to.

A reply from the desk carries the ticket's token ``[#123]`` in its subject and a
Message-ID of its own; it answers the customer's last message (In-Reply-To) and
lists the thread (References). The customer's answer names those IDs, so it
lands on the same ticket even with the subject rewritten. The token alone is
trusted only from the ticket's own customer: another system's ``[#123]`` in a
stranger's subject must not write onto our ticket 123.
"""

from __future__ import annotations

import re
import uuid

# Kept under the outbox's subject column (400) with room for the token.
_SUBJECT_ROOM = 380
# References lists the thread's first message and its latest ones (RFC 5322 3.6.4 leaves
# trimming to the writer): enough for any mail program to thread it.
_REFERENCES_KEPT = 10
_TOKEN = re.compile(r"\[#(\d{1,9})\]")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|sv|回复|答复|回覆|转发|轉寄)\s*[:：]\s*)+", re.IGNORECASE)


def ticket_token(subject: str) -> int | None:
    """The ticket number a subject names with ``[#123]``, if any."""
    found = _TOKEN.search(subject or "")
    return int(found.group(1)) if found else None


def reply_subject(subject: str, ticket_id: int) -> str:
    """``Re: <the customer's subject> [#123]``, without piling up Re: or tokens."""
    bare = _REPLY_PREFIX.sub("", _TOKEN.sub("", subject or "")).strip()
    bare = " ".join(bare.split())[:_SUBJECT_ROOM]
    return f"Re: {bare} [#{ticket_id}]" if bare else f"Re: [#{ticket_id}]"


def new_message_id(ticket_id: int, from_address: str) -> str:
    """A Message-ID (without brackets) for a reply, on the centre's own domain."""
    domain = from_address.rpartition("@")[2] or "csdesk.invalid"
    return f"csdesk.{ticket_id}.{uuid.uuid4().hex}@{domain}"


def references(thread: list[str]) -> list[str]:
    """The References of a new message in ``thread`` (oldest first)."""
    if len(thread) <= _REFERENCES_KEPT:
        return list(thread)
    return [thread[0], *thread[-(_REFERENCES_KEPT - 1) :]]


def same_address(first: str, second: str) -> bool:
    """Two addresses of one mailbox (the domain is not case-sensitive; the local part is
    compared as people type it, ignoring case, as nearly every mail system does)."""
    return bool(first) and first.strip().lower() == second.strip().lower()
