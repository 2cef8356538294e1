from __future__ import annotations

import threading

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from csdesk.widgets.filter_bar import FilterBar
from csdesk.widgets.paged_table import PagedTable

TOTAL = 100_000


class FakeStore:
    """100,000 tickets that exist only as arithmetic; records which pages were asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []
        self.inserted_at_top = 0
        self._lock = threading.Lock()

    def row(self, n: int) -> tuple[str, str]:
        return (f"T{n:06d}", f"customer {n}")

    def fetch_page(self, offset: int, limit: int, text: str) -> list[tuple[str, str]]:
        with self._lock:
            self.calls.append((offset, limit, text))
        if text:
            # Tickets whose number contains the text, as a LIKE query would give.
            matching = (n for n in range(TOTAL) if text in f"{n:06d}")
            return [self.row(n) for i, n in enumerate(matching) if offset <= i < offset + limit]
        numbers = [-(k + 1) for k in range(self.inserted_at_top)][::-1] + list(range(TOTAL))
        return [self.row(n) for n in numbers[offset : offset + limit]]


class TableApp(App[None]):
    def __init__(self, store: FakeStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield PagedTable(["Ticket", "Customer"], self.store.fetch_page, row_key=lambda row: row[0], id="tickets")
        yield FilterBar("tickets")


def offsets(store: FakeStore) -> list[int]:
    return [offset for offset, _limit, _text in store.calls]


def test_only_the_first_page_is_fetched_until_the_cursor_nears_its_end(drive, settle):
    store = FakeStore()

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        assert offsets(store) == [0]
        assert table.row_count == 50
        table.focus()
        await pilot.press(*["j"] * 30)
        await settle(pilot.app)
        assert offsets(store) == [0], "no fetch while far from the end"
        await pilot.press(*["down"] * 15)
        await settle(pilot.app)
        assert offsets(store) == [0, 50]
        assert table.row_count == 100
        assert all(limit == 50 for _offset, limit, _text in store.calls)

    drive(TableApp(store), scenario)


def test_jumping_far_fetches_page_by_page_never_the_whole_table(drive, settle):
    store = FakeStore()

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        for _ in range(6):
            await pilot.press("pagedown", "pagedown", "pagedown")
            await settle(pilot.app)
        assert offsets(store) == sorted(set(offsets(store)))
        assert table.row_count == len(store.calls) * 50
        assert table.row_count < 1_000
        assert table.cursor_row < table.row_count

    drive(TableApp(store), scenario)


def test_filter_text_reaches_the_fetcher_and_restarts_at_the_first_page(drive, settle):
    store = FakeStore()

    async def scenario(pilot):
        await settle(pilot.app)
        bar = pilot.app.query_one(FilterBar)
        bar.open()
        await pilot.press(*"99999")
        await pilot.pause(0.4)  # typing pause before the filter applies
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        assert store.calls[-1] == (0, 50, "99999")
        assert [row for row in (table.get_row_at(i) for i in range(table.row_count))] == [["T099999", "customer 99999"]]
        assert table.complete

    drive(TableApp(store), scenario)


def test_refresh_keeps_the_cursor_on_the_same_ticket_when_rows_arrive_above(drive, settle):
    store = FakeStore()

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        await pilot.press(*["j"] * 7)
        assert table.row_at_cursor()[0] == "T000007"
        store.inserted_at_top = 3
        table.refresh_rows()
        await settle(pilot.app)
        assert table.row_at_cursor()[0] == "T000007"
        assert table.cursor_row == 10
        assert table.get_row_at(0)[0] == "T-00003"

    drive(TableApp(store), scenario)


class ChangingStore:
    """A short queue whose rows the test edits between refreshes."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.rows = rows

    def fetch_page(self, offset: int, limit: int, text: str) -> list[tuple[str, str]]:
        return self.rows[offset : offset + limit]


class ChangingApp(App[None]):
    def __init__(self, store: ChangingStore, zebra: bool = False) -> None:
        super().__init__()
        self.store = store
        self.zebra = zebra

    def compose(self) -> ComposeResult:
        table = PagedTable(["Ticket", "State"], self.store.fetch_page, row_key=lambda row: row[0], id="tickets")
        table.zebra_stripes = self.zebra
        yield table


def shown(table: PagedTable) -> list[list[str]]:
    return [list(table.get_row_at(i)) for i in range(table.row_count)]


def test_a_refresh_touches_only_rows_that_changed_and_keeps_the_cursor(drive, settle):
    store = ChangingStore([(f"T{n}", "new") for n in range(8)])

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        await pilot.press("j", "j", "j")
        rebuilds = []
        original_clear = table.clear
        table.clear = lambda *a, **k: rebuilds.append(1) or original_clear(*a, **k)

        table.refresh_rows()  # a commit elsewhere: nothing here changed
        await settle(pilot.app)
        assert rebuilds == [] and table.row_at_cursor()[0] == "T3"

        store.rows[5] = ("T5", "claimed")  # one cell changes
        store.rows.pop(1)  # one ticket leaves the queue
        store.rows.append(("T8", "new"))  # and one arrives at the end
        table.refresh_rows()
        await settle(pilot.app)
        assert rebuilds == []
        assert shown(table) == [list(row) for row in store.rows]
        assert table.row_at_cursor()[0] == "T3", "the cursor stays on the ticket the agent was looking at"

        store.rows.insert(0, ("T9", "new"))  # an urgent one above: the page is rebuilt
        table.refresh_rows()
        await settle(pilot.app)
        assert rebuilds == [1]
        assert shown(table) == [list(row) for row in store.rows]
        assert table.row_at_cursor()[0] == "T3"

    drive(ChangingApp(store), scenario)


