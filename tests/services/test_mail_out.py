"""Mail out through a real SMTP relay on 127.0.0.1: the round trip from a customer's
mail to the reply in their mailbox and their answer back on the same ticket, and
every way the relay or the sender can fail on the way (TK-7, TK-14)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from mailkit import CENTRE_ADDRESS, TestRelay, mail_policy, policy_file, relay, sample, self_signed  # noqa: F401
from sqlmodel import col, select

from csdesk import cli
from csdesk.models import MailMessage, OutboxMail, OutboxStatus, SendAttempt, Ticket, TicketEvent
from csdesk.rules.vocab import Category, Channel, TicketStatus
from csdesk.services.base import Desk, InvalidInput
from csdesk.services.mail import Outcome, receive
from csdesk.services.outbox import send_due, through_relay
from csdesk.services.tickets import claim, reply, take_in, ticket_detail

CUSTOMER = "wangzhe@163.example"


@pytest.fixture
def squad(make_squad):
    return make_squad("A")


@pytest.fixture
def agent(make_staff, actor_of, squad):
    return actor_of(make_staff(squad=squad, employee_number="1024", real_name="李娜"))


@pytest.fixture
def mailing(db, policy, clock, relay):
    return Desk(db=db, policy=mail_policy(policy, relay), clock=clock)


def send(desk, **kwargs):
    return send_due(desk, through_relay(desk), **kwargs)


def kinds(desk, ticket_id):
    return [e.kind for e in ticket_detail(desk, _director(), ticket_id).events]


def _director():
    from csdesk.rules.vocab import Role
    from csdesk.services.base import Actor

    return Actor(0, "0000", "check", Role.CENTRE_DIRECTOR)


def outbox(desk):
    with desk.read() as session:
        return session.exec(select(OutboxMail).order_by(col(OutboxMail.id))).all()


def events(desk, ticket_id):
    with desk.read() as session:
        return session.exec(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id)
            .order_by(col(TicketEvent.at), col(TicketEvent.id))
        ).all()


def replied(desk, agent, text="已为您安排师傅明天上午上门。", raw=None):
    """A customer's mail taken in, claimed and answered: the id of its ticket."""
    ticket_id = receive(desk, raw or sample("gbk_foxmail.eml")).ticket_id
    view = claim(desk, agent, ticket_id)
    reply(desk, agent, ticket_id, text, view.version)
    return ticket_id


