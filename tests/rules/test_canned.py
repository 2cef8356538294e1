"""Agreed reply wording and its blanks (TK-14)."""

import pytest

from csdesk.rules.canned import blanks, check_wording, fill_blanks


def test_blanks_are_named_in_braces_each_once_in_order():
    text = "您好{customer}，工单{ticket}的退款{退款金额}元已到账。{customer}如有疑问请回复。{{示例}}"
    assert blanks(text) == ("customer", "ticket", "退款金额")


def test_every_blank_filled_gives_the_text_with_literal_braces_kept():
    filled = fill_blanks("Dear {customer}, ticket {ticket}: {{see below}}", {"customer": "Li Na", "ticket": "#7"})
    assert filled.text == "Dear Li Na, ticket #7: {see below}" and filled.decision.ok


@pytest.mark.parametrize("values", [{}, {"customer": "Li Na"}, {"customer": "Li Na", "amount": "  "}])
def test_a_blank_left_empty_is_refused_naming_it(values):
    filled = fill_blanks("Dear {customer}, {amount} yuan are back on your card.", values)
    assert filled.text is None and not filled.decision.ok
    assert "{amount}" in filled.decision.reason and "amount" in filled.missing


@pytest.mark.parametrize("text", ["Dear {customer", "Dear customer}", "{1st} reply", "{}"])
def test_a_stray_brace_is_refused_when_the_wording_is_kept(text):
    decision = check_wording(text)
    assert not decision.ok and "a blank is a name in braces, such as {customer}" in decision.reason


def test_agreed_wording_may_never_ask_for_a_password():  # rule: TK-14
    assert check_wording("{customer}, please tell us your password to continue.").rule_ids == ("TK-14",)
    assert not check_wording("请提供您的{账户}密码").ok
    assert check_wording("We will never ask for your password, {customer}.").ok
