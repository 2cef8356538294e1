"""Signing in: hashed PINs and a lockout that every desk on the file respects."""

import pytest
from sqlmodel import select

from csdesk.models import AuditLog, Staff
from csdesk.rules.vocab import Role, StaffStatus
from csdesk.services import auth as auth_module
from csdesk.services.auth import AccountLocked, PinChangeRequired, change_pin, reset_pin, sign_in
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
        change_pin(desk, actor_of(agent), "0000", "5678")
    assert raised.value.field == "current_pin"
    sign_in(desk, agent.employee_number, "1234")  # unchanged

    change_pin(desk, actor_of(agent), "1234", "5678")
    assert sign_in(desk, agent.employee_number, "5678").staff_id == agent.id


def test_wrong_current_pins_lock_the_account_like_sign_in(desk, make_staff, actor_of):
    agent = make_staff(pin="1234")
    for _ in range(2):
        with pytest.raises(InvalidInput, match="current PIN is wrong"):
            change_pin(desk, actor_of(agent), "0000", "5678")
    with pytest.raises(AccountLocked, match="locked for 60 seconds"):
        change_pin(desk, actor_of(agent), "0000", "5678")
    # Locked everywhere: neither the right current PIN nor a sign-in gets through.
    with pytest.raises(AccountLocked):
        change_pin(desk, actor_of(agent), "1234", "5678")
    with pytest.raises(AccountLocked):
        sign_in(desk, agent.employee_number, "1234")


@pytest.mark.parametrize("bad", ["12", "123456789", "12a4", "１２３４"])
def test_malformed_new_pin_is_refused(desk, make_staff, actor_of, bad):
    agent = make_staff(pin="1234")
    with pytest.raises(InvalidInput) as raised:
        change_pin(desk, actor_of(agent), "1234", bad)
    assert raised.value.field == "new_pin"


def test_only_leaders_reset_someone_elses_pin_and_it_unlocks(desk, make_staff, make_squad, actor_of):
    squad = make_squad("Lotus")
    agent = make_staff(pin="1234", squad=squad)
    colleague = make_staff(squad=squad)
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    with pytest.raises(PermissionDenied, match="only a squad leader"):
        reset_pin(desk, actor_of(colleague), agent.id, "9999")
    for _ in range(3):
        with pytest.raises(ServiceError):
            sign_in(desk, agent.employee_number, "0000")
    reset_pin(desk, actor_of(leader), agent.id, "9999")
    assert sign_in(desk, agent.employee_number, "9999", new_pin="2468").staff_id == agent.id


def test_a_reset_pin_must_be_replaced_at_the_next_sign_in_and_is_audited(desk, make_staff, make_squad, actor_of):
    squad = make_squad("Lotus")
    agent = make_staff(pin="1234", squad=squad)
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    reset_pin(desk, actor_of(leader), agent.id, "9999")

    with pytest.raises(PinChangeRequired) as raised:
        sign_in(desk, agent.employee_number, "9999")
    assert raised.value.field == "new_pin"
    with pytest.raises(InvalidInput, match="differ"):
        sign_in(desk, agent.employee_number, "9999", new_pin="9999")
    assert sign_in(desk, agent.employee_number, "9999", new_pin="2468").staff_id == agent.id
    # The leader knew the old one; only the holder's own PIN works now.
    assert sign_in(desk, agent.employee_number, "2468").staff_id == agent.id
    with pytest.raises(ServiceError, match="wrong"):
        sign_in(desk, agent.employee_number, "9999")
    with desk.read() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.entity_id == str(agent.id))).all()
    reset = [row for row in rows if row.action == "auth.reset_pin"]
    assert len(reset) == 1 and reset[0].actor_id == leader.id
    assert [row.action for row in rows].count("auth.change_pin") == 1


@pytest.mark.parametrize(
    ("by_role", "target_role", "same_squad", "allowed"),
    [
        (Role.SQUAD_LEADER, Role.AGENT, True, True),
        (Role.SQUAD_LEADER, Role.DEPUTY_LEADER, True, True),
        (Role.SQUAD_LEADER, Role.AGENT, False, False),
        (Role.SQUAD_LEADER, Role.SQUAD_LEADER, True, False),
        (Role.SQUAD_LEADER, Role.CENTRE_DIRECTOR, False, False),
        (Role.SQUAD_LEADER, Role.INSPECTOR, True, False),
        (Role.DEPARTMENT_DIRECTOR, Role.SQUAD_LEADER, False, True),
        (Role.DEPARTMENT_DIRECTOR, Role.AGENT, False, True),
        (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR, False, False),
        (Role.DEPARTMENT_DIRECTOR, Role.DEPARTMENT_DIRECTOR, False, False),
        (Role.CENTRE_DIRECTOR, Role.DEPARTMENT_DIRECTOR, False, True),
        (Role.DEPUTY_LEADER, Role.AGENT, True, False),
    ],
)
def test_who_may_reset_whose_pin(desk, make_staff, make_squad, actor_of, by_role, target_role, same_squad, allowed):
    home, other = make_squad(), make_squad()
    by = make_staff(role=by_role, squad=home if by_role is not Role.CENTRE_DIRECTOR else None)
    target = make_staff(role=target_role, pin="1234", squad=home if same_squad else other)
    if allowed:
        reset_pin(desk, actor_of(by), target.id, "5678")
        with pytest.raises(PinChangeRequired):
            sign_in(desk, target.employee_number, "5678")
    else:
        with pytest.raises(PermissionDenied) as raised:
            reset_pin(desk, actor_of(by), target.id, "5678")
        assert "ST-2" in raised.value.rule_ids
        assert sign_in(desk, target.employee_number, "1234").staff_id == target.id


