"""The memo book on screen: an agent writes, a leader adopts with a reward or declines (DS-4, FN-7)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from csdesk.app import make_app
from csdesk.models import LedgerEntry, MemoSuggestion, SuggestionStatus
from csdesk.models.states import MemoKind
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.screens.home import HomeScreen
from csdesk.screens.memo import AdoptForm, MemoBookScreen, MemoForm, MemoReviewScreen
from csdesk.services.base import Actor
from csdesk.services.ledger import custom_entry
from csdesk.services.memo import write_memo
from csdesk.widgets.confirm import ConfirmModal
from csdesk.widgets.paged_table import PagedTable


@pytest.fixture
def squad(desk, make_squad, make_staff):
    lotus = make_squad("莲花组")
    leader = make_staff(role=Role.SQUAD_LEADER, squad=lotus, employee_number="1101", real_name="李娜")
    agent = make_staff(squad=lotus, employee_number="1110", real_name="王芳")
    # FN-8: rewards are paid from the fund, so it holds some fines first.
    director = make_staff(role=Role.DEPARTMENT_DIRECTOR)
    custom_entry(desk, Actor.of(director), agent.id, LedgerKind.FINE, 200, "broken headset")
    return SimpleNamespace(leader=Actor.of(leader), agent=Actor.of(agent))


def desk_app(db, desk):
    return make_app(SimpleNamespace(lang=None), db, desk_factory=lambda: desk)


def memos(desk) -> list[MemoSuggestion]:
    with desk.read() as session:
        return list(session.exec(select(MemoSuggestion).order_by(MemoSuggestion.id)).all())


def rewards(desk) -> list[LedgerEntry]:
    with desk.read() as session:
        return list(session.exec(select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.REWARD.value)).all())


def test_an_agent_writes_a_problem_from_home_and_sees_it_in_their_book(db, desk, squad, drive, settle):  # rule: DS-4
    app = desk_app(db, desk)

    async def scenario(pilot):
        app.signed_in(squad.agent)
        await settle(app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("m")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, MemoBookScreen)  # agents land on their own book
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MemoForm)
        await pilot.press("shift+tab", "enter", "up", "enter")  # kind: problem
        await pilot.press("tab", *"耳机经常断线", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, MemoBookScreen)
        await settle(app)
        await pilot.pause()
        table = app.screen.query_one("#memo-mine", PagedTable)
        assert table.row_count == 1 and "耳机经常断线" in str(table.get_row_at(0)[2])

    drive(app, scenario)
    [saved] = memos(desk)
    assert (saved.author_id, saved.kind, saved.text, saved.status) == (
        squad.agent.staff_id,
        MemoKind.PROBLEM,
        "耳机经常断线",
        SuggestionStatus.OPEN,
    )


def test_a_leader_adopts_with_a_reward_in_range_paid_from_the_fund(db, desk, squad, drive, settle):  # rule: FN-7, DS-4
    memo = write_memo(desk, squad.agent, MemoKind.IDEA, "退款问题加一个快捷回复")
    app = desk_app(db, desk)

    async def scenario(pilot):
        app.signed_in(squad.leader)
        await settle(app)
        await pilot.press("m")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, MemoReviewScreen)  # leaders land on the list to review
        table = app.screen.query_one("#memo-review", PagedTable)
        assert table.row_count == 1 and "王芳" in str(table.get_row_at(0)[1])
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AdoptForm)
        await pilot.press(*"101", "enter")
        await settle(app)
        await pilot.pause()
        assert "between 10 and 100" in str(form.query_one(".field-error", Static).render())
        assert rewards(desk) == []  # refused: nothing paid
        form.query_one("#adopt-amount", Input).value = ""
        await pilot.press(*"100", "tab", *"saves typing", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, MemoReviewScreen)
        await settle(app)
        await pilot.pause()
        assert app.screen.query_one("#memo-review", PagedTable).row_count == 0  # no longer open

    drive(app, scenario)
    [adopted] = memos(desk)
    [reward] = rewards(desk)
    assert adopted.status is SuggestionStatus.ADOPTED and adopted.reward_entry_id == reward.id
    assert adopted.review_note == "saves typing" and adopted.reviewed_by_id == squad.leader.staff_id
    assert (reward.staff_id, reward.amount_cents, reward.rule_id) == (memo.author_id, -10000, "FN-7")


def test_a_leader_declines_with_a_reason_the_author_then_reads(db, desk, squad, drive, settle):  # rule: DS-4
    write_memo(desk, squad.agent, MemoKind.IDEA, "Show the queue on the wallboard")
    app = desk_app(db, desk)

    async def scenario(pilot):
        app.signed_in(squad.leader)
        await settle(app)
        app.push_screen(MemoReviewScreen())
        await settle(app)
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press(*"already on the wallboard", "enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, MemoReviewScreen)
        await pilot.press("s")  # adopted
        await pilot.press("s")  # declined
        await settle(app)
        await pilot.pause()
        assert "declined" in str(app.screen.query_one("#memo-title", Static).render())
        assert app.screen.query_one("#memo-review", PagedTable).row_count == 1

    drive(app, scenario)
    [declined] = memos(desk)
    assert declined.status is SuggestionStatus.DECLINED and declined.review_note == "already on the wallboard"
    assert rewards(desk) == []


def test_an_agent_has_no_adopt_or_review(db, desk, squad):  # rule: DS-4, FN-7
    from csdesk.screens.home import area_commands

    titles = {c.title for c in area_commands("memo", SimpleNamespace(role=Role.AGENT))}
    assert titles == {"Memo book", "Write a memo"}
    assert "Review memos" in {c.title for c in area_commands("memo", SimpleNamespace(role=Role.SQUAD_LEADER))}


def test_review_memos_is_offered_to_exactly_the_roles_the_desk_lets_review():  # rule: DS-4
    from csdesk.screens.home import area_commands
    from csdesk.services.permissions import DeskAction, can

    for role in Role:
        offered = "Review memos" in {c.title for c in area_commands("memo", SimpleNamespace(role=role))}
        assert offered == can(role, DeskAction.REVIEW_SUGGESTION).ok, role


def test_memo_review_snapshot(snap_compare, db, desk, squad, settle):  # rule: DS-4
    write_memo(desk, squad.agent, MemoKind.PROBLEM, "耳机经常断线，客户要重复两三遍。")
    write_memo(desk, squad.agent, MemoKind.IDEA, "A quick reply for refund questions")

    async def open_it(pilot):
        pilot.app.signed_in(squad.leader)
        await settle(pilot.app)
        pilot.app.push_screen(MemoReviewScreen())
        await settle(pilot.app)
        await pilot.pause()

    assert snap_compare(desk_app(db, desk), terminal_size=(80, 24), run_before=open_it)
