"""Reading one message as the mail system hands it over (RFC 5322, MIME).

``read_message`` turns the raw bytes into an ``IncomingMail``: who wrote, the
subject and the readable text (plain text preferred; HTML-only mail converted),
the attachments by name and size, the Message-IDs it answers, and whether it
was written by a machine (auto-reply, bounce, list mail) rather than a person.

Chinese mail is often labelled with a narrower charset than it uses (GB2312 for
GBK text, Big5 for Microsoft's CP950 or Hong Kong characters): each such label
is read with the superset that contains it, so no character turns into "?".
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from email import policy as email_policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser, Parser
from email.utils import getaddresses

from csdesk.i18n import _

MESSAGE_ID_LENGTH = 255
# The part of a Message-ID between its angle brackets.
_ANGLED = re.compile(r"<([^<>\s]+)>")
_FOLDING = re.compile(r"\r?\n[ \t]+")

# Labels read with a wider codec that decodes every text the narrow one does.
_GB = {
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gbk",
    "x-gbk",
    "cp936",
    "ms936",
    "windows-936",
    "euc-cn",
    "csgb2312",
    "chinese",
    "x-euc-cn",
    "gb18030",
}
_BIG5 = {"big5", "x-big5", "cn-big5", "csbig5", "cp950", "ms950", "windows-950", "big5-hkscs", "big5hkscs"}
_PRECEDENCE_AUTOMATIC = {"bulk", "list", "junk", "auto_reply"}
_DAEMONS = {"mailer-daemon", "mail-daemon", "mailerdaemon"}


class UnreadableMail(ValueError):
    """Not a message the desk can take in; the sentence says why."""


class MailTooLarge(ValueError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            _("the message is too large: this centre takes messages up to {limit}").format(limit=size_words(limit))
        )
        self.size = size
        self.limit = limit


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class IncomingMail:
    message_id: str
    # What it answers: In-Reply-To first, then References newest first.
    answers: tuple[str, ...]
    subject: str
    sender: str  # the From address; "" for none
    sender_name: str
    text: str
    attachments: tuple[Attachment, ...]
    # Why a machine wrote it ("Auto-Submitted: auto-replied", "null sender", ...); None for a person.
    automatic: str | None
    # For a bounce: the Message-IDs of the message that came back, and what the server said.
    returned: tuple[str, ...] = ()
    returned_reason: str = ""


# -- small pieces -------------------------------------------------------------------


def size_words(size: int) -> str:
    """A byte count as people say it: 900 bytes, 12 KB, 2.1 MB."""
    if size < 1024:
        return _("{n} bytes").format(n=size)
    if size < 1024 * 1024:
        return _("{n} KB").format(n=round(size / 1024))
    return _("{n} MB").format(n=f"{size / (1024 * 1024):.1f}")


def message_id_key(value: str) -> str:
    """A Message-ID as stored: without brackets, digested when longer than a column holds."""
    key = value.strip().strip("<>").strip()
    if len(key) > MESSAGE_ID_LENGTH:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
    return key


def message_ids(value: str | None) -> list[str]:
    """Every ``<id>`` in a header such as References, in order."""
    if not value:
        return []
    found = _ANGLED.findall(value)
    if not found and value.strip() and " " not in value.strip():
        found = [value.strip()]  # some mailers leave the brackets out
    return [message_id_key(item) for item in found]


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    label = charset.strip().strip('"').lower()
    if label in _GB:
        return "gb18030"
    if label in _BIG5:
        return "cp950"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes of a text in the labelled charset, or the likeliest one when the label is wrong."""
    declared = _codec(charset)
    tries = [declared] if declared else []
    if declared == "cp950":
        tries.append("big5hkscs")  # Hong Kong characters CP950 lacks
    tries += ["utf-8", "gb18030"] if declared in (None, "ascii") else ["utf-8"]
    for codec in tries:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode(declared or "utf-8", errors="replace")


