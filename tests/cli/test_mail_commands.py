"""``csdesk mailgate`` as the mail system calls it, ``csdesk mail send`` and the mail
lines of ``csdesk check``: exit codes the mail system understands, one clear line
on stderr, never a customer's address in the open (TK-15)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from mailkit import mail_policy, policy_file, relay, sample  # noqa: F401
from sqlmodel import select

from csdesk import cli
from csdesk.models import OutboxMail, Ticket, TicketEvent
from csdesk.services.base import Desk
from csdesk.services.tickets import claim, reply
from csdesk.store import create_database, open_database

CUSTOMER = "wangzhe@163.example"


def gate(capsys, monkeypatch, raw: bytes, *argv: str, clock=None):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code = cli.main([str(a) for a in argv], clock=clock)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and CUSTOMER not in err
    return code, out, err


def run(capsys, *argv: str, clock=None):
    code = cli.main([str(a) for a in argv], clock=clock)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def tickets(db_url):
    with open_database(db_url) as db, db.read() as session:
        return session.exec(select(Ticket)).all()


def test_a_message_taken_in_exits_0_and_again_0_without_a_second_ticket(db, db_url, capsys, monkeypatch, clock):
    code, out, err = gate(
        capsys, monkeypatch, sample("gbk_foxmail.eml"), "--db", db_url, "mailgate", "--queue", "email", clock=clock
    )
    assert (code, out.strip(), err) == (0, "ticket #1: new", "")
    code, out, _ = gate(
        capsys, monkeypatch, sample("gbk_foxmail.eml"), "--db", db_url, "mailgate", "--queue", "email", clock=clock
    )
    assert (code, out.strip()) == (0, "ticket #1: this message was taken in before")
    [ticket] = tickets(db_url)
    assert (ticket.subject, ticket.customer_contact) == ("宽带无法上网，请尽快处理（王喆）", CUSTOMER)


def test_a_complaints_address_files_complaints(db, db_url, capsys, monkeypatch, clock):  # rule: TK-4
    code, _, _ = gate(
        capsys,
        monkeypatch,
        sample("big5_outlook.eml"),
        "--db",
        db_url,
        "mailgate",
        "--queue",
        "email",
        "--category",
        "complaint",
        clock=clock,
    )
    assert code == 0 and tickets(db_url)[0].category == "complaint"


def test_machine_written_mail_exits_0_and_opens_no_ticket(db, db_url, capsys, monkeypatch):
    code, out, _ = gate(capsys, monkeypatch, sample("list_mail.eml"), "--db", db_url, "mailgate", "--queue", "email")
    assert code == 0 and out.strip() == "automatic mail left unanswered (Precedence: bulk)"
    assert tickets(db_url) == []


@pytest.mark.parametrize(
    ("raw", "argv", "code", "said"),
    [
        (b"", ["mailgate", "--queue", "email"], 65, "the message is empty"),
        (b"Subject: hi\r\n\r\nno sender\r\n", ["mailgate", "--queue", "email"], 65, "no From header"),
        (None, ["mailgate", "--queue", "forum"], 67, "there is no mail queue 'forum'; mail goes to the email queue"),
        (None, ["mailgate"], 64, "the following arguments are required: --queue"),
        (None, ["mailgate", "--queue", "email", "--category", "gossip"], 64, "invalid choice: 'gossip'"),
    ],
)
def test_a_message_refused_for_good_exits_with_the_mail_systems_permanent_code(
    db, db_url, capsys, monkeypatch, raw, argv, code, said
):
    got, _, err = gate(capsys, monkeypatch, sample("gbk_foxmail.eml") if raw is None else raw, "--db", db_url, *argv)
    assert got == code and said in err and len(err.strip().splitlines()) == 1
    assert tickets(db_url) == []


def test_a_message_over_the_policys_size_is_returned_to_its_sender(db, db_url, capsys, monkeypatch, tmp_path):
    raw = sample("html_only.eml")
    small = policy_file(tmp_path, max_message_bytes=len(raw) - 1)
    code, _, err = gate(capsys, monkeypatch, raw, "--db", db_url, "--policy", small, "mailgate", "--queue", "email")
    assert code == 65
    assert err.strip() == f"csdesk: the message is too large: this centre takes messages up to {len(raw) - 1} bytes"
    assert tickets(db_url) == []


def test_a_database_that_cannot_take_it_now_makes_the_mail_system_keep_the_message(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "not-yet" / "centre.db"
    code, _, err = gate(capsys, monkeypatch, sample("gbk_foxmail.eml"), "--db", missing, "mailgate", "--queue", "email")
    assert code == 75 and "folder does not exist" in err
    unreachable = "postgresql+psycopg://csdesk@127.0.0.1:1/centre"
    code, _, err = gate(
        capsys, monkeypatch, sample("gbk_foxmail.eml"), "--db", unreachable, "mailgate", "--queue", "email"
    )
    assert code == 75 and len(err.strip().splitlines()) == 1


def test_a_broken_policy_file_keeps_the_message_with_the_mail_system(db, db_url, capsys, monkeypatch, tmp_path):
    broken = tmp_path / "policy.toml"
    broken.write_text("[mail]\nmax_message_bytes = -1\n", encoding="utf-8")
    code, _, err = gate(
        capsys,
        monkeypatch,
        sample("gbk_foxmail.eml"),
        "--db",
        db_url,
        "--policy",
        broken,
        "mailgate",
        "--queue",
        "email",
    )
    assert code == 75 and "mail.max_message_bytes must be > 0" in err


def test_other_commands_keep_their_own_exit_codes(capsys):
    assert run(capsys, "export", "attendance")[0] == 2
    assert run(capsys, "--db", "/nonexistent/x.db", "check")[0] == 1


@pytest.mark.sqlite_only
def test_the_mail_system_runs_the_mailgate_as_a_separate_process(tmp_path):
    db = tmp_path / "centre.db"
    csdesk = str(Path(sys.executable).with_name("csdesk"))
    env = {**os.environ, "CSDESK_LANG": "en"}
    subprocess.run([csdesk, "--db", str(db), "init"], check=True, capture_output=True, env=env)
    taken = subprocess.run(
        [csdesk, "--db", str(db), "mailgate", "--queue", "email"],
        input=sample("gb18030_alternative.eml"),
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert (taken.returncode, taken.stdout.decode().strip(), taken.stderr) == (0, "ticket #1: new", b"")
    busy = subprocess.run(
        [csdesk, "--db", str(tmp_path / "none" / "x.db"), "mailgate", "--queue", "email"],
        input=sample("gb18030_alternative.eml"),
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert busy.returncode == 75 and b"buyer2026" not in busy.stderr
    [ticket] = tickets(str(db))
    assert ticket.subject == "团购券𠮷野家未到账"


def test_one_process_gating_for_two_centres_puts_each_message_in_its_own(tmp_path, capsys, monkeypatch, clock):
    # A fetcher's loop may run the mailgate's command line for many messages in one process.
    first, second = tmp_path / "north.db", tmp_path / "south.db"
    create_database(first).close()
    create_database(second).close()
    for db, name in ((first, "gbk_foxmail.eml"), (second, "big5_outlook.eml"), (first, "html_only.eml")):
        code, _, _ = gate(capsys, monkeypatch, sample(name), "--db", db, "mailgate", "--queue", "email", clock=clock)
        assert code == 0
    assert (len(tickets(str(first))), len(tickets(str(second)))) == (2, 1)


# -- a Maildir the fetcher delivers into ------------------------------------------------------------

ANSWER = (
    b"From: wangzhe@163.example\r\nTo: support@centre.example\r\nSubject: Re: broadband\r\n"
    b"Message-ID: <answer-1@163.example>\r\nIn-Reply-To: <202603091557491230147@163.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xe8\xbf\x98\xe6\x98\xaf\xe4\xb8\x8d\xe8\xa1\x8c\r\n"
)


def maildir(tmp_path: Path, *messages: bytes) -> Path:
    """A Maildir as getmail leaves it: each message a file in new/, named after its arrival."""
    folder = tmp_path / "Maildir"
    for part in ("tmp", "new", "cur"):
        (folder / part).mkdir(parents=True)
    for n, raw in enumerate(messages):
        (folder / "new" / f"17730{n:05d}.M{n}P42.mail.centre.example").write_bytes(raw)
    return folder


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_a_maildir_is_taken_in_oldest_first_each_moved_to_cur_once_its_ticket_is_saved(
    db, db_url, tmp_path, capsys, clock
):
    folder = maildir(tmp_path, sample("gbk_foxmail.eml"), ANSWER, sample("big5_outlook.eml"))
    code, out, err = run(capsys, "--db", db_url, "mailgate", "--queue", "email", "--maildir", folder, clock=clock)
    assert (code, err) == (0, "")
    assert out.strip().splitlines() == [
        "1773000000.M0P42.mail.centre.example: ticket #1: new",
        "1773000001.M1P42.mail.centre.example: ticket #1: the customer's message was added",
        "1773000002.M2P42.mail.centre.example: ticket #2: new",
        "3 taken in, 0 refused, 0 left for a later run",
    ]
    assert files(folder / "new") == [] and len(tickets(db_url)) == 2
    assert files(folder / "cur") == [f"17730{n:05d}.M{n}P42.mail.centre.example:2,S" for n in range(3)]
    # Run again (cron): nothing waits, nothing changes.
    code, out, _ = run(capsys, "--db", db_url, "mailgate", "--queue", "email", "--maildir", folder, clock=clock)
    assert (code, out.strip()) == (0, "0 taken in, 0 refused, 0 left for a later run")


def test_a_bad_message_in_a_maildir_is_set_aside_and_the_rest_taken_in(db, db_url, tmp_path, capsys, clock):
    folder = maildir(
        tmp_path, sample("gbk_foxmail.eml"), b"Subject: hi\r\n\r\nno sender\r\n", sample("big5_outlook.eml")
    )
    code, out, err = run(capsys, "--db", db_url, "mailgate", "--queue", "email", "--maildir", folder, clock=clock)
    bad = "1773000001.M1P42.mail.centre.example"
    assert code == 65 and out.strip().endswith("2 taken in, 1 refused, 0 left for a later run")
    refused = folder / ".csdesk-refused"
    assert err.strip() == f"csdesk: {bad}: refused, moved to {refused}: the message has no sender (no From header)"
    assert files(folder / ".csdesk-refused" / "new") == [bad] and files(folder / "new") == []
    assert len(files(folder / "cur")) == 2 and len(tickets(db_url)) == 2


def test_a_maildir_run_stopped_after_a_ticket_was_saved_loses_nothing_and_takes_nothing_twice(
    db, db_url, tmp_path, capsys, monkeypatch, clock
):
    from csdesk.mail import maildir as maildir_module

    folder = maildir(tmp_path, sample("gbk_foxmail.eml"), sample("big5_outlook.eml"), sample("html_only.eml"))
    moved = maildir_module.mark_taken
    calls = []

    def stopped_on_the_second(where: Path, message: Path) -> None:
        calls.append(message)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the machine going down between the commit and the move
        moved(where, message)

    monkeypatch.setattr(maildir_module, "mark_taken", stopped_on_the_second)
    code, _, err = run(capsys, "--db", db_url, "mailgate", "--queue", "email", "--maildir", folder, clock=clock)
    assert code == 75 and "interrupted" in err
    assert len(files(folder / "new")) == 2 and len(tickets(db_url)) == 2
    monkeypatch.setattr(maildir_module, "mark_taken", moved)
    code, out, _ = run(capsys, "--db", db_url, "mailgate", "--queue", "email", "--maildir", folder, clock=clock)
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].endswith("ticket #2: this message was taken in before")
    assert lines[1].endswith("ticket #3: new") and files(folder / "new") == []
    assert len(files(folder / "cur")) == 3 and [t.id for t in tickets(db_url)] == [1, 2, 3]


def test_a_maildir_waits_in_new_while_the_database_cannot_take_it(tmp_path, capsys):
    folder = maildir(tmp_path, sample("gbk_foxmail.eml"))
    missing = tmp_path / "not-yet" / "centre.db"
    code, _, err = run(capsys, "--db", missing, "mailgate", "--queue", "email", "--maildir", folder)
    assert code == 75 and "folder does not exist" in err and len(files(folder / "new")) == 1


def test_a_folder_that_is_not_a_maildir_is_a_wrong_command_line(db, db_url, tmp_path, capsys):
    code, _, err = run(capsys, "--db", db_url, "mailgate", "--queue", "email", "--maildir", tmp_path)
    assert code == 64 and err.strip() == f"csdesk: {tmp_path} is not a Maildir: it has no new/ folder"


# -- sending and checking -------------------------------------------------------------------------


@pytest.fixture
def answered(db, policy, clock, relay, make_staff, actor_of):
    """A customer's mail answered by an agent: the reply waits in the outbox."""
    from csdesk.services.mail import receive

    desk = Desk(db=db, policy=mail_policy(policy, relay), clock=clock)
    agent = actor_of(make_staff(employee_number="1024"))
    ticket_id = receive(desk, sample("gbk_foxmail.eml")).ticket_id
    reply(desk, agent, ticket_id, "已为您安排师傅上门。", claim(desk, agent, ticket_id).version)
    return ticket_id


