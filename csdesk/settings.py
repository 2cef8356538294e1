"""Where the database, the policy and the language come from.

Database: ``--db PATH|URL``, else ``$CSDESK_DB``, else ``csdesk.db`` in the
user's data folder (e.g. ``~/.local/share/csdesk`` on Linux). Policy:
``--policy``, else ``$CSDESK_POLICY`` (read by ``load_policy``), else the
shipped file. Language: ``--lang``, else ``$CSDESK_LANG``, else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict

from csdesk.db import to_url

DB_ENV = "CSDESK_DB"
LANG_ENV = "CSDESK_LANG"
APP_NAME = "csdesk"


def default_db_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "csdesk.db"


class Settings(BaseModel):
    """What the CLI resolved; passed to ``make_app(settings, db)``."""

    model_config = ConfigDict(frozen=True)

    # A SQLAlchemy URL; a plain path has been turned into a sqlite:/// URL.
    db_url: str
    policy_path: Path | None = None
    lang: str | None = None
    # True when nobody chose a location, so `init` may create the data folder.
    db_is_default: bool = False


def resolve_settings(
    db: str | None = None,
    policy: str | None = None,
    lang: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    env = os.environ if environ is None else environ
    chosen = db or env.get(DB_ENV) or None
    target = chosen if chosen else str(default_db_path())
    return Settings(
        db_url=to_url(target).render_as_string(hide_password=False),
        policy_path=Path(policy).expanduser() if policy else None,
        lang=lang or env.get(LANG_ENV) or None,
        db_is_default=not chosen,
    )
