"""One measured start, run as its own process by ``bench.cold``.

``desk``: the ``csdesk`` command's own path (parse, settings, build the app, which
opens the policy and the database at head behind its sign-in screen), signed in as
``--as`` by typing the number and the PIN into the sign-in screen, then home screen
until settled.
``floor``: a one-widget Textual app started the same way.

When ready it writes one JSON line to the file descriptor ``--ready-fd``;
with ``--queues`` it then opens the queues screen and reports the peak
resident size. Nothing here is part of the desk: the shipped command has no
way to skip the PIN.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path
from typing import Any


def peak_resident_kb() -> int:
    """This process's own peak resident size. ``ru_maxrss`` survives fork and exec, so a
    desk started by a bench that has just built a centre would report the bench's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _report(fd: int, **values: object) -> None:
    os.write(fd, (json.dumps(values) + "\n").encode())


MARKS: dict[str, float] = {}
# Presses of Enter again after "the database is busy" at sign-in, before the desk gives up.
RETRIES_WHEN_BUSY = 10


def mark(name: str) -> None:
    MARKS[name] = time.perf_counter()


def desk(args: argparse.Namespace) -> None:
    mark("python_ready")
    from csdesk.cli import Context, _load_extensions, build_parser
    from csdesk.settings import resolve_settings

    _load_extensions()
    parsed = build_parser().parse_args(["--db", args.db])
    ctx = Context(resolve_settings(parsed.db, parsed.policy, parsed.lang))
    mark("cli_imported")
    from csdesk.app import make_app

    # As the command does: the policy and the database are opened behind the sign-in screen.
    app = make_app(ctx.settings)
    mark("app_built")

    async def pilot_run(pilot) -> None:  # type: ignore[no-untyped-def]
        import asyncio

        from bench.pilotkit import settle
        from csdesk.services import auth

        mark("sign_in_shown")
        if args.typing:
            await asyncio.sleep(args.typing)
        mark("pin_entered")
        # Signed in through the sign-in service with the PIN, as the sign-in screen does once
        # the PIN is typed: its argon2 check is part of the start and of the peak memory.
        actor = await _sign_in(app, auth, args)
        mark("signed_in")
        app.signed_in(actor)
        # Sixty desks starting at once on two cores take longer than one desk's 30 s.
        await settle(pilot, timeout=300)
        mark("home_ready")
        _report(args.ready_fd, stage="home", screen=type(app.screen).__name__, marks=MARKS)
        if args.queues:
            from csdesk.screens.queues import QueuesScreen

            app.push_screen(QueuesScreen())
            await settle(pilot, timeout=300)
            _report(
                args.ready_fd,
                stage="queues",
                screen=type(app.screen).__name__,
                marks=MARKS,
                maxrss_kb=peak_resident_kb(),
            )
            if args.stay:
                # Watching the queue as an agent does, while the bench changes the centre.
                import asyncio

                await asyncio.sleep(args.stay)
        app.exit()

    app.run(auto_pilot=pilot_run)


async def _sign_in(app: Any, auth: Any, args: argparse.Namespace) -> Any:
    """As a person at the sign-in screen: told the database is busy (sixty desks starting on
    two cores all sign in within seconds), they press Enter again a moment later."""
    import asyncio

    from csdesk.db import DatabaseBusy

    for _ in range(RETRIES_WHEN_BUSY):
        try:
            return await asyncio.to_thread(app.call_service, auth.sign_in, args.as_number, args.pin)
        except DatabaseBusy:
            MARKS["busy_at_sign_in"] = MARKS.get("busy_at_sign_in", 0) + 1
            await asyncio.sleep(1.0)
    return await asyncio.to_thread(app.call_service, auth.sign_in, args.as_number, args.pin)


def floor(args: argparse.Namespace) -> None:
    mark("python_ready")
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("ready")

    async def pilot_run(pilot) -> None:  # type: ignore[no-untyped-def]
        from bench.pilotkit import settle

        mark("app_shown")
        await settle(pilot)
        mark("home_ready")
        _report(
            args.ready_fd,
            stage="home",
            screen="Floor",
            marks=MARKS,
            maxrss_kb=peak_resident_kb(),
        )
        pilot.app.exit()

    Floor().run(auto_pilot=pilot_run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("desk", "floor"))
    parser.add_argument("--db")
    parser.add_argument("--as", dest="as_number")
    parser.add_argument(
        "--pin", default="1234", help="the PIN of --as (bench.bigcentre.PIN, everyone's in that centre)"
    )
    parser.add_argument("--ready-fd", type=int, required=True)
    parser.add_argument("--queues", action="store_true")
    parser.add_argument("--stay", type=float, default=0.0, help="seconds to keep the queues screen open")
    parser.add_argument(
        "--typing", type=float, default=0.0, help="seconds the person takes to type their number and PIN"
    )
    args = parser.parse_args()
    (desk if args.mode == "desk" else floor)(args)


if __name__ == "__main__":
    main()
