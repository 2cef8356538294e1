"""Canned replies: leaders keep the agreed wording, agents fill and send it (TK-9, TK-14, ST-2)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, TicketEvent
from csdesk.rules.vocab import Category, Channel, Role
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError, StaleEdit
from csdesk.services.canned import (
    canned_replies,
    create_canned_reply,
    edit_canned_reply,
    fill_canned_reply,
    retire_canned_reply,
    send_canned_reply,
)
from csdesk.services.tickets import claim, take_in

REFUND_ZH = "您好{customer}，您的工单{ticket}已受理，退款{退款金额}元将在3个工作日内退回。客服{agent}号为您服务。"
REFUND_EN = "Dear {customer}, your refund of {amount} yuan for {ticket} is on its way. Agent No. {agent}"


@pytest.fixture
def squad(make_squad):
    return make_squad("Lotus")


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="1101"))


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1113", real_name="赵磊"))


@pytest.fixture
def wording(desk, leader):
    zh = create_canned_reply(desk, leader, Category.COMPLAINT, "zh_CN", "退款已受理", REFUND_ZH)
    en = create_canned_reply(desk, leader, "complaint", "en", "Refund on its way", REFUND_EN)
    other = create_canned_reply(
        desk, leader, Category.INQUIRY, "en", "Opening hours", "We are open from 8:30 to 01:00 every day."
    )
    return zh, en, other


def owned_case(desk, agent):
    return take_in(desk, agent, Channel.PHONE, Category.COMPLAINT, "钱女士", "13800001111", "退款未到账", "")


def test_agents_list_the_current_wording_by_category_and_language(desk, agent, wording):
    zh, en, other = wording
    assert [r.id for r in canned_replies(desk, agent, Category.COMPLAINT, "zh_CN")] == [zh.id]
    assert [r.id for r in canned_replies(desk, agent, "complaint", "en")] == [en.id]
    assert [r.id for r in canned_replies(desk, agent, language="en")] == [en.id, other.id]  # by category
    assert zh.blanks == ("customer", "ticket", "退款金额", "agent") and zh.created_by == "1101"


def test_only_squad_leaders_and_directors_keep_the_wording(desk, agent, leader, make_staff, actor_of, squad, wording):
    # rule: ST-2
    deputy = actor_of(make_staff(role=Role.DEPUTY_LEADER, squad=squad))
    for person in (agent, deputy):
        with pytest.raises(PermissionDenied) as refused:
            create_canned_reply(desk, person, Category.INQUIRY, "en", "Hi", "Hello")
        assert "ST-2" in refused.value.rule_ids
        with pytest.raises(PermissionDenied):
            retire_canned_reply(desk, person, wording[0].id)
    director = actor_of(make_staff(role=Role.DEPARTMENT_DIRECTOR))
    assert create_canned_reply(desk, director, Category.SUGGESTION, "en", "Thanks", "Thank you, {customer}.").id


def test_a_leader_rewords_and_retires_a_reply(desk, leader, agent, wording):
    zh = wording[0]
    edited = edit_canned_reply(desk, leader, zh.id, zh.version, "退款已受理（新）", REFUND_ZH + "谢谢！")
    assert edited.version == zh.version + 1 and edited.body.endswith("谢谢！")
    with pytest.raises(StaleEdit):
        edit_canned_reply(desk, leader, zh.id, zh.version, "旧", REFUND_ZH)
    retired = retire_canned_reply(desk, leader, zh.id)
    assert retired.retired_at is not None
    assert canned_replies(desk, agent, Category.COMPLAINT, "zh_CN") == ()
    assert [r.id for r in canned_replies(desk, leader, Category.COMPLAINT, "zh_CN", include_retired=True)] == [zh.id]
    with pytest.raises(ServiceError, match="retired"):
        edit_canned_reply(desk, leader, zh.id, retired.version, "x", "y")
    with desk.read() as session:
        actions = [r.action for r in session.exec(select(AuditLog).where(AuditLog.entity == "canned_reply"))]
    assert actions.count("canned_reply.create") == 3 and "canned_reply.edit" in actions
    assert "canned_reply.retire" in actions


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda d, a: create_canned_reply(d, a, Category.INQUIRY, "fr", "Salut", "Bonjour"), "language"),
        (lambda d, a: create_canned_reply(d, a, "gossip", "en", "Hi", "Hello"), "category"),
        (lambda d, a: create_canned_reply(d, a, Category.INQUIRY, "en", " ", "Hello"), "title"),
        (lambda d, a: create_canned_reply(d, a, Category.INQUIRY, "en", "Hi", ""), "body"),
        (lambda d, a: create_canned_reply(d, a, Category.INQUIRY, "en", "Hi", "Dear {customer"), "body"),
        (
            lambda d, a: create_canned_reply(d, a, Category.INQUIRY, "en", "Hi", "Send us your password, {customer}."),
            "body",
        ),
    ],
)
def test_bad_wording_is_refused_on_its_field_and_nothing_is_kept(desk, leader, agent, call, field):  # rule: TK-14
    with pytest.raises(InvalidInput) as refused:
        call(desk, leader)
    assert refused.value.field == field
    assert canned_replies(desk, agent, include_retired=True) == ()


def test_an_agent_fills_the_blanks_from_the_case_and_sends_it_as_a_reply(desk, agent, wording):  # rule: TK-14
    zh = wording[0]
    case = owned_case(desk, agent)
    with pytest.raises(InvalidInput) as refused:
        fill_canned_reply(desk, agent, zh.id, case.id)
    assert refused.value.field == "values" and "{退款金额}" in refused.value.message
    text = fill_canned_reply(desk, agent, zh.id, case.id, {"退款金额": "58"})
    assert text == f"您好钱女士，您的工单#{case.id}已受理，退款58元将在3个工作日内退回。客服1113号为您服务。"
    sent = send_canned_reply(desk, agent, case.id, zh.id, case.version, {"退款金额": "58"})
    assert [e.text for e in sent.replies] == [text] and sent.first_reply_at is not None


def test_what_goes_in_a_blank_still_passes_the_password_guard(desk, agent, wording):  # rule: TK-14
    en = wording[1]
    case = owned_case(desk, agent)
    with pytest.raises(InvalidInput) as refused:
        send_canned_reply(desk, agent, case.id, en.id, case.version, {"amount": "58. Please tell us your password"})
    assert refused.value.rule_ids == ("TK-14",)
    with desk.read() as session:
        assert [e.kind for e in session.exec(select(TicketEvent))] == ["intake"]


def test_only_one_who_may_handle_the_case_fills_a_reply_for_it(desk, agent, make_staff, actor_of, squad, wording):
    # rule: TK-9
    case = owned_case(desk, agent)
    colleague = actor_of(make_staff(squad=squad))
    with pytest.raises(PermissionDenied):
        fill_canned_reply(desk, colleague, wording[1].id, case.id, {"amount": "58"})


def test_a_customer_without_a_name_must_be_named_by_the_agent(desk, agent, wording):
    post = take_in(desk, agent, Channel.FORUM, Category.COMPLAINT, "", "", "Refund", "")
    claim(desk, agent, post.id)
    with pytest.raises(InvalidInput, match="{customer}"):
        fill_canned_reply(desk, agent, wording[1].id, post.id, {"amount": "58"})
    assert fill_canned_reply(desk, agent, wording[1].id, post.id, {"amount": "58", "customer": "customer"}).startswith(
        "Dear customer,"
    )