def test_mail_send_sends_what_waits_and_says_so_without_addresses(db_url, answered, relay, capsys, tmp_path, clock):
    policy = policy_file(tmp_path, relay)
    relay.mode = "refuse5"
    code, out, err = run(capsys, "--db", db_url, "--policy", policy, "mail", "send", clock=clock)
    assert code == 75 and out.startswith(f"ticket #{answered}: not sent yet, will try again: the relay answered 554")
    assert CUSTOMER not in out + err
    relay.mode = "accept"
    clock.advance(minutes=1)
    code, out, _ = run(capsys, "--db", db_url, "--policy", policy, "mail", "send", clock=clock)
    assert (code, out.strip()) == (0, f"ticket #{answered}: reply sent")
    assert len(relay.received) == 1
    code, out, _ = run(capsys, "--db", db_url, "--policy", policy, "mail", "send", clock=clock)
    assert (code, out) == (0, "") and len(relay.received) == 1


def test_mail_send_without_mail_settings_says_what_to_set(db, db_url, capsys):
    code, _, err = run(capsys, "--db", db_url, "mail", "send")
    assert code == 1 and "set [mail] from_address and [mail.relay] host" in err


def test_check_reports_a_relay_that_cannot_be_reached_and_an_outbox_not_draining(
    db, db_url, answered, relay, capsys, tmp_path, clock
):
    policy = policy_file(tmp_path, relay, outbox_alarm_minutes=30)
    code, out, _ = run(capsys, "--db", db_url, "--policy", policy, "check", clock=clock)
    assert code == 0 and "integrity ok" in out

    relay.stop()
    clock.advance(minutes=30)
    code, _, err = run(capsys, "--db", db_url, "--policy", policy, "check", clock=clock)
    assert code == 1 and err.strip().startswith("csdesk: replies cannot be sent by email: cannot reach the relay")
    clock.advance(minutes=1)
    code, _, err = run(capsys, "--db", db_url, "--policy", policy, "check", clock=clock)
    lines = err.strip().splitlines()
    assert code == 1 and lines[0] == (
        "csdesk: the mail outbox is not draining: 1 replies waiting, the oldest "
        "for 31 min (is `csdesk mail send` running? is the relay up?)"
    )
    # Without mail settings nothing is probed, but a stuck outbox is still said.
    code, _, err = run(capsys, "--db", db_url, "check", clock=clock)
    assert code == 1 and "not draining" in err and "relay" not in err.split("(")[0]


