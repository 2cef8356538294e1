"""A Maildir the fetchers (getmail, fetchmail, an MDA) deliver into, read by the
mailgate in one process.

A fetcher writes each message into ``tmp/`` and renames it into ``new/``, so
every file in ``new/`` is whole. The mailgate takes them oldest first (the file
names start with the delivery time); a message is moved out of ``new/`` only
after its ticket is committed, so a crash between the two leaves it there and
the next run finds it taken in before (by its Message-ID): never lost, never
two tickets. A message the desk can never take is set aside in a Maildir++
folder of its own, which a mail client shows as ``csdesk-refused``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from csdesk.i18n import _

REFUSED_FOLDER = ".csdesk-refused"
# Maildir's info suffix: the message has been seen.
_SEEN = ":2,S"


class NotAMaildir(ValueError):
    """The folder is not a Maildir; the sentence says why."""


def check_maildir(folder: Path) -> None:
    """Raises ``NotAMaildir`` unless ``folder`` has the ``new`` and ``cur`` folders to work in."""
    for part in ("new", "cur"):
        if not (folder / part).is_dir():
            raise NotAMaildir(_("{folder} is not a Maildir: it has no {part}/ folder").format(folder=folder, part=part))


def waiting(folder: Path) -> Iterator[Path]:
    """The messages in ``new/``, oldest first; files whose name starts with a dot are not messages."""
    names = sorted(entry.name for entry in os.scandir(folder / "new") if not entry.name.startswith("."))
    return (folder / "new" / name for name in names)


def read(message: Path, limit: int) -> bytes | None:
    """The message's first ``limit`` bytes, or None when another run took it meanwhile."""
    try:
        with message.open("rb") as file:
            return file.read(limit)
    except FileNotFoundError:
        return None


def mark_taken(folder: Path, message: Path) -> None:
    """Moves a message taken in to ``cur/`` as seen. Gone already: another run moved it."""
    _move(message, folder / "cur" / (message.name.split(":", 1)[0] + _SEEN))


def set_aside(folder: Path, message: Path) -> Path:
    """Moves a message the desk can never take into the refused folder's ``new/``."""
    refused = folder / REFUSED_FOLDER
    for part in ("tmp", "new", "cur"):
        (refused / part).mkdir(mode=0o700, parents=True, exist_ok=True)
    target = refused / "new" / message.name
    _move(message, target)
    return target


def _move(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except FileNotFoundError:
        if source.exists():
            raise
