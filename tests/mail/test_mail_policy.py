"""The [mail] section of the policy file: typed, strict, and never holding a password."""

from __future__ import annotations

import pytest

from csdesk.policy import PolicyError, load_policy, parse_policy


def test_the_shipped_policy_sends_no_mail_until_an_address_and_relay_are_set():
    mail = load_policy().mail
    assert (mail.from_address, mail.relay.host, mail.sends) == ("", "", False)
    assert (mail.max_message_bytes, mail.max_attachment_bytes) == (10 * 1024 * 1024, 5 * 1024 * 1024)
    configured = parse_policy(
        '[mail]\nfrom_address = "support@centre.example"\n'
        '[mail.relay]\nhost = "smtp.centre.example"\nuser = "desk"\n'
        'password_file = "/srv/csdesk/smtp-password"\n'
    )
    assert configured.mail.sends and str(configured.mail.relay.password_file) == "/srv/csdesk/smtp-password"
    assert configured.mail.relay.port == 587 and configured.mail.relay.starttls


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[mail.relay]\npassword = "hunter2"\n', "policy.toml: mail.relay.password is not a known setting"),
        ('[mail]\nfrom_address = "support"\n', "policy.toml: mail.from_address is not an email address, got 'support'"),
        ('[mail.relay]\nhost = "smtp.centre.example"\n', "a relay host needs a from_address to send from"),
        (
            "[mail]\nretry_first_seconds = 600\nretry_max_seconds = 60\n",
            "retry_max_seconds is below retry_first_seconds",
        ),
        ("[mail.relay]\nport = 70000\n", "policy.toml: mail.relay.port must be <= 65535, got 70000"),
        ("[mail]\nmax_message_bytes = 0\n", "policy.toml: mail.max_message_bytes must be > 0, got 0"),
    ],
)
def test_a_wrong_mail_setting_is_one_clear_line(text, said):
    with pytest.raises(PolicyError) as refused:
        parse_policy(text)
    assert said in str(refused.value)
