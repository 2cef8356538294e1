"""The desk paints before the store is loaded, home is ready before any area's
screens are, and the rules stay pure."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from csdesk.rules.vocab import Role
from csdesk.screens.home import AREA_KEYS
from csdesk.services.base import Actor
from csdesk.store import create_database


def run_alone(code: str, *argv: str) -> str:
    """What ``code`` prints in a fresh interpreter, untouched by this run's imports."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *argv], capture_output=True, text=True, check=True
    ).stdout


def modules_loaded_after(code: str) -> set[str]:
    probe = textwrap.dedent(code) + textwrap.dedent(
        """
        import sys
        print("\\n".join(sorted(sys.modules)))
        """
    )
    return set(run_alone(probe).split())


def roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_building_the_app_and_its_screens_loads_no_database_code():
    loaded = modules_loaded_after(
        """
        from types import SimpleNamespace
        from csdesk.app import make_app
        import importlib, pkgutil, csdesk.screens
        make_app(SimpleNamespace(db_url="sqlite:///nowhere.db", policy_path=None, lang=None))
        for info in pkgutil.iter_modules(csdesk.screens.__path__, "csdesk.screens."):
            importlib.import_module(info.name)  # every screen, and the palette's catalogue
        """
    )
    assert {"csdesk.app", "csdesk.screens.catalogue", "csdesk.screens.quality"} <= loaded
    assert not roots(loaded) & {"sqlmodel", "sqlalchemy", "alembic"}
    assert not {"csdesk.db", "csdesk.services", "csdesk.store"} & loaded


def test_the_command_paints_sign_in_before_the_database_stack_is_loaded_and_opens_it_behind(tmp_path):
    path = tmp_path / "centre.db"
    create_database(path).close()
    out = run_alone(
        """
        import json, sys
        from textual.app import App
        from textual.screen import Screen

        seen = {}
        run, paint = App.run, Screen._compositor_refresh

        def headless(self, *args, **kwargs):
            return run(self, headless=True, size=(80, 24))

        def painted(self):
            paint(self)
            if "at_first_paint" in seen or type(self).__name__ != "SignInScreen":
                return
            seen["at_first_paint"] = sorted(sys.modules)
            app = self.app

            def opened():
                said = str(self.query_one("#signin-message").render())
                behind = [w for w in app.workers if w.name == "open-desk"]
                if said or (app._desk is not None and all(w.is_finished for w in behind)):
                    seen["opened"], seen["said"] = app._desk is not None, said
                    seen["before_sign_in"] = sorted(sys.modules)
                    app.exit()

            app.set_interval(0.02, opened)

        App.run, Screen._compositor_refresh = headless, painted
        from csdesk.cli import main

        code = main(["--db", sys.argv[1]])
        print(json.dumps({**seen, "code": code}))
        """,
        str(path),
    )
    seen = json.loads(out.splitlines()[-1])
    assert seen["code"] == 0
    assert not roots(set(seen["at_first_paint"])) & {"sqlalchemy", "sqlmodel", "alembic", "pydantic"}
    assert not {"csdesk.db", "csdesk.store", "csdesk.policy", "csdesk.services"} & set(seen["at_first_paint"])
    # ...and the database is opened behind the painted screen, ready for the first sign-in,
    # with what home shows read too: the PIN then opens home without waiting for it.
    assert seen["opened"] is True, seen["said"]
    assert {"csdesk.screens.home", "csdesk.services.home", "csdesk.services.queues"} <= set(seen["before_sign_in"])


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


def test_a_leaders_home_is_ready_before_any_area_is_loaded_and_its_keys_still_open_them(
    db_path, db, make_squad, make_staff
):
    squad = make_squad("Lotus")
    leader = Actor.of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1024"))
    out = run_alone(
        """
        import asyncio, json, sys
        from types import SimpleNamespace
        from csdesk.app import make_app
        from csdesk.rules.vocab import Role
        from csdesk.services.base import Actor

        app = make_app(SimpleNamespace(db_url=sys.argv[1], policy_path=None, lang=None))
        seen = {}

        async def settle():
            for _ in range(3):
                busy = [w for w in app.workers if w.group != "live-refresh" and not w.is_finished]
                if busy:
                    await app.workers.wait_for_complete(busy)
                await asyncio.sleep(0.01)

        async def scenario():
            async with app.run_test(size=(80, 24)) as pilot:
                staff_id, number, name, role, squad_id = json.loads(sys.argv[2])
                app.signed_in(Actor(staff_id, number, name, Role(role), squad_id))
                await settle()
                await pilot.pause()
                seen["home"] = type(app.screen).__name__
                seen["go_to"] = str(app.screen.query_one("#home-goto").render())
                seen["loaded"] = sorted(m for m in sys.modules if m.startswith("csdesk.screens."))
                await pilot.press("f")
                await settle()
                seen["after_f"] = type(app.screen).__name__
                app.pop_screen()
                await pilot.press("ctrl+p", *"quality inspection")
                await pilot.pause(0.5)
                await pilot.press("enter")
                await settle()
                seen["from_palette"] = type(app.screen).__name__

        asyncio.run(scenario())
        print(json.dumps(seen))
        """,
        str(db_path),
        json.dumps([leader.staff_id, leader.employee_number, leader.name, leader.role, leader.squad_id]),
    )
    seen = json.loads(out.splitlines()[-1])
    assert seen["home"] == "HomeScreen"
    # The Go to row already knows what a leader may open...
    for words in ("f Fines", "g Quality", "e Evaluation", "r Roll call"):
        assert words in seen["go_to"]
    # ...without any area's screens having been loaded to find out.
    areas = {f"csdesk.screens.{module}" for _key, module, _title in AREA_KEYS}
    assert areas & set(seen["loaded"]) == set()
    assert seen["after_f"] == "FinesScreen"
    assert seen["from_palette"] == "QualityScreen"