def mailgate(db_url, raw, clock, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code = cli.main(["--db", db_url, "mailgate", "--queue", "email"], clock=clock)
    return code, capsys.readouterr()


def answer_to(received: EmailMessage, text: str) -> bytes:
    """The customer's answer, as their mail program writes it from the reply they got."""
    answer = EmailMessage()
    answer["From"] = f"王喆 <{CUSTOMER}>"
    answer["To"] = str(received["From"])
    answer["Subject"] = "回复：" + str(received["Subject"])
    answer["Message-ID"] = "<answer-0001@163.example>"
    answer["In-Reply-To"] = str(received["Message-ID"])
    answer["References"] = f"{received['References']} {received['Message-ID']}"
    answer.set_content(text, charset="gb18030")
    return answer.as_bytes()


# -- the round trip -------------------------------------------------------------------------


def test_round_trip_customer_mail_reply_and_answer_on_the_same_ticket(
    db, db_url, mailing, relay, agent, clock, monkeypatch, capsys
):  # rule: TK-7, TK-9
    code, said = mailgate(db_url, sample("gbk_foxmail.eml"), clock, monkeypatch, capsys)
    assert code == 0 and said.out.strip() == "ticket #1: new"

    clock.advance(minutes=12)
    view = claim(mailing, agent, 1)
    reply(mailing, agent, 1, "王先生您好，已为您安排师傅明天上午上门。", view.version)
    assert [row.status for row in outbox(mailing)] == [OutboxStatus.QUEUED]
    assert relay.received == []  # queued with the reply; nothing leaves before the sender runs

    report = send(mailing)

    assert report.sent == [1] and report.retrying == [] and report.failed == []
    [message] = relay.messages()
    [row] = outbox(mailing)
    assert relay.recipients() == [[CUSTOMER]]
    assert str(message["Message-ID"]) == f"<{row.message_id}>" and row.message_id.endswith("@centre.example")
    assert str(message["Subject"]) == "Re: 宽带无法上网，请尽快处理（王喆） [#1]"
    assert str(message["In-Reply-To"]) == "<202603091557491230147@163.example>"
    assert str(message["References"]) == "<202603091557491230147@163.example>"
    assert message["From"].addresses[0].addr_spec == CENTRE_ADDRESS
    assert message.get_content().strip() == "王先生您好，已为您安排师傅明天上午上门。"
    assert (row.status, row.attempts, row.sent_at) == (OutboxStatus.SENT, 1, clock.at)

    clock.advance(hours=1)
    code, said = mailgate(db_url, answer_to(message, "好的，谢谢！师傅大概几点到？"), clock, monkeypatch, capsys)

    assert code == 0 and "ticket #1:" in said.out
    with mailing.read() as session:
        assert len(session.exec(select(Ticket)).all()) == 1
    assert kinds(mailing, 1) == ["mail_in", "claim", "reply", "mail_queued", "mail_sent", "mail_in"]
    assert events(mailing, 1)[-1].text.endswith("好的，谢谢！师傅大概几点到？")

    # The next reply answers the customer's answer and lists the whole thread.
    view = ticket_detail(mailing, agent, 1)
    reply(mailing, agent, 1, "预计上午十点前到。", view.version)
    send(mailing)
    second = relay.messages()[-1]
    assert str(second["In-Reply-To"]) == "<answer-0001@163.example>"
    assert str(second["References"]).split() == [
        "<202603091557491230147@163.example>",
        f"<{row.message_id}>",
        "<answer-0001@163.example>",
    ]
    assert str(second["Subject"]) == "Re: 宽带无法上网，请尽快处理（王喆） [#1]"


def test_the_timeline_says_queued_then_sent(mailing, relay, agent, clock):
    ticket_id = replied(mailing, agent)
    queued = events(mailing, ticket_id)[-1]
    assert (queued.kind, queued.text) == ("mail_queued", "queued to be sent by email")
    clock.advance(minutes=1)
    send(mailing)
    sent = events(mailing, ticket_id)[-1]
    assert (sent.kind, sent.text, sent.at) == ("mail_sent", "sent by email to the customer", clock.at)


# -- the relay fails ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("refuse5", "the relay answered 554 5.7.1 Relay access denied"),
        ("refuse4", "the relay answered 451 4.3.0 Temporary local problem, try again later"),
        ("stall", "no answer from the relay 127.0.0.1:"),
        ("drop", "closed the connection before taking the message"),
    ],
)
def test_a_failing_relay_keeps_the_reply_in_the_outbox_until_it_is_back_then_sends_it_once(
    mailing, relay, agent, clock, mode, reason
):
    ticket_id = replied(mailing, agent)
    relay.mode = mode

    report = send(mailing)

    assert report.sent == [] and [t for t, _why in report.retrying] == [ticket_id]
    [row] = outbox(mailing)
    assert (row.status, row.attempts) == (OutboxStatus.QUEUED, 1) and reason in row.last_error
    assert row.next_attempt_at == clock.at + timedelta(seconds=60)
    failed = events(mailing, ticket_id)[-1]
    assert failed.kind == "mail_failed" and reason in failed.text and "next try at 16:01" in failed.text
    assert relay.received == []

    relay.mode = "accept"
    clock.advance(seconds=59)
    assert send(mailing).attempted == 0  # not due yet
    clock.advance(seconds=1)
    assert send(mailing).sent == [ticket_id]
    assert send(mailing).attempted == 0
    [message] = relay.messages()
    [row] = outbox(mailing)
    assert row.status is OutboxStatus.SENT and str(message["Message-ID"]) == f"<{row.message_id}>"
    assert kinds(mailing, ticket_id)[-2:] == ["mail_failed", "mail_sent"]


def test_tries_wait_twice_as_long_each_time_and_stop_at_the_policys_attempts(db, policy, clock, relay, agent):
    desk = Desk(
        db=db,
        policy=mail_policy(policy, relay, max_attempts=4, retry_first_seconds=60, retry_max_seconds=180),
        clock=clock,
    )
    ticket_id = replied(desk, agent)
    relay.mode = "refuse4"
    waits = []
    for _ in range(3):
        send(desk)
        [row] = outbox(desk)
        waits.append(row.next_attempt_at - clock.at)
        clock.set(row.next_attempt_at)
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=180)]  # capped at 180

    report = send(desk)

    assert [t for t, _why in report.failed] == [ticket_id]
    [row] = outbox(desk)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 4)
    last = events(desk, ticket_id)[-1]
    assert last.kind == "mail_failed" and last.text.startswith("not sent after 4 attempts: the relay answered 451")
    relay.mode = "accept"
    clock.advance(days=1)
    assert send(desk).attempted == 0 and relay.received == []  # given up on: never sent behind the agent's back


# -- the sender fails ------------------------------------------------------------------------------


def _csdesk() -> str:
    return str(Path(sys.executable).with_name("csdesk"))


