"""Handing a message to the centre's SMTP relay, and saying plainly why it didn't go.

Every failure becomes ``RelayFailed`` with one sentence: the relay's own answer
("554 5.7.1 Relay access denied"), a timeout, a dropped connection, a refused
sign-in. Whatever it is, the reply stays in the outbox for the next try.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path

from csdesk.i18n import _
from csdesk.policy import Relay

_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


class RelayFailed(Exception):
    """The relay did not take the message; ``str()`` says why in one line."""


def hide_addresses(text: str) -> str:
    """Every email address in ``text`` masked (TK-15): for lines that reach logs and stderr."""
    from csdesk.rules.privacy import mask_contact

    return _ADDRESS.sub(lambda found: mask_contact(found.group(0)), text)


def relay_password(relay: Relay, environ: Mapping[str, str] | None = None) -> str | None:
    """The relay password: the first line of ``password_file``, else ``$password_env``."""
    if relay.password_file is not None:
        try:
            first = Path(relay.password_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise RelayFailed(
                _("cannot read the relay password file {file}: {reason}").format(
                    file=relay.password_file, reason=exc.strerror
                )
            ) from None
        return first[0] if first else ""
    env = os.environ if environ is None else environ
    return env.get(relay.password_env) if relay.password_env else None


def _where(relay: Relay) -> str:
    return f"{relay.host}:{relay.port}"


def _said(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


def _open(relay: Relay, password: str | None) -> smtplib.SMTP:
    """A signed-in session with the relay, over STARTTLS when the policy says so."""
    # Connecting in the constructor also tells STARTTLS which host name to check.
    connection = smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout_seconds)
    try:
        connection.ehlo()
        if relay.starttls:
            if not connection.has_extn("starttls"):
                raise RelayFailed(_("the relay {where} does not offer STARTTLS").format(where=_where(relay)))
            context = ssl.create_default_context(cafile=str(relay.ca_file) if relay.ca_file else None)
            connection.starttls(context=context)
            connection.ehlo()
        if relay.user:
            if not password:
                raise RelayFailed(
                    _("no password for the relay user: set {env} or password_file").format(
                        env=relay.password_env or "password_env"
                    )
                )
            connection.login(relay.user, password)
        return connection
    except BaseException:
        connection.close()
        raise


def _failure(relay: Relay, exc: BaseException) -> RelayFailed:
    if isinstance(exc, RelayFailed):
        return exc
    where = _where(relay)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return RelayFailed(
            _("the relay {where} refused the user name or password: {said}").format(where=where, said=_said(exc))
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = [
            f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
            for code, text in exc.recipients.values()
        ]
        return RelayFailed(_("the relay refused the recipient: {said}").format(said="; ".join(answers)))
    if isinstance(exc, smtplib.SMTPResponseException):
        return RelayFailed(_("the relay answered {said}").format(said=_said(exc)))
    if isinstance(exc, smtplib.SMTPServerDisconnected) and "timed out" in str(exc):
        exc = TimeoutError()  # smtplib reports a read that timed out as a lost connection
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return RelayFailed(_("the relay {where} closed the connection before taking the message").format(where=where))
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return RelayFailed(
            _("no answer from the relay {where} within {seconds} s").format(where=where, seconds=relay.timeout_seconds)
        )
    if isinstance(exc, ssl.SSLError):
        return RelayFailed(
            _("STARTTLS with the relay {where} failed: {reason}").format(where=where, reason=exc.reason or exc)
        )
    if isinstance(exc, OSError):
        return RelayFailed(
            _("cannot reach the relay {where}: {reason}").format(where=where, reason=exc.strerror or type(exc).__name__)
        )
    if isinstance(exc, smtplib.SMTPException):
        return RelayFailed(_("the relay {where} failed: {reason}").format(where=where, reason=exc))
    raise exc


def deliver(message: EmailMessage, relay: Relay, password: str | None, envelope_from: str) -> None:
    """Hands ``message`` to the relay; returns once the relay has taken it for delivery."""
    try:
        connection = _open(relay, password)
        try:
            connection.send_message(message, from_addr=envelope_from)
        finally:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()
    except Exception as exc:
        raise _failure(relay, exc) from None


def probe(relay: Relay, password: str | None) -> str | None:
    """Why the relay can't be used now (connect, STARTTLS, sign-in), or None when it can."""
    try:
        connection = _open(relay, password)
        try:
            connection.noop()
        finally:
            connection.close()
    except Exception as exc:
        return str(_failure(relay, exc))
    return None
