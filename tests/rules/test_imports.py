"""The rules stay pure: importing them never pulls in the UI or the database."""

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import csdesk.policy
import csdesk.rules
for info in pkgutil.iter_modules(csdesk.rules.__path__):
    importlib.import_module("csdesk.rules." + info.name)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"textual", "sqlmodel", "sqlalchemy", "alembic"})
print(",".join(heavy))
"""

# What the sign-in screen needs of the rules (the roles' words) is painted before
# the policy's validation library is loaded.
VOCABULARY = """
import sys
import csdesk.rules.vocab
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"textual", "sqlmodel", "sqlalchemy", "pydantic"})
print(",".join(heavy))
"""


def loaded_heavy(script: str) -> str:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()


def test_rules_and_policy_import_neither_ui_nor_database():
    assert loaded_heavy(SCRIPT) == ""


def test_the_rules_package_and_its_vocabulary_load_without_the_policy_validation():
    assert loaded_heavy(VOCABULARY) == ""