def test_the_timeline_of_a_sent_reply_reads_queued_then_sent(db, db_url, answered, relay, capsys, tmp_path, clock):
    run(capsys, "--db", db_url, "--policy", policy_file(tmp_path, relay), "mail", "send", clock=clock)
    with open_database(db_url) as database, database.read() as session:
        kinds = [
            e.kind
            for e in session.exec(select(TicketEvent).where(TicketEvent.ticket_id == answered).order_by(TicketEvent.id))
        ]
        row = session.exec(select(OutboxMail)).one()
    assert kinds[-2:] == ["mail_queued", "mail_sent"] and row.sent_at == clock.at
    assert clock.at - row.created_at == timedelta(0)


def test_the_sender_loop_sends_as_replies_come_and_stops_cleanly_on_sigterm(
    db, db_url, policy, clock, relay, make_staff, actor_of, tmp_path
):
    import signal
    import time
    from datetime import UTC, datetime

    from csdesk.services.mail import receive

    clock.set(datetime.now(UTC))  # the loop is a real process on the real clock
    desk = Desk(db=db, policy=mail_policy(policy, relay), clock=clock)
    agent = actor_of(make_staff(employee_number="1024"))
    csdesk = str(Path(sys.executable).with_name("csdesk"))
    loop = subprocess.Popen(
        [
            csdesk,
            "--db",
            db_url,
            "--policy",
            str(policy_file(tmp_path, relay)),
            "mail",
            "send",
            "--loop",
            "--interval",
            "0.2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CSDESK_LANG": "en"},
    )
    try:
        ticket_id = receive(desk, sample("gbk_foxmail.eml")).ticket_id
        reply(desk, agent, ticket_id, "已为您安排师傅上门。", claim(desk, agent, ticket_id).version)
        deadline = time.monotonic() + 60
        while not relay.received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(relay.received) == 1
        loop.send_signal(signal.SIGTERM)
        out, err = loop.communicate(timeout=30)
    finally:
        if loop.poll() is None:
            loop.kill()
    assert loop.returncode == 0 and f"ticket #{ticket_id}: reply sent".encode() in out
    assert CUSTOMER.encode() not in out + err
