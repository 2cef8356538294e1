"""A customer's contact is a phone number or an email address the centre can use (TK-12)."""

import pytest

from csdesk.rules.contact import ContactKind, check_contact, contact_key
from csdesk.rules.tickets import check_escalation_fields


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("13812345678", "+8613812345678"),  # a mainland mobile
        ("138 1234 5678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("19912345678", "+8619912345678"),
        ("010-12345678", "+861012345678"),  # Beijing landline with its area code
        ("(0755) 1234 5678", "+8675512345678"),  # Shenzhen
        ("+44 20 7946 0958", "+442079460958"),  # international, E.164
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_phone_numbers_of_every_kind_reduce_to_one_key(typed, key):  # rule: TK-12
    checked = check_contact(typed)
    assert checked.ok and checked.contact.kind is ContactKind.PHONE and checked.contact.key == key
    assert checked.contact.text == typed


@pytest.mark.parametrize("typed", ["Zhang.San@Example.COM", " zhang.san@example.com "])
def test_email_addresses_reduce_to_one_key(typed):  # rule: TK-12
    checked = check_contact(typed)
    assert checked.ok and checked.contact.kind is ContactKind.EMAIL
    assert checked.contact.key == "zhang.san@example.com"


def test_an_address_in_chinese_is_an_address():  # rule: TK-12
    assert check_contact("用户@例子.中国").ok


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc!!", "'abc!!' is neither a phone number nor an email address"),
        ("138", "'138' is not a valid phone number"),
        ("12345678901", "'12345678901' is not a valid phone number"),  # 11 digits, but no mobile starts 12
        ("13812345", "is not a valid phone number"),  # a mobile three digits short
        ("x@y", "'x@y' is not a valid email address"),
        ("zhang@@example.com", "is not a valid email address"),
        ("", "enter the customer's phone number or email address"),
        ("1" * 201, "too long"),
    ],
)
def test_anything_else_is_refused_saying_what_is_wrong(typed, says):  # rule: TK-12
    checked = check_contact(typed)
    assert not checked.ok and checked.contact is None
    assert says in checked.decision.reason and checked.decision.rule_ids == ("TK-12",)
    assert contact_key(typed) == ""


def test_a_number_without_a_country_belongs_to_the_policys_region():  # rule: TK-12
    assert contact_key("020 7946 0958", region="GB") == "+442079460958"
    assert contact_key("020 7946 0958", region="CN") != "+442079460958"


def test_an_escalation_needs_a_contact_the_customer_can_be_reached_on():  # rule: TK-12
    refused = check_escalation_fields("refund stuck", "abc!!")
    assert not refused.ok and "'abc!!' is neither a phone number nor an email address" in refused.reason
    assert check_escalation_fields("refund stuck", "zhang@example.com").ok
    assert check_escalation_fields("refund stuck", "010-12345678").ok
