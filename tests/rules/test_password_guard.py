import pytest

from csdesk.rules.decision import Outcome
from csdesk.rules.password_guard import asks_for_password, check_reply


@pytest.mark.parametrize(
    "reply",
    [
        "please tell me your password",
        "请提供您的密码",
        "您的密码是多少",
        "您的密码是多少？",
        "What is your password?",
        "what's ur password",
        "Thanks for waiting. Could you send us your login password so we can check?",
        "We need your password to verify the account.",
        "Can I have your PIN?",
        "麻烦告诉我您的登录密码",
        "请把密码发给我",
    ],
)
def test_tk_14_a_reply_asking_for_a_password_is_blocked(reply):
    assert asks_for_password(reply)
    decision = check_reply(reply)
    assert decision.outcome is Outcome.REFUSED and decision.rule_ids == ("TK-14",)


@pytest.mark.parametrize(
    "reply",
    [
        "we will never ask for your password",
        "reset your password with the link we sent",
        "Please do not share your password with anyone.",
        "We will send you a password reset link.",
        "Please enter your new password on the reset page.",
        "Your password must be at least 8 characters long.",
        "Tell me if you forgot your password.",
        "请勿向任何人提供您的密码",
        "我们不会索取您的密码",
        "请通过我们发送的链接重置密码",
        "你可以在设置里修改密码",
        "Please tell me your order number.",
    ],
)
def test_tk_14_replies_that_merely_mention_passwords_go_out(reply):
    assert not asks_for_password(reply)
    assert check_reply(reply).ok


def test_tk_14_a_request_hidden_after_a_harmless_sentence_is_still_caught():
    assert asks_for_password("We never store card numbers. Now please give me your password.")
