"""The desk paints before the store is loaded, and the rules stay pure."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def modules_loaded_after(code: str) -> set[str]:
    probe = textwrap.dedent(code) + textwrap.dedent(
        """
        import sys
        print("\\n".join(sorted(sys.modules)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_building_the_app_and_its_screens_loads_no_database_code():
    loaded = modules_loaded_after(
        """
        from types import SimpleNamespace
        from csdesk.app import make_app
        from csdesk.screens.commands import load_area_modules
        make_app(SimpleNamespace(db_url="sqlite:///nowhere.db", policy_path=None, lang=None))
        load_area_modules()  # every screen, as the command palette loads them
        """
    )
    assert "csdesk.app" in loaded
    assert not roots(loaded) & {"sqlmodel", "sqlalchemy", "alembic"}
    assert not {"csdesk.db", "csdesk.services", "csdesk.store"} & loaded


def test_rules_load_without_screens_or_database():
    loaded = modules_loaded_after(
        """
        import pkgutil, importlib, csdesk.rules
        for info in pkgutil.iter_modules(csdesk.rules.__path__, "csdesk.rules."):
            importlib.import_module(info.name)
        """
    )
    assert "csdesk.rules.catalog" in loaded
    assert not roots(loaded) & {"textual", "sqlmodel", "sqlalchemy"}