def test_nobody_resets_their_own_pin(desk, make_staff, actor_of):
    director = make_staff(role=Role.CENTRE_DIRECTOR, pin="1234")
    with pytest.raises(PermissionDenied, match="nobody resets their own"):
        reset_pin(desk, actor_of(director), director.id, "5678")
    assert sign_in(desk, director.employee_number, "1234").staff_id == director.id


def _lock(desk, number, policy):
    for _ in range(policy.sign_in.wrong_pins_before_lockout):
        with pytest.raises(ServiceError):
            sign_in(desk, number, "0000")


def test_each_lockout_lasts_longer_and_the_last_waits_for_a_leader(
    desk, make_staff, make_squad, actor_of, clock, policy
):
    squad = make_squad()
    agent = make_staff(pin="1234", squad=squad)
    leader = make_staff(role=Role.SQUAD_LEADER, squad=squad)
    rules = policy.sign_in
    waits = []
    for lockout in range(rules.lockouts_before_reset - 1):
        _lock(desk, agent.employee_number, policy)
        wait = int(rules.first_lockout_seconds * rules.lockout_growth**lockout)
        waits.append(wait)
        clock.advance(seconds=wait - 1)
        with pytest.raises(AccountLocked, match="try again in 1 seconds"):
            sign_in(desk, agent.employee_number, "1234")
        clock.advance(seconds=1)
    assert waits == [60, 120, 240, 480]

    _lock(desk, agent.employee_number, policy)
    clock.advance(days=30)
    with pytest.raises(AccountLocked, match="ask your squad leader") as raised:
        sign_in(desk, agent.employee_number, "1234")
    assert raised.value.rule_ids == ("ST-2",)

    reset_pin(desk, actor_of(leader), agent.id, "5678")
    assert sign_in(desk, agent.employee_number, "5678", new_pin="2468").staff_id == agent.id


def test_lockouts_follow_the_policy(make_desk, make_staff, policy):
    strict = policy.model_copy(
        update={
            "sign_in": policy.sign_in.model_copy(update={"wrong_pins_before_lockout": 2, "lockouts_before_reset": 1})
        }
    )
    desk = make_desk(policy=strict)
    agent = make_staff(pin="1234")
    with pytest.raises(ServiceError, match="wrong employee number or PIN"):
        sign_in(desk, agent.employee_number, "0000")
    with pytest.raises(AccountLocked, match="ask your squad leader"):
        sign_in(desk, agent.employee_number, "0000")


def test_a_good_pin_starts_the_lockouts_over(desk, make_staff, clock, policy):
    agent = make_staff(pin="1234")
    _lock(desk, agent.employee_number, policy)
    clock.advance(minutes=1)
    sign_in(desk, agent.employee_number, "1234")
    for _ in range(2):
        with pytest.raises(ServiceError, match="wrong"):
            sign_in(desk, agent.employee_number, "0000")
    with pytest.raises(AccountLocked, match="locked for 60 seconds"):
        sign_in(desk, agent.employee_number, "0000")


def test_a_number_nobody_holds_locks_exactly_like_a_real_one(desk, make_staff, clock, policy):
    real = make_staff(pin="1234", status=StaffStatus.LEFT)
    no_pin = make_staff()
    told = {}
    for number in (real.employee_number, no_pin.employee_number, "9999"):
        said = []
        for _ in range(policy.sign_in.wrong_pins_before_lockout + 1):
            with pytest.raises(ServiceError) as raised:
                sign_in(desk, number, "0000")
            said.append((type(raised.value).__name__, raised.value.message, raised.value.field))
        told[number] = said
    assert told[real.employee_number] == told["9999"] == told[no_pin.employee_number]
    assert told["9999"][-2][1] == "3 wrong PINs: locked for 60 seconds"


def test_an_unknown_number_costs_one_full_pin_check_like_a_known_one(desk, make_staff, monkeypatch):
    agent = make_staff(pin="1234")
    no_pin = make_staff()
    real = auth_module._hasher
    checks = []

    class Counting:
        def verify(self, pin_hash, pin):
            checks.append(pin_hash.split("$")[3])  # the cost settings the check ran at
            return real.verify(pin_hash, pin)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(auth_module, "_hasher", Counting())
    for number in (agent.employee_number, no_pin.employee_number, "9999"):
        with pytest.raises(ServiceError, match="wrong employee number or PIN"):
            sign_in(desk, number, "0000")
    assert len(checks) == 3 and len(set(checks)) == 1