def test_a_sender_killed_half_way_leaves_the_reply_to_be_sent_once_by_the_next(
    db_url, mailing, relay, agent, clock, tmp_path
):
    # The sender is a real process, so the desk's time is the real one here (no date matters).
    clock.set(datetime.now(UTC))
    ticket_id = replied(mailing, agent)
    relay.mode = "hold"
    env = {**os.environ, "CSDESK_LANG": "en"}
    sender = subprocess.Popen(
        [_csdesk(), "--db", db_url, "--policy", str(policy_file(tmp_path, relay)), "mail", "send"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert relay.holding.wait(60), "the sender never reached the relay"
    finally:
        sender.kill()
        sender.wait(30)
    relay.mode = "accept"
    relay.release.set()
    [row] = outbox(mailing)
    assert row.status is OutboxStatus.SENDING and relay.received == []

    clock.set(row.claimed_at + timedelta(minutes=14))
    assert send(mailing).attempted == 0  # its sender may still be at work
    clock.set(row.claimed_at + timedelta(minutes=15, seconds=1))
    assert send(mailing).sent == [ticket_id]

    [message] = relay.messages()
    [row] = outbox(mailing)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert str(message["Message-ID"]) == f"<{row.message_id}>"
    with mailing.read() as session:
        tries = session.exec(select(SendAttempt).order_by(col(SendAttempt.id))).all()
    assert [t.outcome for t in tries] == ["interrupted", "sent"]
    assert kinds(mailing, ticket_id).count("mail_sent") == 1


def test_a_sender_dying_after_the_relay_took_the_message_resends_the_same_message_id(mailing, relay, agent, clock):
    ticket_id = replied(mailing, agent)
    deliver = through_relay(mailing)

    def dies_after_handing_over(message, envelope_from):
        deliver(message, envelope_from)
        raise SystemExit("power cut")

    with pytest.raises(SystemExit):
        send_due(mailing, dies_after_handing_over)
    clock.advance(minutes=16)
    assert send(mailing).sent == [ticket_id]

    first, second = relay.messages()
    assert first["Message-ID"] == second["Message-ID"]  # the receiving side sees one message twice
    assert first.as_bytes() == second.as_bytes()
    assert kinds(mailing, ticket_id).count("mail_sent") == 1


def test_two_senders_at_once_send_each_reply_exactly_once(
    db, make_desk, policy, clock, relay, make_staff, actor_of, squad
):
    desk = Desk(db=db, policy=mail_policy(policy, relay), clock=clock)
    agent = actor_of(make_staff(squad=squad))
    for n in range(6):
        raw = (f"From: c{n}@example.cn\r\nSubject: q{n}\r\nMessage-ID: <q{n}@example.cn>\r\n\r\nhi\r\n").encode()
        ticket_id = receive(desk, raw).ticket_id
        reply(desk, agent, ticket_id, f"answer {n}", claim(desk, agent, ticket_id).version)
    senders = [make_desk(policy=desk.policy) for _ in range(2)]
    start = threading.Barrier(2)
    reports, errors = [], []

    def run(each):
        try:
            start.wait()
            reports.append(send(each))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(each,)) for each in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [str(m["Message-ID"]) for m in relay.messages()]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert sorted(t for r in reports for t in r.sent) == list(range(1, 7))


# -- what is sent, and what never is -----------------------------------------------------------------


def test_a_reply_asking_for_a_password_is_refused_and_nothing_is_queued(mailing, relay, agent):  # rule: TK-14
    ticket_id = receive(mailing, sample("gbk_foxmail.eml")).ticket_id
    view = claim(mailing, agent, ticket_id)
    with pytest.raises(InvalidInput) as refused:
        reply(mailing, agent, ticket_id, "请提供您的宽带账号密码，以便我们核实。", view.version)
    assert refused.value.rule_ids == ("TK-14",)
    assert outbox(mailing) == [] and "reply" not in kinds(mailing, ticket_id)


def test_no_text_leaves_without_passing_the_password_guard(mailing, relay, agent):  # rule: TK-14
    ticket_id = replied(mailing, agent)
    with mailing.write() as session:  # a row that reached the outbox some other way
        row = session.exec(select(OutboxMail)).one()
        row.body = "To confirm, please send us your password."
        session.add(row)

    report = send(mailing)

    assert report.sent == [] and relay.received == []
    [row] = outbox(mailing)
    assert row.status is OutboxStatus.FAILED and "TK-14" in row.last_error
    assert events(mailing, ticket_id)[-1].text.startswith("not sent: TK-14: never ask a customer for a password")


def test_without_mail_settings_replies_stay_on_the_desk(desk, agent):
    ticket_id = receive(desk, sample("gbk_foxmail.eml")).ticket_id
    reply(desk, agent, ticket_id, "已处理。", claim(desk, agent, ticket_id).version)
    assert outbox(desk) == [] and kinds(desk, ticket_id) == ["mail_in", "claim", "reply"]


def test_an_email_ticket_typed_in_with_a_phone_number_says_why_nothing_was_sent(mailing, agent):
    view = take_in(mailing, agent, Channel.EMAIL, Category.INQUIRY, "张三", "13812345678", "话费", "")
    reply(mailing, agent, view.id, "已为您核实。", view.version)
    assert outbox(mailing) == []
    last = events(mailing, view.id)[-1]
    assert (last.kind, last.text) == ("mail_failed", "not sent by email: the ticket's contact is not an email address")


def test_phone_and_forum_replies_never_go_to_the_outbox(mailing, agent):
    view = take_in(mailing, agent, Channel.FORUM, Category.INQUIRY, "张三", "zs@example.cn", "论坛", "")
    reply(mailing, agent, view.id, "已回复。", view.version)
    assert outbox(mailing) == []


def test_the_reply_and_its_outbox_row_are_saved_together_or_not_at_all(mailing, agent, monkeypatch):
    from csdesk.services import tickets

    ticket_id = receive(mailing, sample("gbk_foxmail.eml")).ticket_id
    view = claim(mailing, agent, ticket_id)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tickets, "queue_reply", broken)
    with pytest.raises(RuntimeError):
        reply(mailing, agent, ticket_id, "已处理。", view.version)
    assert outbox(mailing) == [] and "reply" not in kinds(mailing, ticket_id)
    with mailing.read() as session:
        assert session.get(Ticket, ticket_id).first_reply_at is None


