import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.privacy import (
    mask_contact,
    may_export_customer_contact,
    may_see_colleague_contact,
    may_see_customer_contact,
)
from csdesk.rules.vocab import Role


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "+86 138-****-5678"),
        ("010-12345678", "010-****5678"),
        ("zhangsan@example.com", "z******n@example.com"),
        ("ab@x.cn", "a*@x.cn"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("John Smith", "J*** S****"),
        ("", ""),
    ],
)
def test_tk_15_contact_details_are_masked_in_lists(value, masked):
    assert mask_contact(value) == masked


def test_tk_15_masking_never_shows_the_middle_of_a_phone_number():
    assert "1234" not in mask_contact("13812345678")


def test_tk_15_owner_and_leaders_see_customer_contact_whole():
    assert may_see_customer_contact(5, Role.AGENT, owner_id=5).ok
    assert may_see_customer_contact(6, Role.AGENT, owner_id=5).outcome is Outcome.REFUSED
    assert may_see_customer_contact(6, Role.INSPECTOR, owner_id=5).outcome is Outcome.REFUSED
    assert may_see_customer_contact(6, Role.DEPUTY_LEADER, owner_id=5).ok


def test_tk_15_only_leaders_export_customer_contact():
    assert may_export_customer_contact(Role.SQUAD_LEADER).ok
    assert may_export_customer_contact(Role.AGENT).outcome is Outcome.REFUSED


def test_st_6_colleagues_contact_only_for_leaders():
    assert may_see_colleague_contact(5, Role.AGENT, 6).outcome is Outcome.REFUSED
    assert may_see_colleague_contact(5, Role.AGENT, 5).ok
    assert may_see_colleague_contact(5, Role.SQUAD_LEADER, 6).ok
