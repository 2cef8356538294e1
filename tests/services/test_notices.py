"""Notices: published by leaders, read and acknowledged by everyone (HO-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, Notice, NoticeAck
from csdesk.rules.decision import Outcome
from csdesk.rules.vocab import Role
from csdesk.services.base import InvalidInput, NotFound, PermissionDenied
from csdesk.services.notices import (
    acknowledge_notice,
    latest_notices,
    notices_read,
    publish_notice,
    unread_notices,
)


@pytest.fixture
def leader(make_staff, actor_of):
    return actor_of(make_staff(role=Role.SQUAD_LEADER))


@pytest.fixture
def agent(make_staff, actor_of):
    return actor_of(make_staff())


def test_only_squad_leaders_and_up_publish(desk, agent, leader):  # rule: HO-2
    with pytest.raises(PermissionDenied) as raised:
        publish_notice(desk, agent, "Offer", "Half price")
    assert "HO-2" in raised.value.rule_ids
    view = publish_notice(desk, leader, "Offer", "Half price this week")
    assert view.title == "Offer" and view.author_id == leader.staff_id


def test_a_notice_needs_a_title_and_a_future_expiry(desk, leader, clock):
    with pytest.raises(InvalidInput) as raised:
        publish_notice(desk, leader, "  ", "body")
    assert raised.value.field == "title"
    with pytest.raises(InvalidInput) as raised:
        publish_notice(desk, leader, "Old", "body", expires_at=clock.at)
    assert raised.value.field == "expires_at"
    with desk.read() as session:
        assert session.exec(select(Notice)).all() == []


def test_unread_until_acknowledged_and_acknowledging_twice_is_harmless(desk, agent, leader, clock):  # rule: HO-2
    older = publish_notice(desk, leader, "Older", "")
    clock.advance(minutes=1)
    newer = publish_notice(desk, leader, "Newer", "")
    assert [n.id for n in unread_notices(desk, agent)] == [newer.id, older.id]
    assert notices_read(desk, agent).outcome is Outcome.WARNING

    first = acknowledge_notice(desk, agent, newer.id)
    clock.advance(minutes=5)
    again = acknowledge_notice(desk, agent, newer.id)
    assert first.acknowledged_at == again.acknowledged_at
    assert [n.id for n in unread_notices(desk, agent)] == [older.id]
    with desk.read() as session:
        assert len(session.exec(select(NoticeAck)).all()) == 1
        acks = session.exec(select(AuditLog).where(AuditLog.action == "notice.acknowledge")).all()
        assert len(acks) == 1

    acknowledge_notice(desk, agent, older.id)
    assert unread_notices(desk, agent) == ()
    assert notices_read(desk, agent).ok


def test_expired_notices_are_no_longer_shown(desk, agent, leader, clock):  # rule: HO-2
    publish_notice(desk, leader, "Flash sale", "", expires_at=clock.at + timedelta(hours=1))
    assert len(latest_notices(desk)) == 1 and len(unread_notices(desk, agent)) == 1
    clock.advance(hours=2)
    assert latest_notices(desk) == () and unread_notices(desk, agent) == ()


def test_latest_notices_are_newest_first_and_limited(desk, leader, clock):
    for n in range(5):
        publish_notice(desk, leader, f"N{n}", "")
        clock.advance(minutes=1)
    assert [n.title for n in latest_notices(desk, limit=3)] == ["N4", "N3", "N2"]


def test_acknowledging_a_missing_notice(desk, agent):
    with pytest.raises(NotFound):
        acknowledge_notice(desk, agent, 999)
