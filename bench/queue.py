"""The shared email queue over a table of 1,000,000 tickets.

The service's first page (and one deep page), its query plan (an index must
drive it, never a scan of ``tickets``), and the queues screen scrolled by
keyboard with every statement recorded: pages come with LIMIT, the whole
table never.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

from bench.actions import SIZE, _desk_app, _local, _sign_in, press, summary
from bench.pilotkit import settle


def service(centre: Any, rounds: int) -> dict[str, Any]:
    from csdesk.cli import Context, acting_person
    from csdesk.services.queues import Queue, queue_page, queue_statement
    from csdesk.settings import resolve_settings

    ctx = Context(resolve_settings(str(centre.path)))
    desk = ctx.desk()
    actor = acting_person(ctx, centre.agent)
    statement = queue_statement(actor, Queue.EMAIL).offset(0).limit(50)
    compiled = str(statement.compile(desk.db.engine, compile_kwargs={"literal_binds": True}))
    with desk.db.engine.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
        waiting = conn.exec_driver_sql(
            "SELECT count(*) FROM tickets WHERE status = 'new' AND channel = 'email'"
        ).scalar_one()
    if waiting == 0:
        raise SystemExit(
            f"bench: the email queue of {centre.path} is empty, so its figures would measure nothing; run with --rebuild"
        )
    middle = max(0, waiting // 2)
    first, deep, bare = [], [], []
    queue_page(desk, actor, "email", 0, 50)
    raw = sqlite3.connect(f"file:{centre.path}?mode=ro", uri=True)
    for _ in range(rounds):
        started = time.perf_counter()
        raw.execute(compiled).fetchall()
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        queue_page(desk, actor, "email", 0, 50)
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        queue_page(desk, actor, "email", middle, 50)
        deep.append(time.perf_counter() - started)
    raw.close()
    ctx.close()
    return {
        "first_page": summary(first),
        "raw_sqlite_same_query": summary(bare),
        f"page_at_{middle}": summary(deep),
        "plan": plan,
        "email_queue_rows": waiting,
        "scans_tickets": any(p.startswith("SCAN") and "tickets" in p and "INDEX" not in p for p in plan),
    }


async def screen(centre: Any, pages: int, rounds: int) -> dict[str, Any]:
    from sqlalchemy import event

    from csdesk.screens.commands import commands_offered, load_area_modules
    from csdesk.screens.queues import QueuesScreen

    ctx, desk, app = _desk_app(str(centre.path), _local(centre, 10, 0))
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "tickets" in statement:
            seen.append(" ".join(statement.split()))

    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _sign_in(pilot, ctx, centre.agent)
        load_area_modules()
        event.listen(desk.db.engine, "before_cursor_execute", record)
        # Through the palette's command, as the desk opens it. The first opening also styles
        # and lays out the screen's kind for the first time; the agent goes to the email tab.
        (command,) = [c for c in commands_offered("tickets", app.actor) if c.title == "Ticket queues"]
        opened = time.perf_counter()
        command.run(app)
        await settle(pilot)
        tabs = app.screen.query_one("TabbedContent")
        tabs.active = "queue-email"
        await settle(pilot)
        out["email_tab_first_page_ms"] = round((time.perf_counter() - opened) * 1000, 1)
        app.pop_screen()
        await settle(pilot)
        # As agents open it through the day: back onto the email tab they left, its rows read
        # afresh, again and again.
        openings = []
        for _ in range(rounds):
            started = time.perf_counter()
            command.run(app)
            await settle(pilot)
            openings.append(time.perf_counter() - started)
            if app.screen.query_one("TabbedContent").active != "queue-email":
                raise SystemExit("bench: the queues screen opened again on another tab than the email tab left")
            app.pop_screen()
            await settle(pilot)
        out["email_tab_opened"] = summary(openings)
        app.push_screen(QueuesScreen("email"))
        await settle(pilot)
        table = app.screen.active_table()
        table.focus()
        await settle(pilot)
        scrolls = []
        for _ in range(pages):
            started = time.perf_counter()
            press(pilot, "pagedown")
            await settle(pilot)
            scrolls.append(time.perf_counter() - started)
        out["page_down"] = summary(scrolls)
        out["rows_held"] = table.row_count
        event.remove(desk.db.engine, "before_cursor_execute", record)
    ctx.close()
    selects = [s for s in seen if s.upper().startswith("SELECT") and "FROM tickets" in s]
    unbounded = [s for s in selects if "LIMIT" not in s.upper() and "COUNT(" not in s.upper()]
    out["ticket_selects"] = len(selects)
    out["unbounded_selects"] = unbounded[:3]
    return out


def run(centre: Any, rounds: int) -> dict[str, Any]:
    return {"service": service(centre, rounds), "screen": asyncio.run(screen(centre, max(5, rounds // 2), rounds))}