def _fix_8bit(text: str) -> str:
    """Raw 8-bit bytes in a header arrive as surrogates; read them as UTF-8 (or GB18030)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_text(text.encode("ascii", "surrogateescape"), None)


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return _FOLDING.sub(" ", str(value)).strip()
    return None


def header_text(raw: str | None) -> str:
    """A header's words, RFC 2047 encoded-words decoded by their (widened) charsets."""
    if not raw:
        return ""
    raw = _FOLDING.sub(" ", raw)
    try:
        parts = decode_header(raw)
    except Exception:  # a malformed encoded-word: keep the text as it came
        return " ".join(_fix_8bit(raw).split())
    words = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            words.append(_fix_8bit(chunk))
        elif charset in (None, "unknown-8bit"):
            words.append(_fix_8bit(chunk.decode("ascii", "surrogateescape")))
        else:
            words.append(decode_text(chunk, charset))
    return " ".join("".join(words).split())


# -- the parts of a message ------------------------------------------------------------


def _filename(part: Message) -> str | None:
    for header in ("Content-Disposition", "Content-Type"):
        raw = _raw_header(part, header)
        if not raw:
            continue
        # compat32 hands RFC 2231 values over undecoded, with their charset.
        parsed = Parser(policy=email_policy.compat32).parsestr(f"{header}: {raw}\n\n")
        value = parsed.get_param("filename" if header == "Content-Disposition" else "name", header=header)
        if value is None:
            continue
        if isinstance(value, tuple):
            charset, _language, text = value
            name = decode_text(text.encode("latin-1", "replace"), charset or "utf-8")
        else:
            name = header_text(str(value).strip('"'))
        name = re.sub(r"[\x00-\x1f\x7f]", "", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
        if name:
            return name[:255]
    return None


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = decode_text(payload, part.get_content_charset())
    if part.get_content_subtype() == "html":
        from csdesk.mail.html import html_to_text

        text = html_to_text(text)
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").split("\n")]
    return "\n".join(lines).strip("\n")


def _body(message: EmailMessage) -> tuple[Message | None, str]:
    """The part a person reads, and its text: plain text, else HTML made readable."""
    chosen = None
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is not None and _filename(part) is None:
            text = _text_of(part)
            if text.strip():
                return part, text
            chosen = chosen or part
    return chosen, ""


def _alternatives_of(message: Message, body: Message | None) -> set[int]:
    """The other renderings of the body (its HTML twin), which are not attachments."""
    skipped: set[int] = set()
    for part in message.walk():
        if part.get_content_type() == "multipart/alternative":
            children = part.get_payload()
            if isinstance(children, list):
                parts = [child for child in children if isinstance(child, Message)]
                if any(child is body or _contains(child, body) for child in parts):
                    skipped |= {id(leaf) for child in parts for leaf in child.walk()}
    return skipped


def _contains(part: Message, target: Message | None) -> bool:
    return target is not None and any(leaf is target for leaf in part.walk())


def _attachments(message: Message, body: Message | None) -> tuple[Attachment, ...]:
    skipped = _alternatives_of(message, body)
    found = []
    for part in message.walk():
        if part is body or id(part) in skipped or part.is_multipart():
            continue
        kind = part.get_content_type()
        if kind in ("message/delivery-status", "message/disposition-notification"):
            continue
        if kind == "message/rfc822" or kind.startswith("message/"):
            inner = part.get_payload()
            content = (
                inner[0].as_bytes() if isinstance(inner, list) and inner and isinstance(inner[0], Message) else b""
            )
            found.append(Attachment(_filename(part) or "message.eml", kind, content))
            continue
        # An inline text the body already gives; a whole message that is a file is one.
        if (
            part is not message
            and kind in ("text/plain", "text/html")
            and _filename(part) is None
            and part.get_content_disposition() != "attachment"
        ):
            continue
        payload = part.get_payload(decode=True)
        found.append(
            Attachment(
                _filename(part) or _("(unnamed {kind})").format(kind=kind),
                kind,
                payload if isinstance(payload, bytes) else b"",
            )
        )
    return tuple(found)


def _automatic(message: Message, sender: str) -> str | None:
    """Why the message was written by a machine, or None when a person wrote it."""
    submitted = (_raw_header(message, "Auto-Submitted") or "").strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = (_raw_header(message, "Precedence") or "").strip().lower()
    if precedence in _PRECEDENCE_AUTOMATIC:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "List-Id"):
        if _raw_header(message, name) is not None:
            return name
    return_path = _raw_header(message, "Return-Path")
    envelope = message.get_unixfrom() or ""
    if (
        (return_path is not None and return_path.strip() in ("<>", ""))
        or envelope.startswith("From <> ")
        or envelope.split(" ")[1:2] == ["MAILER-DAEMON"]
    ):
        return "null sender"
    if sender.split("@", 1)[0].lower() in _DAEMONS:
        return "MAILER-DAEMON"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    return None


