"""Where the database, the policy and the language come from.

Database: ``--db PATH|URL``, else ``$CSDESK_DB``, else ``csdesk.db`` in the
user's data folder (e.g. ``~/.local/share/csdesk`` on Linux). Policy:
``--policy``, else ``$CSDESK_POLICY`` (read by ``load_policy``), else the
shipped file. Language: ``--lang``, else ``$CSDESK_LANG``, else the policy's
``[centre] language``, else the system locale, else English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict

from csdesk.db import to_url
from csdesk.i18n import choose_language

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
    # Resolved already: "en", "zh_CN", ...; None (tests) means English.
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
        lang=choose_language(lang, env.get(LANG_ENV), _policy_language(policy, env), env),
        db_is_default=not chosen,
    )


def _policy_language(policy: str | None, env: Mapping[str, str]) -> str | None:
    """``[centre] language`` of the policy in use; a broken file is reported later, where it is used."""
    from csdesk.policy import ENV_VAR, PolicyError, load_policy

    try:
        return load_policy(policy or env.get(ENV_VAR) or None).centre.language
    except PolicyError:
        return None
