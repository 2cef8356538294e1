"""Signing in: hashed PINs and a lockout that every desk on the file respects."""

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, Staff
from csdesk.rules.vocab import Role, StaffStatus
from csdesk.services.auth import AccountLocked, set_pin, sign_in
from csdesk.services.base import InvalidInput, PermissionDenied, ServiceError


def _staff(desk, staff_id):
    with desk.read() as session:
        return session.get(Staff, staff_id)


def test_pin_is_stored_hashed_and_never_audited(desk, make_staff):
    agent = make_staff(pin="482913")
    actor = sign_in(desk, agent.employee_number, "482913")
    stored = _staff(desk, agent.id).pin_hash
    assert "482913" not in stored and stored.startswith("$argon2")
    assert actor.staff_id == agent.id and actor.role is Role.AGENT
    with desk.read() as session:
        logged = [str(row.before) + str(row.after) for row in session.exec(select(AuditLog))]
    assert logged and not any("argon2" in line or "482913" in line for line in logged)


def test_three_wrong_pins_lock_every_desk_for_a_minute(make_desk, make_staff, clock):
    agent = make_staff(pin="1234")
    first, second = make_desk(), make_desk()

    with pytest.raises(ServiceError, match="wrong employee number or PIN"):
        sign_in(first, agent.employee_number, "0000")
    with pytest.raises(ServiceError, match="wrong employee number or PIN"):
        sign_in(second, agent.employee_number, "0000")
    with pytest.raises(AccountLocked, match="locked for 60 seconds"):
        sign_in(first, agent.employee_number, "0000")

    # Even the right PIN is refused, on the other desk too.
    clock.advance(seconds=59)
    with pytest.raises(AccountLocked, match="try again in 1 seconds"):
        sign_in(second, agent.employee_number, "1234")

    clock.advance(seconds=1)
    assert sign_in(second, agent.employee_number, "1234").staff_id == agent.id
    assert _staff(first, agent.id).failed_pin_count == 0


def test_a_good_pin_resets_the_count(desk, make_staff):
    agent = make_staff(pin="1234")
    for _ in range(2):
        with pytest.raises(ServiceError):
            sign_in(desk, agent.employee_number, "9999")
    sign_in(desk, agent.employee_number, "1234")
    with pytest.raises(ServiceError, match="wrong"):
        sign_in(desk, agent.employee_number, "9999")
    assert _staff(desk, agent.id).locked_until is None


def test_unknown_number_reads_like_a_wrong_pin(desk):
    with pytest.raises(ServiceError, match="wrong employee number or PIN"):
        sign_in(desk, "no-such", "1234")


def test_empty_inputs_name_the_field(desk):
    with pytest.raises(InvalidInput) as raised:
        sign_in(desk, "  ", "1234")
    assert raised.value.field == "employee_number"
    with pytest.raises(InvalidInput) as raised:
        sign_in(desk, "1001", "")
    assert raised.value.field == "pin"


def test_staff_who_left_cannot_sign_in(desk, make_staff):
    gone = make_staff(pin="1234", status=StaffStatus.LEFT)
    with pytest.raises(PermissionDenied, match="has left") as raised:
        sign_in(desk, gone.employee_number, "1234")
    assert raised.value.rule_ids == ("ST-1",)


def test_changing_your_own_pin_needs_the_current_one(desk, make_staff, actor_of):
    agent = make_staff(pin="1234")
    with pytest.raises(InvalidInput) as raised:
        set_pin(desk, actor_of(agent), agent.id, "5678", current_pin="0000")
    assert raised.value.field == "current_pin"
    sign_in(desk, agent.employee_number, "1234")  # unchanged

    set_pin(desk, actor_of(agent), agent.id, "5678", current_pin="1234")
    assert sign_in(desk, agent.employee_number, "5678").staff_id == agent.id


@pytest.mark.parametrize("bad", ["12", "123456789", "12a4", "１２３４"])
def test_malformed_new_pin_is_refused(desk, make_staff, actor_of, bad):
    agent = make_staff()
    with pytest.raises(InvalidInput) as raised:
        set_pin(desk, actor_of(agent), agent.id, bad)
    assert raised.value.field == "new_pin"


def test_only_leaders_reset_someone_elses_pin_and_it_unlocks(desk, make_staff, actor_of):
    agent = make_staff(pin="1234")
    colleague = make_staff()
    leader = make_staff(role=Role.SQUAD_LEADER)
    with pytest.raises(PermissionDenied, match="only a squad leader"):
        set_pin(desk, actor_of(colleague), agent.id, "9999")
    for _ in range(3):
        with pytest.raises(ServiceError):
            sign_in(desk, agent.employee_number, "0000")
    set_pin(desk, actor_of(leader), agent.id, "9999")
    assert sign_in(desk, agent.employee_number, "9999").staff_id == agent.id
