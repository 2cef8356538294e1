"""Keyboard round trips on the big centre through Textual's Pilot, and their floor.

Each figure is a key press (or a pushed screen) until every worker it started
has finished and its result was handled on the UI thread. The floor is the
same round trip on a one-label app: a key that runs a thread worker which
returns at once, and pushing a one-label screen.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from bench.pilotkit import settle

SIZE = (80, 24)
# Seconds a person takes to read the screen before the next key: the desk does its
# housekeeping (full garbage collections, see csdesk.collector) in such pauses.
THINK = 0.5


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in samples]
    return {
        "p95_ms": round(p95(ms), 2),
        "median_ms": round(statistics.median(ms), 2),
        "max_ms": round(max(ms), 2),
        "first_ms": round(ms[0], 2),
        # p95 of 30 is the second highest: often the second opening, a kept screen first shown again.
        "second_ms": round(ms[1], 2) if len(ms) > 1 else None,
        "n": len(ms),
    }


def press(pilot: Any, key: str) -> None:
    """The key as the terminal driver delivers it; Pilot.press would add its own idle waits."""
    from textual import events
    from textual.keys import _character_to_key  # noqa: F401 - same module Pilot uses

    char = key if len(key) == 1 else None
    pilot.app.post_message(events.Key(key, char))


async def timed(pilot: Any, act: Any) -> float:
    if THINK:
        await asyncio.sleep(THINK)
    # What the bench does straight (a palette command run, a screen pushed) a person does with a key.
    collector = getattr(pilot.app, "collector", None)
    if collector is not None:
        collector.input_seen()
    started = time.perf_counter()
    result = act()
    if asyncio.iscoroutine(result):
        await result
    await settle(pilot)
    return time.perf_counter() - started


# -- the floor ----------------------------------------------------------------------------


class _Plain(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("plain")


class _Floor(App[None]):
    BINDINGS = [Binding("x", "work", "Work")]

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def action_work(self) -> None:
        def call() -> int:
            return 1

        def done(value: int) -> None:
            label = self.query_one("#count", Static)
            label.update(str(int(str(label.render())) + value))

        async def run() -> None:
            value = await asyncio.to_thread(call)
            done(value)

        self.run_worker(run(), group="service")


async def floor(rounds: int) -> dict[str, Any]:
    app = _Floor()
    key: list[float] = []
    screen: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(rounds):
            key.append(await timed(pilot, lambda: press(pilot, "x")))
            screen.append(await timed(pilot, lambda: app.push_screen(_Plain())))
            app.pop_screen()
            await settle(pilot)
    return {"key": summary(key), "screen": summary(screen)}


# -- the desk -------------------------------------------------------------------------------


def _desk_app(path: str, at: datetime) -> tuple[Any, Any, Any]:
    from csdesk.app import make_app
    from csdesk.cli import Context
    from csdesk.services.base import Desk, FixedClock
    from csdesk.settings import resolve_settings

    ctx = Context(resolve_settings(path))
    clock = FixedClock(at)
    desk = Desk(db=ctx.open_db(), policy=ctx.policy(), clock=clock)
    _time_statements(desk.db.engine)
    app = make_app(ctx.settings, ctx._db, desk_factory=lambda: desk)
    return ctx, desk, app


# (seconds, statement) of every SQL statement the desk ran, to name the slow ones.
STATEMENTS: list[tuple[float, str]] = []


def _time_statements(engine: Any) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started = conn.info["bench_started"].pop()
        STATEMENTS.append((time.perf_counter() - started, " ".join(statement.split())))


# Seconds of each full collection each bench desk ran (csdesk.collector), by what it measured.
COLLECTED: dict[str, list[float]] = {}


def _keep_collections(where: str, app: Any) -> None:
    COLLECTED.setdefault(where, []).extend(app.collector.seconds)


def collections() -> dict[str, Any]:
    return {
        where: {"n": len(s), "median_ms": round(statistics.median(s) * 1000, 1), "max_ms": round(max(s) * 1000, 1)}
        for where, s in COLLECTED.items()
        if s
    }


def slowest(n: int = 8) -> list[dict[str, Any]]:
    worst: dict[str, float] = {}
    for seconds, statement in STATEMENTS:
        worst[statement] = max(seconds, worst.get(statement, 0.0))
    ranked = sorted(worst.items(), key=lambda item: -item[1])[:n]
    return [{"ms": round(seconds * 1000, 2), "sql": statement[:400]} for statement, seconds in ranked]


def _local(centre: Any, hour: int, minute: int) -> datetime:
    from csdesk.policy import load_policy

    zone = load_policy(None).zone
    return datetime.combine(centre.today, clock_time(hour, minute), tzinfo=zone).astimezone(UTC)


async def _sign_in(pilot: Any, ctx: Any, number: str) -> None:
    from csdesk.cli import acting_person

    pilot.app.signed_in(await asyncio.to_thread(acting_person, ctx, number))
    await settle(pilot)


async def _back_home(pilot: Any) -> None:
    while len(pilot.app.screen_stack) > 2:
        pilot.app.pop_screen()
    await settle(pilot)


async def open_screens(centre: Any, rounds: int) -> dict[str, Any]:
    """Every palette command a squad leader has, opened from home."""
    from csdesk.screens.commands import areas, commands_offered, load_area_modules
    from csdesk.services.base import Actor  # noqa: F401 - loads the store before timing

    ctx, desk, app = _desk_app(str(centre.path), _local(centre, 8, 20))
    results: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _sign_in(pilot, ctx, centre.leader)
        load_area_modules()
        commands = [
            c for area in areas() for c in commands_offered(area, app.actor) if c.title not in ("Sign out", "Home")
        ]
        for _ in range(rounds):
            for command in commands:
                results.setdefault(command.title, []).append(
                    await timed(pilot, lambda command=command: command.run(app))
                )
                await _back_home(pilot)
        _keep_collections("screens", app)
    ctx.close()
    return {title: summary(samples) for title, samples in results.items()}


async def desk_actions(centre: Any, rounds: int) -> dict[str, Any]:
    from sqlalchemy import text

    from csdesk.screens.handover import HandoverScreen
    from csdesk.screens.queues import QueuesScreen
    from csdesk.screens.rollcall import RollCallScreen
    from csdesk.screens.ticket import TicketScreen

    out: dict[str, Any] = {}
    # An agent claims from the email queue, then reads ticket timelines.
    ctx, desk, app = _desk_app(str(centre.path), _local(centre, 10, 0))
    async with app.run_test(size=SIZE) as pilot:
        await _sign_in(pilot, ctx, centre.agent)
        app.push_screen(QueuesScreen())
        await settle(pilot)
        tabs = app.screen.query_one("TabbedContent")
        tabs.active = "queue-email"
        await settle(pilot)
        app.screen.active_table().focus()
        await settle(pilot)
        with desk.read() as session:
            waiting = session.execute(
                text("SELECT count(*) FROM tickets WHERE status = 'new' AND channel = 'email'")
            ).scalar_one()
        if waiting < rounds:
            raise SystemExit(f"bench: the email queue holds {waiting} tickets for {rounds} claims; run with --rebuild")
        claims = []
        for _ in range(rounds):
            claims.append(await timed(pilot, lambda: press(pilot, "c")))
        out["claim a ticket"] = summary(claims)
        with desk.read() as session:
            claimed = session.execute(
                text(
                    "SELECT count(*) FROM tickets t JOIN staff s ON s.id = t.owner_id "
                    "WHERE s.employee_number = :n AND t.status = 'claimed' AND t.received_at >= :since"
                ),
                {"n": centre.agent, "since": "1970-01-01"},
            ).scalar_one()
            ids = [
                r[0]
                for r in session.execute(
                    text("SELECT id FROM tickets WHERE id % 997 = 1 ORDER BY id LIMIT :n"), {"n": rounds}
                )
            ]
        out["claim a ticket"]["claimed_by_agent_now"] = claimed
        timelines = []
        for ticket_id in ids:
            timelines.append(await timed(pilot, lambda ticket_id=ticket_id: app.push_screen(TicketScreen(ticket_id))))
            await _back_home(pilot)
        out["open a ticket's timeline"] = summary(timelines)
        _keep_collections("claims and timelines", app)
    ctx.close()

    # The leader of squad 1 calls the roll before the day shift...
    ctx, desk, app = _desk_app(str(centre.path), _local(centre, 8, 20))
    async with app.run_test(size=SIZE) as pilot:
        await _sign_in(pilot, ctx, centre.leader)
        app.push_screen(RollCallScreen())
        await settle(pilot)
        marks = []
        for n in range(rounds):
            if n and n % 8 == 0:
                await pilot.press("home")
                await settle(pilot)
            marks.append(await timed(pilot, lambda: press(pilot, "p")))
        out["mark a roll-call entry"] = summary(marks)
        out["mark a roll-call entry"]["status_line"] = str(app.screen.query_one("#rc-status").render())[:120]
        _keep_collections("roll call", app)
    ctx.close()

    # ...and writes the handover at its end.
    ctx, desk, app = _desk_app(str(centre.path), _local(centre, 17, 20))
    async with app.run_test(size=SIZE) as pilot:
        await _sign_in(pilot, ctx, centre.leader)
        app.push_screen(HandoverScreen())
        await settle(pilot)
        screen = app.screen
        before = _count(desk, "handover_logs")
        saves = []
        shift_end = desk.clock.at
        for n in range(rounds):
            # One handover per shift (HO-1): each save is for the same shift n days earlier.
            desk.clock.set(shift_end - timedelta(days=n))
            for name, value in (
                ("#handover-equipment", "all headsets working"),
                ("#handover-complaints", "none"),
                ("#handover-events", f"quiet shift {n}"),
            ):
                screen.query_one(name).value = value
            screen.query_one("#handover-problems").text = "none"
            options = [v for _, v in screen.query_one("#handover-incoming")._options if isinstance(v, int)]
            if options:
                screen.query_one("#handover-incoming").value = options[0]
            await settle(pilot)
            saves.append(await timed(pilot, lambda: press(pilot, "ctrl+s")))
        out["save a handover"] = summary(saves)
        out["save a handover"]["saved"] = _count(desk, "handover_logs") - before
        _keep_collections("handover", app)
    ctx.close()
    return out


def _count(desk: Any, table: str) -> int:
    from sqlalchemy import text

    with desk.read() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
