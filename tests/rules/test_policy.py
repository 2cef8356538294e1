"""The policy file loads, and every way of breaking it reads as one clear line."""

from datetime import date, time

import pytest
from pydantic import ValidationError

from csdesk.policy import PolicyError, default_policy, load_policy, parse_policy
from csdesk.rules.vocab import ShiftKind


def test_shipped_policy_has_the_rulebook_defaults():
    # rule: SC-1, SC-4, AT-2, AT-3, AT-4, TK-4, TK-5, TK-6, TK-8, TK-13, FN-1, FN-3, FN-7
    policy = load_policy()
    assert policy.centre.timezone == "Asia/Shanghai"
    assert policy.shifts.of(ShiftKind.DAY).start == time(8, 30)
    assert policy.shifts.of(ShiftKind.NIGHT).end == time(1, 0)
    assert policy.shifts.night.crosses_midnight and not policy.shifts.day.crosses_midnight
    assert policy.roster.roll_call_lead_minutes == 10
    assert policy.attendance.absenteeism_after_minutes_late == 20
    assert policy.attendance.weekly_min_hours == 30
    assert policy.tickets.complaint_dispatch_minutes == 60
    assert policy.tickets.return_visit_hours == 72
    assert policy.fines.complaint.amount == 50
    assert policy.fines.handover.amount == 10
    assert (policy.rewards.min_amount, policy.rewards.max_amount) == (10, 100)
    assert {d.id for d in policy.duties} >= {"monday-meeting", "all-hands", "quality-report"}
    assert policy.holidays.is_holiday(date(2026, 10, 1))


def test_default_policy_is_loaded_once():
    assert default_policy() is default_policy()


def test_env_var_names_the_policy_file(tmp_path, monkeypatch):
    custom = tmp_path / "centre.toml"
    custom.write_text('[centre]\ntimezone = "Europe/Madrid"\n')
    monkeypatch.setenv("CSDESK_POLICY", str(custom))
    assert load_policy().centre.timezone == "Europe/Madrid"
    # An explicit path wins over the variable.
    assert load_policy(custom).centre.timezone == "Europe/Madrid"


def test_missing_sections_fall_back_to_defaults():
    assert parse_policy("").tickets.forum_answer_minutes == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fines.complaint]\namount = -5\n", "policy.toml: fines.complaint.amount must be > 0, got -5"),
        ("[fines]\nfoo = 1\n", "policy.toml: fines.foo is not a known setting"),
        (
            '[shifts.day]\nstart = "8h"\nend = "17:30"\n',
            "policy.toml: shifts.day.start must be a time like 08:30, got '8h'",
        ),
        (
            '[centre]\ntimezone = "Mars/Base"\n',
            "policy.toml: centre.timezone is not a known time zone, got 'Mars/Base'",
        ),
        ("[evaluation]\nfines_weight = 0.5\n", "policy.toml: evaluation weights must add up to 1, got 1.3"),
        (
            "[tickets]\nreturn_visit_max_attempts = 6\n",
            "policy.toml: tickets.return_visit_max_attempts must be <= 5, got 6",
        ),
        (
            '[[duties]]\nid = "a"\ntitle = "b"\nfreq = "hourly"\ntimes = ["08:00"]\n',
            "policy.toml: duties[0].freq must be one of 'daily', 'weekly' or 'monthly', got 'hourly'",
        ),
    ],
)
def test_a_bad_value_is_one_readable_line(text, message):
    with pytest.raises(PolicyError) as caught:
        parse_policy(text)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_several_problems_are_counted_not_listed():
    with pytest.raises(PolicyError) as caught:
        parse_policy("[fines.complaint]\namount = -5\n[fines.handover]\namount = 0\n")
    assert str(caught.value).endswith("(and 1 more problem)")


def test_toml_syntax_error_names_the_file_and_line(tmp_path):
    broken = tmp_path / "policy.toml"
    broken.write_text("[centre]\ntimezone = \n")
    with pytest.raises(PolicyError) as caught:
        load_policy(broken)
    assert str(caught.value).startswith("policy.toml: not valid TOML: ")
    assert "line 2" in str(caught.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nowhere.toml")
    assert str(caught.value) == f"{tmp_path / 'nowhere.toml'}: policy file not found"


def test_policy_is_read_only():
    policy = load_policy()
    with pytest.raises(ValidationError):
        policy.fines.complaint.amount = 1  # type: ignore[misc]


def test_holidays_from_the_list_and_optionally_from_a_country():
    # rule: LV-7
    listed = parse_policy("[holidays]\ndates = [2026-03-09]\n")
    assert listed.holidays.is_holiday(date(2026, 3, 9)) and not listed.holidays.is_holiday(date(2026, 3, 10))
    pytest.importorskip("holidays")
    by_country = parse_policy('[holidays]\ncountry = "CN"\n')
    assert by_country.holidays.is_holiday(date(2027, 10, 1))
    assert not parse_policy('[holidays]\ncountry = "XX"\n').holidays.is_holiday(date(2027, 10, 1))
