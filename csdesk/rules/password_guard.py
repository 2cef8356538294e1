"""TK-14: block an outgoing reply that asks the customer for a password.

The guard looks, clause by clause, for a password word together with a
request aimed at the customer: a verb of handing something over ("tell",
"send", "provide", 提供, 告诉 ...) before the password word, or a question
about it ("what is your password", 密码是多少). A clause that negates the
request ("we will never ask for your password", 请勿向任何人提供密码) is
not a request, nor is advice to reset or change a password.
"""

from __future__ import annotations

import re

from csdesk.i18n import _
from csdesk.rules.decision import Decision

_CLAUSE_SPLIT = re.compile(r"[.!;\n。！；]+|(?<=\?)|(?<=？)")

# --- English -------------------------------------------------------------

_EN_PASSWORD = r"(?:password|passwd|pwd|passcode|passphrase|pin(?:\s+code)?)"
_EN_HANDOVER = (
    r"(?:tell|give|send|provide|share|reply\s+with|respond\s+with|confirm|email|text|say|spell|read\s+out"
    r"|let\s+(?:me|us)\s+know|ask\s+for|may\s+i\s+have|can\s+i\s+have|could\s+i\s+have|need|require|want)"
)
# Words allowed between the verb and the password word: pronouns, articles,
# adjectives such as "login", "account", "current".
_EN_GAP = r"(?:\s+(?!(?:reset|change|update|set|create|choose|recover|forgot|new)\b)[\w'’]+){0,5}?\s+"
# "send you a password reset link" is about the reset, not the password itself.
_EN_NOT_THE_SECRET = r"(?!\s+(?:reset|recovery|link|hint|change|rules|requirements)\b)"
_EN_REQUEST = re.compile(rf"\b{_EN_HANDOVER}\b{_EN_GAP}{_EN_PASSWORD}\b{_EN_NOT_THE_SECRET}", re.IGNORECASE)
_EN_QUESTION = re.compile(
    rf"\b(?:what(?:'s|’s|\s+is|\s+was)|whats)\s+(?:your|ur|the)\s+(?:\w+\s+){{0,2}}{_EN_PASSWORD}\b",
    re.IGNORECASE,
)
_EN_NEGATION = re.compile(
    r"\b(?:never|not|no\s+one|nobody|don[’']t|doesn[’']t|won[’']t|shouldn[’']t|can[’']t|cannot|neither)\b",
    re.IGNORECASE,
)

# --- Chinese -------------------------------------------------------------

_ZH_PASSWORD = r"(?:密码|口令|密碼)"
_ZH_HANDOVER = r"(?:提供|告诉|告知|告訴|发给|發給|发送|發送|发一下|给我|給我|报一下|说一下|透露|索取|索要|填写给|回复)"
# Up to eight characters between verb and password word, none of them a reset verb.
_ZH_GAP = r"(?:(?!重置|修改|更改|找回|设置|設置)[^，,。？?！!]){0,8}?"
_ZH_REQUEST = re.compile(rf"{_ZH_HANDOVER}{_ZH_GAP}{_ZH_PASSWORD}(?!重置|找回|链接|鏈接|提示)")
_ZH_QUESTION = re.compile(
    rf"{_ZH_PASSWORD}(?:[^，,。]{{0,3}})?(?:是多少|是什么|是啥|多少|发一下|发给|告诉|报一下|说一下)"
)
_ZH_NEGATION = re.compile(r"不会|不要|切勿|请勿|勿|绝不|從不|从不|决不|不得|别|不需要|无需|無需|不可")


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


def asks_for_password(text: str) -> bool:
    """True when some clause of `text` asks the reader to hand over a password."""
    for clause in _clauses(text):
        english = _EN_REQUEST.search(clause) or _EN_QUESTION.search(clause)
        if english and not _EN_NEGATION.search(clause):
            return True
        chinese = _ZH_REQUEST.search(clause) or _ZH_QUESTION.search(clause)
        if chinese and not _ZH_NEGATION.search(clause):
            return True
    return False


def check_reply(text: str) -> Decision:
    """TK-14: a reply asking for a password is blocked with a warning."""
    if asks_for_password(text):
        return Decision.refused(
            _("never ask a customer for a password; rewrite the reply without asking for it"), "TK-14"
        )
    return Decision.allowed(_("reply does not ask for a password"), "TK-14")