def test_an_agent_at_the_top_sees_urgent_rows_arrive_above(drive, settle):
    store = FakeStore()

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        assert table.cursor_row == 0 and table.scroll_y == 0
        store.inserted_at_top = 3
        table.refresh_rows()
        await settle(pilot.app)
        assert table.scroll_y == 0, "the new rows at the top are in view"
        assert table.row_at_cursor()[0] == "T000000"

    drive(TableApp(store), scenario)


def test_a_refresh_with_the_same_cells_still_hands_over_what_the_rows_now_carry(drive, settle):
    from csdesk.screens.kit.tables import ViewRow

    views = {"T1": "filed", "T2": "filed"}

    def fetch(offset, limit, text):
        return [ViewRow((key, views[key]), (key,)) for key in ("T1", "T2")][offset : offset + limit]

    class ViewApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PagedTable(["Ticket"], fetch, row_key=lambda row: row[0], id="tickets")

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        assert table.row_at_cursor().view == ("T1", "filed")
        views["T1"] = "charged"  # what the detail line shows changes; the table's cells do not
        table.refresh_rows()
        await settle(pilot.app)
        assert table.row_at_cursor().view == ("T1", "charged")

    drive(ViewApp(), scenario)


def picture(table: PagedTable) -> list[list[tuple[str, object]]]:
    """What the table has on screen: each line's text with its look and what a click there reads."""
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [[(segment.text, segment.style) for segment in line] for line in lines]


def fresh_picture(drive, settle, rows: list[tuple[str, object]], cursor_on: str, zebra: bool, width: int):
    """The same rows in a table built just now, the cursor on the same ticket."""
    taken = []

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        table.move_cursor(row=[row[0] for row in rows].index(cursor_on))
        await settle(pilot.app)
        await pilot.pause()
        taken.append(picture(table))

    drive(ChangingApp(ChangingStore(list(rows)), zebra), scenario, size=(width, 24))
    return taken[0]


@pytest.mark.parametrize("zebra", [False, True], ids=["plain", "striped"])
def test_a_patched_page_looks_exactly_like_one_built_afresh(drive, settle, zebra):
    def state(n: int, said: str = "waiting") -> Text:
        return Text(f"{said} {n}m", style="bold red" if n % 2 else "green")

    def nothing(rows):
        pass

    store = ChangingStore([(f"T{n}", state(n)) for n in range(30)])
    # (what changes in the queue, keys the agent presses, terminal width)
    steps = [
        (lambda rows: rows.pop(0), (), 80),  # the ticket at the top is claimed elsewhere: every row moves up
        (lambda rows: rows.__setitem__(4, ("T5", state(5, "claimed"))), (), 80),  # a cell of a row that stays
        (lambda rows: rows.append(("T30", state(30))), (), 80),  # one arrives at the end
        (lambda rows: rows.remove(("T3", state(3))), (), 80),  # the row under the cursor leaves
        (lambda rows: (rows.pop(1), rows.__setitem__(1, ("T4", state(4, "claimed")))), (), 80),  # both at once
        (nothing, ("down", "down"), 80),
        (lambda rows: rows.pop(0), (), 100),
    ]
    patched = []

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        await pilot.press("j", "j", "j")
        for change, keys, width in steps:
            change(store.rows)
            await pilot.resize_terminal(width, 24)
            table.refresh_rows()
            await pilot.press(*keys)
            await settle(pilot.app)
            await pilot.pause()
            patched.append((list(store.rows), table.row_at_cursor()[0], width, picture(table)))

    drive(ChangingApp(store, zebra), scenario)
    assert [cursor for _rows, cursor, _width, _picture in patched] == ["T3", "T3", "T3", "T4", "T4", "T6", "T6"]
    for rows, cursor, width, shown_then in patched:
        assert shown_then == fresh_picture(drive, settle, rows, cursor, zebra, width)


def test_rows_leaving_a_long_page_shrink_it_to_what_is_left(drive, settle):
    store = ChangingStore([(f"T{n}", "new") for n in range(40)])

    async def scenario(pilot):
        await settle(pilot.app)
        table = pilot.app.query_one(PagedTable)
        table.focus()
        assert table.max_scroll_y > 0 and table.show_vertical_scrollbar
        del store.rows[3:]  # most of the queue is claimed elsewhere
        table.refresh_rows()
        await settle(pilot.app)
        await pilot.pause()
        assert shown(table) == [["T0", "new"], ["T1", "new"], ["T2", "new"]]
        # Nothing left to scroll to, and the scroll bar is gone with it.
        assert table.virtual_size.height == 1 + 3
        assert table.max_scroll_y == 0 and not table.show_vertical_scrollbar

    drive(ChangingApp(store), scenario)
