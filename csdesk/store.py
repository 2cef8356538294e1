"""Creating, checking, upgrading and backing up the database."""

from __future__ import annotations

import os

from csdesk import models
from csdesk.db import Database, open_database


def create_database(target: str | os.PathLike[str]) -> Database:
    db = open_database(target, create=True)
    models.metadata.create_all(db.engine)
    return db
