"""A real SMTP relay on 127.0.0.1 for the mail tests (aiosmtpd), and the policy that uses it.

The relay keeps every message it accepted, and can misbehave on demand, as a
centre's relay does on a bad day::

    relay.mode = "refuse5"   # 554 at the end of DATA: the message is refused
    relay.mode = "refuse4"   # 451: "try again later"
    relay.mode = "stall"     # no answer to DATA until the client has given up
    relay.mode = "drop"      # the connection closes in the middle of DATA
    relay.mode = "accept"    # back to normal
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import ssl
import subprocess
import threading
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from csdesk.policy import Policy

SAMPLES = Path(__file__).parent / "mail" / "samples"
CENTRE_ADDRESS = "support@centre.example"


def sample(name: str, **fill: str) -> bytes:
    """A sample message; ``{answers}``-style placeholders are filled in."""
    raw = (SAMPLES / name).read_bytes()
    for key, value in fill.items():
        raw = raw.replace(b"{" + key.encode() + b"}", value.encode())
    return raw


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, relay: TestRelay) -> None:
        self.relay = relay

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        mode = self.relay.mode
        if mode == "refuse5":
            return "554 5.7.1 Relay access denied"
        if mode == "refuse4":
            return "451 4.3.0 Temporary local problem, try again later"
        if mode == "stall":
            await asyncio.sleep(self.relay.stall_seconds)
            return "451 4.4.2 Too slow"
        if mode == "hold":
            # Takes the message only once released: lets a test stop the sender half-way.
            self.relay.holding.set()
            while not self.relay.release.is_set():
                await asyncio.sleep(0.02)
        with self.relay.lock:
            self.relay.received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 2.0.0 Ok: queued"


class _Session(SMTP):
    async def smtp_DATA(self, arg: str) -> None:
        if self.event_handler.relay.mode != "drop":
            await super().smtp_DATA(arg)
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readuntil(b"\r\n")  # the first line of the message, then gone
        self.transport.close()


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _Session(self.handler, **self.SMTP_kwargs)


class TestRelay:
    __test__ = False  # not a test class

    def __init__(self, *, tls: tuple[Path, Path] | None = None, users: dict[str, str] | None = None) -> None:
        self.mode = "accept"
        self.stall_seconds = 3.0
        self.received: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.port = free_port()
        options: dict[str, object] = {}
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            options.update(tls_context=context, require_starttls=True)
        if users is not None:
            options.update(authenticator=self._authenticate, auth_require_tls=tls is not None)
        self.users = users or {}
        self._controller = _Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if self.users.get(user) == password:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> TestRelay:
        self._controller.start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._controller.server is not None:
            self._controller.stop()

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message_from_bytes(raw, policy=email_policy.default) for _f, _t, raw in self.received]

    def recipients(self) -> list[list[str]]:
        with self.lock:
            return [to for _f, to, _raw in self.received]


def mail_policy(
    base: Policy, relay: TestRelay | None = None, relay_settings: dict[str, object] | None = None, **mail: object
) -> Policy:
    """``base`` with mail switched on, sending through ``relay`` (or a relay nobody runs)."""
    sending = base.mail.relay.model_copy(
        update={
            "host": "127.0.0.1" if relay else "relay.invalid",
            "port": relay.port if relay else 25,
            "starttls": False,
            "timeout_seconds": 1,
            "user": "",
            **(relay_settings or {}),
        }
    )
    settings = base.mail.model_copy(
        update={"from_address": CENTRE_ADDRESS, "from_name": "Customer service", "relay": sending, **mail}
    )
    return base.model_copy(update={"mail": settings})


def self_signed(folder: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1 made with the openssl command; None where there is none."""
    if shutil.which("openssl") is None:
        return None
    cert, key = folder / "relay.pem", folder / "relay.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def policy_file(folder: Path, relay: TestRelay | None = None, **mail: object) -> Path:
    """The shipped policy file with mail switched on (through ``relay``), for command lines;
    ``mail`` sets other keys of [mail], e.g. ``max_message_bytes=100``."""
    from csdesk.locale_tools import PACKAGE

    text = (PACKAGE / "data" / "policy.toml").read_text(encoding="utf-8")
    text = text.replace('from_address = ""', f'from_address = "{CENTRE_ADDRESS}"', 1)
    if relay is not None:
        text = text.replace(
            'host = ""\nport = 587\nstarttls = true', f'host = "127.0.0.1"\nport = {relay.port}\nstarttls = false', 1
        )
    for key, value in mail.items():
        text, found = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text, count=1)
        assert found, key
    path = folder / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def relay():
    """A TestRelay running for the test (import it into a test module to use it)."""
    server = TestRelay().start()
    yield server
    server.stop()
