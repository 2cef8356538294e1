"""The rules stay pure: importing them never pulls in the UI or the database."""

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import csdesk.policy
import csdesk.rules
for info in pkgutil.iter_modules(csdesk.rules.__path__):
    importlib.import_module("csdesk.rules." + info.name)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"textual", "sqlmodel", "sqlalchemy"})
print(",".join(heavy))
"""


def test_rules_and_policy_import_neither_ui_nor_database():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