def _returned(message: Message) -> tuple[tuple[str, ...], str]:
    """For a bounce: the Message-IDs of the message that came back, and the server's words."""
    ids: list[str] = []
    reason = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload() or []:
                if not isinstance(block, Message):
                    continue
                said = block.get("Diagnostic-Code") or block.get("Status")
                if said and not reason:
                    reason = " ".join(str(said).split())[:300]
        elif kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                ids += message_ids(inner[0].get("Message-ID"))
        elif kind == "text/rfc822-headers":
            headers = Parser(policy=email_policy.compat32).parsestr(_text_of(part) + "\n\n", headersonly=True)
            ids += message_ids(headers.get("Message-ID"))
    return tuple(dict.fromkeys(ids)), reason


def _sender(message: Message) -> tuple[str, str]:
    raw = _raw_header(message, "From")
    if raw is None:
        raise UnreadableMail(_("the message has no sender (no From header)"))
    pairs = [(name, address) for name, address in getaddresses([_fix_8bit(raw)]) if "@" in address]
    if not pairs:
        raise UnreadableMail(_("the sender (From) is not an email address"))
    name_raw, address = pairs[0]
    local, _at, domain = address.strip().rpartition("@")
    address = f"{local}@{domain.lower()}"
    if len(address) > 200 or not local or not domain or any(ch.isspace() for ch in address):
        raise UnreadableMail(_("the sender (From) is not an email address"))
    return address, header_text(name_raw)[:120]


def read_message(raw: bytes, max_bytes: int) -> IncomingMail:
    """The message in ``raw``; raises ``MailTooLarge`` or ``UnreadableMail``."""
    if len(raw) > max_bytes:
        raise MailTooLarge(len(raw), max_bytes)
    if not raw.strip():
        raise UnreadableMail(_("the message is empty"))
    try:
        message = BytesParser(policy=email_policy.default).parsebytes(raw)
    except Exception:  # the parser is lenient; anything it still refuses is not mail
        raise UnreadableMail(_("the message cannot be read as mail")) from None
    if not message.keys():
        raise UnreadableMail(_("the message has no headers"))
    sender, sender_name = _sender(message)
    automatic = _automatic(message, sender)
    try:
        body, text = _body(message)
        attachments = _attachments(message, body)
    except Exception:  # a MIME structure the library cannot walk
        raise UnreadableMail(_("the message's parts cannot be read")) from None
    own_ids = message_ids(_raw_header(message, "Message-ID"))
    message_id = own_ids[0] if own_ids else "sha256:" + hashlib.sha256(raw).hexdigest()
    answers = message_ids(_raw_header(message, "In-Reply-To")) + list(
        reversed(message_ids(_raw_header(message, "References")))
    )
    returned, returned_reason = _returned(message) if automatic else ((), "")
    return IncomingMail(
        message_id=message_id,
        answers=tuple(dict.fromkeys(a for a in answers if a != message_id)),
        subject=header_text(_raw_header(message, "Subject")),
        sender=sender,
        sender_name=sender_name,
        text=text,
        attachments=attachments,
        automatic=automatic,
        returned=returned,
        returned_reason=returned_reason,
    )