# -- a relay that wants STARTTLS and a sign-in ----------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    made = self_signed(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("no openssl command to make a test certificate")
    return made


def test_starttls_and_sign_in_with_the_password_from_a_file(
    db, policy, clock, agent, certificate, tmp_path, monkeypatch
):
    secure = TestRelay(tls=certificate, users={"desk": "s3cret pass"}).start()
    try:
        password = tmp_path / "smtp-password"
        password.write_text("s3cret pass\n", encoding="utf-8")
        settings = {"starttls": True, "ca_file": certificate[0], "user": "desk"}
        desk = Desk(db=db, policy=mail_policy(policy, secure, {**settings, "password_file": password}), clock=clock)
        ticket_id = replied(desk, agent)
        assert send(desk).sent == [ticket_id] and len(secure.received) == 1

        # The same relay with the password from the environment, first a wrong one.
        monkeypatch.setenv("CSDESK_SMTP_PASSWORD", "wrong")
        from_env = Desk(db=db, policy=mail_policy(policy, secure, settings), clock=clock)
        second = replied(from_env, agent, "第二次回复。", sample("big5_outlook.eml"))
        [_ticket, why] = send(from_env).retrying[0]
        assert _ticket == second and "refused the user name or password" in why
        monkeypatch.setenv("CSDESK_SMTP_PASSWORD", "s3cret pass")
        clock.advance(minutes=1)
        assert send(from_env).sent == [second]
        monkeypatch.delenv("CSDESK_SMTP_PASSWORD")
        third = replied(from_env, agent, "第三次回复。", sample("html_only.eml"))
        assert "no password for the relay user: set CSDESK_SMTP_PASSWORD" in send(from_env).retrying[0][1]
        assert third
    finally:
        secure.stop()


def test_a_relay_without_starttls_is_not_used_when_the_policy_asks_for_it(db, policy, clock, relay, agent):
    desk = Desk(db=db, policy=mail_policy(policy, relay, {"starttls": True}), clock=clock)
    replied(desk, agent)
    assert "does not offer STARTTLS" in send(desk).retrying[0][1] and relay.received == []


def test_every_recorded_message_id_of_a_thread_is_unique(mailing, relay, agent):
    replied(mailing, agent)
    with mailing.read() as session:
        ids = session.exec(select(MailMessage.message_id)).all()
    assert len(ids) == len(set(ids)) == 2


def test_a_reply_to_mail_read_back_decodes_as_sent(mailing, relay, agent):
    replied(mailing, agent, "长行" * 600)  # one line longer than SMTP allows unencoded
    send(mailing)
    raw = relay.received[0][2]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert message_from_bytes(raw, policy=email_policy.default).get_content().strip() == "长行" * 600


def test_a_waiting_ticket_answered_by_mail_is_claimed_again(mailing, relay, agent, clock):  # rule: TK-9
    ticket_id = replied(mailing, agent)
    send(mailing)
    with mailing.write() as session:
        session.get(Ticket, ticket_id).status = TicketStatus.WAITING_CUSTOMER
    clock.advance(hours=2)
    got = receive(mailing, answer_to(relay.messages()[0], "还是不行。"))
    assert got.outcome is Outcome.ADDED
    with mailing.read() as session:
        assert session.get(Ticket, ticket_id).status is TicketStatus.CLAIMED
