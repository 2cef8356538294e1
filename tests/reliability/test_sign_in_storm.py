"""Shift start: a whole room signs in at once while a colleague works the queue.

The PIN check is slow on purpose (argon2, about 130 ms). Were it done while
holding the write lock, forty sign-ins would queue every claim behind several
seconds of hashing; done outside, a claim waits only for a few short writes.

Each desk hashes on its own computer. Forty real hashes on this one machine
would measure its processors, not the desk's locking, so here the check costs
its usual time without the processor work: a cheap hash plus the wait.
"""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from csdesk.models import Staff, Ticket
from csdesk.services import auth, tickets

from .test_concurrency import _forum_posts

DESKS = 40
HASH_SECONDS = 0.13
# Sixty PIN checks (half the room types a wrong PIN first) done under the write
# lock would queue a claim behind up to 7.8 s of hashing. A claim that waits less
# than a third of that never queued behind the room; the margin is for a loaded
# machine, where threads wait for a processor, not for the lock.
ATTEMPTS = DESKS + DESKS // 2
SLOWEST_CLAIM = ATTEMPTS * HASH_SECONDS / 3


@pytest.fixture
def hashing_elsewhere(monkeypatch):
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    real = auth._pin_matches

    def as_slow_as_on_a_desk(pin_hash, pin):
        time.sleep(HASH_SECONDS)
        return real(pin_hash, pin)

    monkeypatch.setattr(auth, "_hasher", cheap)
    monkeypatch.setattr(auth, "_DUMMY_HASH", cheap.hash("000000"))
    monkeypatch.setattr(auth, "_pin_matches", as_slow_as_on_a_desk)
    return cheap


def test_forty_desks_signing_in_never_stall_a_claim(
    desk, make_desk, make_squad, make_staff, actor_of, hashing_elsewhere
):
    squad = make_squad("Lotus")
    room = [make_staff(squad=squad) for _ in range(DESKS)]
    with desk.write() as session:
        for person in session.exec(select(Staff)):
            person.pin_hash = hashing_elsewhere.hash("2468")
            session.add(person)
    worker = actor_of(make_staff(squad=squad))
    _forum_posts(desk, 2000)
    with desk.read() as session:
        queue = list(session.exec(select(Ticket.id).order_by(Ticket.id)))

    signing = [make_desk() for _ in room]
    claiming = make_desk()
    go = threading.Barrier(DESKS + 1)
    storm_over = threading.Event()
    signed_in: list[int] = []
    failures: list[str] = []
    claim_seconds: list[float] = []

    def sign_in(person, at_desk):
        try:
            with at_desk.read() as session:  # the sign-in screen is up: its desk has connected
                session.get(Staff, person.id)
            go.wait()
            # Half get the PIN wrong first, as a room does at shift start.
            if person.id % 2:
                with contextlib.suppress(auth.ServiceError):
                    auth.sign_in(at_desk, person.employee_number, "1111")
            signed_in.append(auth.sign_in(at_desk, person.employee_number, "2468").staff_id)
        except Exception as exc:  # reported below with the rest
            failures.append(f"{person.employee_number}: {exc!r}")

    def claim():
        try:
            tickets.claim(claiming, worker, queue.pop(0))  # connected and warm, as a desk at work is
            go.wait()
            for ticket_id in queue:
                if storm_over.is_set():
                    break
                started = time.monotonic()
                tickets.claim(claiming, worker, ticket_id)
                claim_seconds.append(time.monotonic() - started)
        except Exception as exc:
            failures.append(f"claim: {exc!r}")

    threads = [threading.Thread(target=sign_in, args=pair) for pair in zip(room, signing, strict=True)]
    claimer = threading.Thread(target=claim)
    for thread in [claimer, *threads]:
        thread.start()
    for thread in threads:
        thread.join(300)
    storm_over.set()
    claimer.join(60)

    slowest = max(claim_seconds, default=0.0)
    print(f"\nsign-in storm: {DESKS} desks, {len(claim_seconds)} claims meanwhile, slowest {slowest * 1000:.0f} ms")
    assert failures == []
    assert sorted(signed_in) == sorted(p.id for p in room)
    assert claim_seconds, "no claim ran during the storm: the test proved nothing"
    assert slowest < SLOWEST_CLAIM
