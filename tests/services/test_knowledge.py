"""The knowledge base: editorial steps with their times (KB-1), search on a case (KB-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, KnowledgeEntry, KnowledgeStateChange
from csdesk.rules.knowledge import EDITORIAL_ORDER, KbState
from csdesk.rules.vocab import Role
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied, ServiceError
from csdesk.services.knowledge import (
    advance_entry,
    catalogue_tree,
    entries_in,
    entry_detail,
    receive_notice,
    remove_entry,
    search_knowledge,
)

NOTICE = "关于调整宽带退款流程的通知\n\n  各营业厅:自 3 月 10 日起……  \n"


@pytest.fixture
def editor(make_staff, actor_of):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, real_name="李娜"))


@pytest.fixture
def director(make_staff, actor_of):
    return actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR, real_name="María González"))


@pytest.fixture
def agent(make_staff, actor_of):
    return actor_of(make_staff())


def walk(desk, editor, director, entry_id, until=KbState.PUBLISHED, body="answer", clock=None):
    """Takes an entry through the steps up to ``until``."""
    view = entry_detail(desk, editor, entry_id)
    while view.state is not until:
        target = view.next_state
        who = director if target is KbState.READ_BY_DIRECTOR else editor
        note = "Billing dept, Ms Zhao" if target is KbState.CONFIRMED else ""
        if clock is not None:
            clock.advance(minutes=10)
        view = advance_entry(desk, who, entry_id, target, note=note, body=body)
    return view


@pytest.fixture
def publish(desk, editor, director):
    def make(title, body, catalogue="Billing/Refunds", until=KbState.PUBLISHED):
        entry = receive_notice(desk, editor, title, f"notice: {title}", catalogue, source="Billing")
        return walk(desk, editor, director, entry.id, until, body)

    return make


def test_kb_1_a_notice_is_received_with_its_original_kept_exactly(desk, editor, clock):
    view = receive_notice(desk, editor, " 宽带退款 ", NOTICE, " Billing / Refunds ", source="计费部")
    assert view.original == NOTICE  # not even the trailing spaces are trimmed
    assert (view.title, view.catalogue, view.state) == ("宽带退款", "Billing/Refunds", KbState.NOTICE_RECEIVED)
    [step] = view.history
    assert (step.started_at, step.ended_at, step.note) == (clock.at, None, "from 计费部")
    assert "李娜" in step.by
    assert view.next_state is KbState.READ_BY_DIRECTOR


def test_kb_1_agents_do_not_receive_notices_and_bad_input_saves_nothing(desk, agent, editor):
    with pytest.raises(PermissionDenied) as raised:
        receive_notice(desk, agent, "t", "text", "Billing")
    assert "KB-1" in raised.value.rule_ids
    for title, original, catalogue, field in (
        ("", "x", "Billing", "title"),
        ("t", "  ", "Billing", "original"),
        ("t", "x", "", "catalogue"),
        ("t", "x", "Billing//Refunds", "catalogue"),
        ("t", "x", "B" * 81, "catalogue"),
    ):
        with pytest.raises(InvalidInput) as raised:
            receive_notice(desk, editor, title, original, catalogue)
        assert raised.value.field == field
    with desk.read() as session:
        assert session.exec(select(KnowledgeEntry)).all() == []


def test_kb_1_every_step_records_its_start_and_end(desk, editor, director, clock):
    start = clock.at
    entry = receive_notice(desk, editor, "Refund to bank card", "original", "Billing/Refunds")
    view = walk(desk, editor, director, entry.id, clock=clock)
    assert [s.state for s in view.history] == list(EDITORIAL_ORDER)
    for index, step in enumerate(view.history):
        assert step.started_at == start + timedelta(minutes=10 * index)
        if index + 1 < len(view.history):
            assert step.ended_at == view.history[index + 1].started_at
    assert view.history[-1].ended_at is None
    assert view.history[1].by.endswith("María González")
    assert view.history[5].note == "Billing dept, Ms Zhao"
    assert view.next_state is None
    with desk.read() as session:
        actions = session.exec(select(AuditLog.action).where(AuditLog.entity == "knowledge_entry")).all()
    assert actions.count("knowledge.advance") == len(EDITORIAL_ORDER) - 1
    assert actions.count("knowledge.receive") == 1


def test_kb_1_skipping_a_step_or_the_wrong_role_is_refused_and_nothing_saved(desk, editor, director, agent):
    entry = receive_notice(desk, editor, "Roaming", "original", "Mobile")
    with pytest.raises(ServiceError) as raised:
        advance_entry(desk, director, entry.id, KbState.UNDERSTOOD)
    assert raised.value.rule_ids == ("KB-1",) and "'read by director'" in raised.value.message
    with pytest.raises(PermissionDenied):  # a squad leader does not mark it read for the director
        advance_entry(desk, editor, entry.id, KbState.READ_BY_DIRECTOR)
    with pytest.raises(PermissionDenied):
        advance_entry(desk, agent, entry.id, KbState.READ_BY_DIRECTOR)
    with pytest.raises(InvalidInput) as raised:
        advance_entry(desk, director, entry.id, "approved")
    assert raised.value.field == "state"
    view = walk(desk, editor, director, entry.id, KbState.ENTERED)
    with pytest.raises(InvalidInput) as raised:
        advance_entry(desk, editor, entry.id, KbState.CONFIRMED, note=" ")
    assert raised.value.field == "note"
    with desk.read() as session:
        steps = session.exec(select(KnowledgeStateChange).where(KnowledgeStateChange.entry_id == entry.id)).all()
    assert len(steps) == len(view.history) == 5
    assert entry_detail(desk, editor, entry.id).state is KbState.ENTERED


def test_kb_1_rewriting_needs_the_customer_wording(desk, editor, director):
    entry = receive_notice(desk, editor, "Roaming", "original", "Mobile")
    walk(desk, editor, director, entry.id, KbState.CONFIRMED, body="internal wording")
    with pytest.raises(InvalidInput) as raised:
        advance_entry(desk, editor, entry.id, KbState.REWRITTEN, body="  ")
    assert raised.value.field == "body"
    view = advance_entry(desk, editor, entry.id, KbState.REWRITTEN, body="Roaming is free in the EU.")
    assert view.body == "Roaming is free in the EU." and view.original == "original"


def test_kb_1_removal_is_recorded_never_deleted(desk, editor, director, agent, publish, clock):
    view = publish("Old tariff", "旧资费套餐说明")
    assert [line.id for line in search_knowledge(desk, agent, "旧资费")] == [view.id]
    with pytest.raises(InvalidInput) as raised:
        remove_entry(desk, editor, view.id, " ")
    assert raised.value.field == "note"
    with pytest.raises(PermissionDenied):
        remove_entry(desk, agent, view.id, "outdated")
    clock.advance(hours=1)
    removed = remove_entry(desk, editor, view.id, "superseded by notice 14")
    assert removed.state is KbState.REMOVED and removed.removed_at == clock.at
    assert removed.history[-1].note == "superseded by notice 14"
    assert removed.history[-2].ended_at == clock.at  # publication ended with the removal
    assert search_knowledge(desk, agent, "旧资费") == ()
    assert search_knowledge(desk, editor, "旧资费") == ()
    with pytest.raises(ServiceError, match="stays removed"):
        remove_entry(desk, editor, view.id, "again")
    with desk.read() as session:
        assert session.get(KnowledgeEntry, view.id).original == "notice: Old tariff"


CHINESE = ("宽带退款到银行卡", "办理宽带退款需要携带身份证原件,退款在七个工作日内退回银行卡。")


def test_kb_2_chinese_is_found_by_one_two_and_three_or_more_characters(desk, agent, publish):
    refund = publish(*CHINESE)
    roaming = publish("国际漫游开通", "出国前拨打客服热线开通国际漫游,话费按目的地计费。", "Mobile/Roaming")
    publish("Refund to a bank card", "Refunds reach the card in 7 working days.")
    for query, expected in (
        ("款", [refund.id]),  # one character
        ("退款", [refund.id]),  # two
        ("身份证", [refund.id]),  # three: through the index
        ("七个工作日内", [refund.id]),
        ("漫游", [roaming.id]),
        ("话费 漫游", [roaming.id]),  # every word must be there
        ("退款 漫游", []),
        ("银行卡 退款", [refund.id]),  # an indexed and a short word together
        ("客服", [roaming.id]),
        ("宽带退款到银行卡", [refund.id]),
    ):
        assert [line.id for line in search_knowledge(desk, agent, query)] == expected, query


def test_kb_2_english_search_ignores_case_and_ranks_title_matches(desk, agent, publish):
    card = publish("Refund to a bank card", "Refunds reach the card in 7 working days.")
    other = publish("Top-up cards", "A refund of a top-up card is not possible.", "Billing/Top-up")
    found = [line.id for line in search_knowledge(desk, agent, "REFUND")]
    assert set(found) == {card.id, other.id}
    assert [line.id for line in search_knowledge(desk, agent, "refund bank")] == [card.id]
    assert [line.id for line in search_knowledge(desk, agent, "Billing/Top")] == [other.id]  # the catalogue too
    assert search_knowledge(desk, agent, "   ") == ()
    # Characters with a meaning in LIKE or the index's syntax are plain text.
    assert search_knowledge(desk, agent, '100% "free" _x') == ()
    assert search_knowledge(desk, agent, "%") == ()
    with pytest.raises(InvalidInput) as raised:
        search_knowledge(desk, agent, "x" * 201)
    assert raised.value.field == "query"


def test_kb_2_agents_find_published_entries_editors_find_drafts(desk, editor, agent, publish):
    draft = publish("携号转网", "携号转网需要满足在网时长要求。", "Mobile", until=KbState.ENTERED)
    assert search_knowledge(desk, agent, "携号转网") == ()
    assert [line.id for line in search_knowledge(desk, editor, "携号转网")] == [draft.id]
    with pytest.raises(NotFound):
        entry_detail(desk, agent, draft.id)
    with pytest.raises(PermissionDenied):  # an agent learns nothing about a draft by trying to edit it
        advance_entry(desk, agent, draft.id, KbState.CONFIRMED, note="x")


def test_kb_2_a_changed_text_is_found_by_its_new_words_only(desk, editor, director, agent):
    entry = receive_notice(desk, editor, "Roaming", "original", "Mobile")
    walk(desk, editor, director, entry.id, KbState.CONFIRMED, body="old wording about tariffs")
    advance_entry(desk, editor, entry.id, KbState.REWRITTEN, body="新的说法:漫游免费")
    advance_entry(desk, editor, entry.id, KbState.PUBLISHED)
    assert search_knowledge(desk, agent, "tariffs") == ()
    assert [line.id for line in search_knowledge(desk, agent, "漫游免费")] == [entry.id]


def test_catalogue_tree_counts_what_the_person_may_see(desk, editor, agent, publish):
    publish("A", "a", "Billing/Refunds")
    publish("B", "b", "Billing/Refunds")
    publish("C", "c", "Mobile/Roaming")
    publish("D", "d", "Mobile", until=KbState.UNDERSTOOD)
    assert [(c.path, c.entries) for c in catalogue_tree(desk, agent)] == [("Billing/Refunds", 2), ("Mobile/Roaming", 1)]
    assert ("Mobile", 1) in [(c.path, c.entries) for c in catalogue_tree(desk, editor)]
    assert [line.title for line in entries_in(desk, agent, "Billing / Refunds")] == ["A", "B"]
    assert [line.title for line in entries_in(desk, agent, "Billing/Refunds", offset=1, limit=1)] == ["B"]
    assert entries_in(desk, agent, "Mobile") == ()


@pytest.mark.sqlite_only
def test_kb_2_search_goes_through_the_full_text_index(desk, agent, publish):
    from csdesk.fulltext import terms_of, with_match
    from csdesk.services.knowledge import _visible

    publish(*CHINESE)
    statement = with_match(select(KnowledgeEntry).where(_visible(agent)), "sqlite", terms_of("身份证 退款"))
    compiled = statement.limit(20).compile(desk.db.engine, compile_kwargs={"literal_binds": True})
    with desk.db.engine.connect() as conn:
        plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "VIRTUAL TABLE INDEX" in plan and "knowledge_search" in plan, plan
    assert "SCAN knowledge_entries" not in plan, plan


@pytest.mark.pg_only
def test_kb_2_on_postgresql_the_trigram_index_serves_the_search(desk, agent, publish):
    from sqlalchemy import text

    from csdesk.fulltext import terms_of, with_match
    from csdesk.services.knowledge import _visible

    publish(*CHINESE)
    statement = with_match(select(KnowledgeEntry).where(_visible(agent)), "postgresql", terms_of("身份证"))
    compiled = statement.limit(20).compile(desk.db.engine, compile_kwargs={"literal_binds": True})
    with desk.db.engine.connect() as conn:
        # A table of a few rows is scanned anyway; what matters is that the index can serve the query.
        conn.execute(text("SET enable_seqscan = off"))
        plan = " | ".join(row[0] for row in conn.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_knowledge_entries_search" in plan, plan
