"""Throwaway PostgreSQL databases for tests, on the server in ``CSDESK_TEST_PG_URL``.

The URL names a database the tests may connect to as a role allowed to
create databases; each test gets a fresh one copied from a template that
was migrated once per run (copying is much faster than migrating).
"""

from __future__ import annotations

import os
import secrets

from sqlalchemy.engine import URL, make_url

ENV = "CSDESK_TEST_PG_URL"
SKIP_REASON = f"PostgreSQL not tested: set {ENV}=postgresql+psycopg://USER@HOST/DB to run on it too"


def admin_url() -> URL | None:
    raw = os.environ.get(ENV, "").strip()
    return make_url(raw) if raw else None


def _admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    url = admin_url()
    assert url is not None
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(plain, autocommit=True, connect_timeout=10)


def url_of(name: str) -> str:
    url = admin_url()
    assert url is not None
    return url.set(database=name).render_as_string(hide_password=False)


def fresh_name(kind: str = "t") -> str:
    """A new database name starting with the configured database's own name, so
    whoever made that one for a run can sweep up what a killed run left behind."""
    url = admin_url()
    base = (url.database if url is not None and url.database else "csdesk")[:40]
    return f"{base}_{kind}_{secrets.token_hex(6)}"


def create(name: str, template: str | None = None) -> str:
    """Creates database ``name`` (empty, or a copy of ``template``); returns its URL."""
    with _admin_connect() as conn:
        suffix = f" TEMPLATE {template}" if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    return url_of(name)


def drop(name: str) -> None:
    with _admin_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fetch(url: str, sql: str) -> list[tuple]:
    """Rows of one query through plain psycopg (no csdesk code in between)."""
    import psycopg

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, connect_timeout=10) as conn:
        cursor = conn.execute(sql)
        return list(cursor.fetchall()) if cursor.description else []
