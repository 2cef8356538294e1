"""``python -m csdesk`` is the ``csdesk`` command, for machines where the script is not on PATH."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CSDESK_LANG": "en"}
    env.pop("CSDESK_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "csdesk", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_python_m_csdesk_runs_the_command_line(tmp_path):
    from csdesk.cli import build_parser

    shown = _run("--help", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.startswith("usage: csdesk ")
    assert shown.stdout == build_parser().format_help()

    made = _run("--db", str(tmp_path / "centre.db"), "init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    conn = sqlite3.connect(tmp_path / "centre.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM alembic_version").fetchone() == (1,)
    finally:
        conn.close()


def test_python_m_csdesk_fails_like_the_command(tmp_path):
    missing = _run("--db", str(tmp_path / "no" / "such" / "centre.db"), "check", cwd=tmp_path)
    assert missing.returncode != 0
    assert missing.stderr.startswith("csdesk: ") and "Traceback" not in missing.stderr
