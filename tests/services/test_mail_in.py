"""Mail in: a customer's message becomes an email ticket, or lands on the ticket it
answers; machine-written mail is never answered (TK-7, TK-9, TK-15)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from mailkit import CENTRE_ADDRESS, mail_policy, sample
from sqlmodel import col, select

from csdesk.mail.reading import MailTooLarge, UnreadableMail
from csdesk.models import AuditLog, MailAttachment, MailMessage, OutboxMail, Ticket, TicketEvent
from csdesk.rules.tickets import TimerKind
from csdesk.rules.vocab import Channel, Role, TicketStatus
from csdesk.services.base import Desk
from csdesk.services.mail import Outcome, UnknownQueue, receive
from csdesk.services.queues import queue_page, running_due
from csdesk.services.tickets import claim, reply, resolve, ticket_detail


@pytest.fixture
def squad(make_squad):
    return make_squad("A")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1024", real_name="Li Na"))


@pytest.fixture
def other(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="2048", real_name="Wang Wei"))


@pytest.fixture
def leader(make_staff, actor_of, squad):
    return actor_of(make_staff(role=Role.SQUAD_LEADER, squad=squad, employee_number="9001"))


def timeline(desk, ticket_id):
    with desk.read() as session:
        return session.exec(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(col(TicketEvent.at), col(TicketEvent.id))
        ).all()


def stored(desk, ticket_id):
    with desk.read() as session:
        return session.get(Ticket, ticket_id)


def count(desk, model):
    with desk.read() as session:
        return len(session.exec(select(model)).all())


def simple(
    message_id="m1@example.cn",
    subject="Cannot log in",
    sender="zhang.san@example.cn",
    extra="",
    body="Since this morning.",
):
    return (
        f"From: Zhang San <{sender}>\r\nTo: {CENTRE_ADDRESS}\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


# -- a new message --------------------------------------------------------------------


def test_a_chinese_message_becomes_an_email_ticket_due_by_the_end_of_the_shift(desk, clock, policy):  # rule: TK-7
    received = receive(desk, sample("gbk_foxmail.eml"))

    assert received.outcome is Outcome.NEW
    ticket = stored(desk, received.ticket_id)
    assert (ticket.channel, ticket.status, ticket.owner_id) == (Channel.EMAIL, TicketStatus.NEW, None)
    assert ticket.subject == "宽带无法上网，请尽快处理（王喆）"
    assert (ticket.customer_name, ticket.customer_contact) == ("王喆", "wangzhe@163.example")
    # Monday 16:00 in Shanghai: the day shift ends at 17:30 (09:30 UTC).
    assert ticket.received_at == clock.at
    assert ticket.sla_due == datetime(2026, 3, 9, 17, 30, tzinfo=policy.zone)
    assert ticket.sla_due == running_due(ticket, policy)
    first = timeline(desk, ticket.id)[0]
    assert first.kind == "mail_in" and first.actor_id is None
    assert first.text.startswith("宽带无法上网，请尽快处理（王喆）\n\n您好：")
    assert "朱镕基路 18 号" in first.text and "\ufffd" not in first.text


def test_the_email_timer_after_the_shift_runs_to_the_end_of_the_next_one(desk, clock, policy):  # rule: TK-7
    clock.set(datetime(2026, 3, 10, 1, 30, tzinfo=policy.zone))  # after the night shift ended at 01:00
    ticket = stored(desk, receive(desk, simple()).ticket_id)
    timers = ticket_detail(desk, _leader_actor(desk), ticket.id).timers
    assert [t.kind for t in timers] == [TimerKind.EMAIL_ANSWER]
    assert ticket.sla_due == datetime(2026, 3, 10, 17, 30, tzinfo=policy.zone)


def _leader_actor(desk):
    from csdesk.services.base import Actor

    return Actor(0, "0000", "system check", Role.CENTRE_DIRECTOR)


def test_the_category_is_the_gateways_and_a_complaint_starts_its_dispatch_clock(desk, clock):  # rule: TK-4
    ticket = stored(desk, receive(desk, simple(), category="complaint").ticket_id)
    assert ticket.sla_due == clock.at + timedelta(minutes=60)


def test_the_customers_address_is_masked_in_the_queue_and_timeline_for_agents(desk, agent, other, leader):
    # rule: TK-15
    ticket_id = receive(desk, sample("html_only.eml")).ticket_id
    row = queue_page(desk, agent, "email")[0]
    assert row.ticket_id == ticket_id and row.contact_masked
    assert row.customer_contact == "m*********z@mail.example" and row.customer_name == "M**** L****"
    assert queue_page(desk, leader, "email")[0].customer_contact == "maria.lopez@mail.example"
    claim(desk, agent, ticket_id)
    assert ticket_detail(desk, agent, ticket_id).customer_contact == "maria.lopez@mail.example"
    seen_by_other = ticket_detail(desk, other, ticket_id)
    assert seen_by_other.customer_contact == "m*********z@mail.example"
    assert "Maria Lopez" not in seen_by_other.events[0].text  # her signature in the text, masked too


def test_audit_rows_of_mail_carry_no_customer_data(desk):  # rule: TK-15
    receive(desk, sample("gbk_foxmail.eml"))
    with desk.read() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "ticket.mail_in")).all()
    assert len(rows) == 1 and rows[0].actor_id is None
    assert "wangzhe" not in str(rows[0].after) and "王喆" not in str(rows[0].after)


def test_attachments_are_recorded_by_name_and_size_and_kept_within_the_limit(db, policy, clock):
    desk = Desk(db=db, policy=mail_policy(policy, max_attachment_bytes=1000), clock=clock)
    ticket_id = receive(desk, sample("alternative_with_attachment.eml")).ticket_id
    with desk.read() as session:
        files = session.exec(select(MailAttachment).order_by(col(MailAttachment.id))).all()
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("发票.pdf", "application/pdf", 3131),
        ("screenshot.png", "image/png", 70),
    ]
    assert files[0].content is None  # 3 KB: over the limit of 1000 bytes
    assert files[1].content.startswith(b"\x89PNG")
    text = timeline(desk, ticket_id)[0].text
    assert "附件是上个月的发票" in text and "<p>" not in text  # the plain part, not the HTML
    assert "发票.pdf (3 KB, not kept: larger than 1000 bytes)" in text and "screenshot.png (70 bytes)" in text


def test_html_only_mail_reads_as_text(desk):
    text = timeline(desk, receive(desk, sample("html_only.eml")).ticket_id)[0].text
    assert "I was charged twice for order #A-20931 on 7 March." in text
    assert "- first charge: 199.00 CNY" in text and "track()" not in text and "color" not in text


def test_big5_and_gb18030_bodies_keep_every_character(desk):
    big5 = timeline(desk, receive(desk, sample("big5_outlook.eml")).ticket_id)[0].text
    assert big5.startswith("國際漫遊費用多收，請退款\n\n你好，") and "我上個月嘅帳單" in big5
    gb = receive(desk, sample("gb18030_alternative.eml")).ticket_id
    assert stored(desk, gb).subject == "团购券𠮷野家未到账"
    assert "请问𠮷野家的团购券" in timeline(desk, gb)[0].text


def test_a_very_long_line_is_kept_whole(desk):
    text = timeline(desk, receive(desk, sample("long_lines.eml")).ticket_id)[0].text
    assert len(max(text.splitlines(), key=len)) > 20000 and text.endswith("end of log")


# -- the same message twice ----------------------------------------------------------------


def test_the_same_message_delivered_twice_is_one_ticket(desk):
    first = receive(desk, sample("gbk_foxmail.eml"))
    again = receive(desk, sample("gbk_foxmail.eml"))
    assert again.outcome is Outcome.DUPLICATE and again.ticket_id == first.ticket_id
    assert count(desk, Ticket) == 1 and len(timeline(desk, first.ticket_id)) == 1


def test_a_message_without_message_id_is_recognised_by_its_bytes(desk):
    raw = b"From: a@example.cn\r\nSubject: hi\r\n\r\nhello\r\n"
    assert receive(desk, raw).outcome is Outcome.NEW
    assert receive(desk, raw).outcome is Outcome.DUPLICATE
    assert receive(desk, raw.replace(b"hello", b"hello again")).outcome is Outcome.NEW


def test_two_deliveries_at_once_make_one_ticket(desk, make_desk):
    results, errors = [], []
    start = threading.Barrier(2)

    def deliver(each):
        try:
            start.wait()
            results.append(receive(each, sample("big5_outlook.eml")))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(make_desk(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.outcome for r in results) == [Outcome.DUPLICATE, Outcome.NEW]
    assert count(desk, Ticket) == 1 and count(desk, MailMessage) == 1


# -- answers ----------------------------------------------------------------------------------


@pytest.fixture
def mailing(db, policy, clock):
    """A desk that sends mail (through no relay here: the outbox only fills)."""
    return Desk(db=db, policy=mail_policy(policy), clock=clock)


def _outgoing_id(desk, ticket_id):
    with desk.read() as session:
        return session.exec(select(OutboxMail.message_id).where(OutboxMail.ticket_id == ticket_id)).one()


def test_an_answer_threads_by_in_reply_to_and_the_waiting_ticket_is_worked_again(mailing, agent, clock, policy):
    # rule: TK-7, TK-9
    ticket_id = receive(mailing, simple()).ticket_id
    view = claim(mailing, agent, ticket_id)
    reply(mailing, agent, ticket_id, "Which browser do you use?", view.version)
    with mailing.write() as session:  # the agent waits for the customer's details
        session.get(Ticket, ticket_id).status = TicketStatus.WAITING_CUSTOMER
    waiting = stored(mailing, ticket_id)
    clock.advance(minutes=20)

    answer = simple(
        "m2@example.cn",
        f"Re: Cannot log in [#{ticket_id}]",
        body="Firefox 128.",
        extra=f"In-Reply-To: <{_outgoing_id(mailing, ticket_id)}>\r\n",
    )
    received = receive(mailing, answer)

    assert (received.outcome, received.ticket_id) == (Outcome.ADDED, ticket_id)
    ticket = stored(mailing, ticket_id)
    assert ticket.status is TicketStatus.CLAIMED and ticket.owner_id == agent.staff_id
    assert ticket.version > waiting.version  # a reply typed against the old view must reload first
    assert ticket.sla_due == running_due(ticket, policy)
    last = timeline(mailing, ticket_id)[-1]
    assert (last.kind, last.at) == ("mail_in", clock.at) and last.text.endswith("Firefox 128.")


def test_an_answer_threads_by_references_when_in_reply_to_names_an_unknown_message(mailing):
    ticket_id = receive(mailing, simple()).ticket_id
    answer = simple(
        "m2@example.cn",
        "Re: something else",
        extra="In-Reply-To: <elsewhere@example.org>\r\nReferences: <m1@example.cn> <x@y>\r\n",
    )
    assert receive(mailing, answer).ticket_id == ticket_id
    assert count(mailing, Ticket) == 1


def test_the_subject_token_threads_only_mail_from_the_tickets_customer(mailing):
    ticket_id = receive(mailing, simple()).ticket_id
    mine = receive(mailing, simple("m2@example.cn", f"More details [#{ticket_id}]"))
    assert (mine.outcome, mine.ticket_id) == (Outcome.ADDED, ticket_id)
    # Same address in other capitals: the same mailbox.
    shouted = receive(mailing, simple("m3@example.cn", f"[#{ticket_id}]", sender="Zhang.San@EXAMPLE.cn"))
    assert shouted.ticket_id == ticket_id
    stranger = receive(mailing, simple("m4@example.org", f"Your ticket [#{ticket_id}]", sender="li@example.org"))
    assert stranger.outcome is Outcome.NEW and stranger.ticket_id != ticket_id


def test_an_answer_to_a_resolved_case_opens_a_new_ticket_naming_it(mailing, agent):  # rule: TK-7, TK-8
    ticket_id = receive(mailing, simple()).ticket_id
    resolve(mailing, agent, ticket_id, "fixed")
    again = receive(mailing, simple("m2@example.cn", f"Re: Cannot log in [#{ticket_id}]", body="Broken again."))
    assert again.outcome is Outcome.NEW and again.ticket_id != ticket_id
    assert stored(mailing, ticket_id).status is TicketStatus.RESOLVED
    assert timeline(mailing, again.ticket_id)[0].text.startswith(
        f"Follow-up to ticket #{ticket_id}, which is resolved."
    )


# -- machine-written mail ------------------------------------------------------------------------


def test_an_out_of_office_answer_is_recorded_on_its_ticket_and_never_answered(mailing, agent):
    ticket_id = receive(mailing, sample("gbk_foxmail.eml")).ticket_id
    view = claim(mailing, agent, ticket_id)
    reply(mailing, agent, ticket_id, "已为您安排师傅上门。", view.version)
    before = stored(mailing, ticket_id)

    received = receive(mailing, sample("auto_reply.eml", answers=_outgoing_id(mailing, ticket_id)))

    assert (received.outcome, received.automatic) == (Outcome.RECORDED, "Auto-Submitted: auto-replied")
    after = stored(mailing, ticket_id)
    assert (after.status, after.version, after.sla_due) == (before.status, before.version, before.sla_due)
    assert timeline(mailing, ticket_id)[-1].kind == "mail_auto"
    assert count(mailing, OutboxMail) == 1  # the agent's reply only; nothing answers the machine


def test_a_bounce_of_a_reply_tells_the_agent_what_the_server_said(mailing, agent):
    ticket_id = receive(mailing, simple()).ticket_id
    view = claim(mailing, agent, ticket_id)
    reply(mailing, agent, ticket_id, "Please try again now.", view.version)
    received = receive(mailing, sample("bounce.eml", returned=_outgoing_id(mailing, ticket_id)))
    assert (received.outcome, received.ticket_id) == (Outcome.RECORDED, ticket_id)
    assert "550 5.1.1 User unknown" in timeline(mailing, ticket_id)[-1].text


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ("Auto-Submitted: auto-generated\r\n", "Auto-Submitted: auto-generated"),
        ("Precedence: junk\r\n", "Precedence: junk"),
        ("X-Autoreply: yes\r\n", "X-Autoreply"),
        ("Return-Path: <>\r\n", "null sender"),
    ],
)
def test_machine_written_mail_that_belongs_to_no_ticket_is_dropped(desk, extra, why):
    received = receive(desk, simple(extra=extra))
    assert (received.outcome, received.ticket_id, received.automatic) == (Outcome.DROPPED, None, why)
    assert count(desk, Ticket) == 0


def test_list_mail_and_mail_from_the_daemon_or_our_own_address_open_no_ticket(mailing):
    assert receive(mailing, sample("list_mail.eml")).outcome is Outcome.DROPPED
    assert receive(mailing, simple(sender="MAILER-DAEMON@relay.example")).automatic == "MAILER-DAEMON"
    looped = receive(mailing, simple("loop@centre.example", sender=CENTRE_ADDRESS))
    assert looped.outcome is Outcome.DROPPED
    assert receive(mailing, simple("m9@x", extra="Auto-Submitted: no\r\n")).outcome is Outcome.NEW
    assert count(mailing, Ticket) == 1


# -- refusals ------------------------------------------------------------------------------------


def test_only_the_email_queue_takes_mail(desk):
    with pytest.raises(UnknownQueue) as refused:
        receive(desk, simple(), queue="forum")
    assert refused.value.field == "queue" and count(desk, Ticket) == 0


def test_the_size_limit_is_the_policys_to_the_byte(db, policy, clock):
    raw = simple()
    desk = Desk(db=db, policy=mail_policy(policy, max_message_bytes=len(raw)), clock=clock)
    assert receive(desk, raw).outcome is Outcome.NEW
    with pytest.raises(MailTooLarge):
        receive(desk, raw.replace(b"morning", b"morning!"))
    assert count(desk, Ticket) == 1


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b"", "the message is empty"),
        (b"\x00\x01 not mail at all", "the message has no headers"),
        (b"Subject: hello\r\n\r\nno sender\r\n", "no From header"),
        (b"From: Zhang San\r\nSubject: hello\r\n\r\nx\r\n", "not an email address"),
    ],
)
def test_unreadable_messages_are_refused_and_change_nothing(desk, raw, said):
    with pytest.raises(UnreadableMail, match=said):
        receive(desk, raw)
    assert count(desk, Ticket) == 0 and count(desk, MailMessage) == 0
