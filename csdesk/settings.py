"""Where the database, the policy and the language come from.

Database: ``--db PATH|URL``, else ``$CSDESK_DB``, else ``csdesk.db`` in the
user's data folder (e.g. ``~/.local/share/csdesk`` on Linux). Policy:
``--policy``, else ``$CSDESK_POLICY`` (read by ``load_policy``), else the
shipped file. Language: ``--lang``, else ``$CSDESK_LANG``, else the policy's
``[centre] language``, else the system locale, else English.

Resolving them imports neither SQLAlchemy nor pydantic: the desk paints its
sign-in screen first and opens the database and the policy behind it, where a
problem with either is shown on that screen.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from csdesk.i18n import choose_language

DB_ENV = "CSDESK_DB"
LANG_ENV = "CSDESK_LANG"
POLICY_ENV = "CSDESK_POLICY"
APP_NAME = "csdesk"


def default_db_path() -> Path:
    import platformdirs  # only when no database is named: ``--help`` never pays for it

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "csdesk.db"


@dataclass(frozen=True)
class Settings:
    """What the CLI resolved; passed to ``make_app(settings, db)``."""

    # A SQLAlchemy URL; a plain path has been turned into a sqlite:/// URL. A URL is
    # checked where the database is opened.
    db_url: str
    policy_path: Path | None = None
    # Resolved already: "en", "zh_CN", ...; None (tests) means English.
    lang: str | None = None
    # True when nobody chose a location, so `init` may create the data folder.
    db_is_default: bool = False


def database_url(target: str) -> str:
    """``target`` as a URL: a plain path becomes the SQLite file's URL, written as
    SQLAlchemy writes it (``csdesk.db.to_url``), a URL is kept as given."""
    raw = target.strip()
    if not raw or "://" in raw:
        return raw
    return "sqlite:///" + quote(str(Path(raw).expanduser().absolute()), safe=" +/")


def shipped_policy_text() -> str:
    """The policy file shipped in the package, used when none is named."""
    from importlib.resources import files

    return files("csdesk").joinpath("data/policy.toml").read_text(encoding="utf-8")


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
        db_url=database_url(target),
        policy_path=Path(policy).expanduser() if policy else None,
        lang=choose_language(lang, env.get(LANG_ENV), policy_language(policy, env), env),
        db_is_default=not chosen,
    )


def policy_language(policy: str | None, env: Mapping[str, str]) -> str | None:
    """``[centre] language`` of the policy in use, peeked at without validating the file:
    a broken file is reported later, where the policy is used."""
    chosen = policy or env.get(POLICY_ENV)
    try:
        text = Path(chosen).expanduser().read_text(encoding="utf-8") if chosen else shipped_policy_text()
    except (OSError, UnicodeDecodeError):
        return None
    return _language_in(text)


# Asked twice per command line, and a fetcher may run the mailgate's command line once per
# message in one process: the same text is parsed once.
@lru_cache(maxsize=8)
def _language_in(text: str) -> str | None:
    try:
        language = tomllib.loads(text).get("centre", {}).get("language")
    except (tomllib.TOMLDecodeError, AttributeError):
        return None
    return language if isinstance(language, str) else None
