"""TK-14: block an outgoing reply that asks the customer for a password.

The text is first brought to one plain form, so a request cannot slip through
by how it is written: full-width and traditional characters, look-alike
letters (``p@ssw0rd``), spaced or hyphenated letters (``p a s s w o r d``,
``pass-word``, 密 码) and sound-alike words (蜜码, mima). Then, clause by
clause, it looks for a secret (password, PIN, credentials, a verification or
one-time code, 密码, 口令, 验证码 ...) together with a request aimed at the
customer: a verb of handing something over before it ("send me your
password", 请提供您的密码), a hand-over towards us after it (密码发给我,
"the PIN, please") or a question about it ("what is your password",
密码是多少). A clause that negates or warns ("we will never ask for your
password", 请勿向任何人提供密码, 谨防诈骗) is not a request, nor is advice to
reset or change a password or a link for doing so.
"""

from __future__ import annotations

import re
import unicodedata

from csdesk.i18n import _
from csdesk.rules.decision import Decision

# Clauses end at sentence marks and commas; a question mark stays with its clause.
_CLAUSE_SPLIT = re.compile(r"[.!;\n。！；,，、]+|(?<=\?)|(?<=？)")

# --- one plain form -------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TRADITIONAL = str.maketrans(
    "碼證驗請發給訴嗎們麼說這會從絕話錄號帳戶陸將讓複", "码证验请发给诉吗们么说这会从绝话录号帐户陆将让复"
)
_LEET = str.maketrans("@4$5013!|", "aassoieil")
_SECRET_TOKENS = {"password", "passwd", "paswd", "passcode", "passphrase", "pin", "pwd", "passw", "pasword"}
_TOKEN = re.compile(r"[a-z0-9@$!|]+")
_SPACED_LETTERS = re.compile(r"\b[a-z](?:[\s.\-_*·]+[a-z]\b){3,}")
_SPLIT_WORD = re.compile(r"\bpass[\s\-_.*·]*(word|code|phrase)\b")
_ZH_SPACED = re.compile(r"密[\s*·\-_.]+码|口[\s*·\-_.]+令")
_ZH_SOUND_ALIKE = re.compile(r"蜜码|秘码|mi码|(?<![a-z])mima(?![a-z])|密马")


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    if sum(c.isalpha() for c in token) < 2 or token.isalpha():
        return token
    plain = token.translate(_LEET)
    return plain if plain in _SECRET_TOKENS else token


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_TRADITIONAL).lower()
    text = _TOKEN.sub(_unleet, text)
    text = _SPACED_LETTERS.sub(lambda m: re.sub(r"[\s.\-_*·]+", "", m.group(0)), text)
    text = _SPLIT_WORD.sub(lambda m: "pass" + m.group(1), text)
    text = _ZH_SPACED.sub(lambda m: m.group(0)[0] + m.group(0)[-1], text)
    return _ZH_SOUND_ALIKE.sub("密码", text)


# --- English -------------------------------------------------------------

_EN_SECRET = (
    r"(?:password|passwd|paswd|pasword|pwd|pw|passcode|passphrase|pin(?:\s+(?:code|number))?"
    r"|credentials?|(?:log-?in|sign-?in)\s+(?:details|info|information|credentials)"
    r"|(?:verification|security|one-?time|otp|sms|auth(?:entication)?)\s+code|otp"
    r"|code\s+(?:we|i)\s+(?:just\s+)?(?:sent|texted|emailed)|code\s+you\s+(?:received|got))"
)
_EN_HANDOVER = (
    r"(?:tell|give|gimme|send|sending|provide|share|confirm|email|e-mail|text|message|dm|say|spell|read\s+out"
    r"|let\s+(?:me|us)\s+know|(?:may|can|could)\s+(?:i|we)\s+(?:have|get)|need|needs|require|want|forward"
    r"|disclose|reply|respond|(?:i|we)\s+(?:must\s+|have\s+to\s+|need\s+to\s+|will\s+|would\s+)?ask\s+(?:you\s+)?for)"
)
# Typing or writing a secret is a request only when it is to go into this conversation.
_EN_WRITE = r"(?:type|enter|write|put|include)"
_EN_HERE = re.compile(r"\b(?:here|chat|reply|this\s+message|to\s+(?:me|us)|send)\b")
# Words allowed between the verb and the secret: pronouns, articles, "login", "current".
_EN_GAP = (
    r"(?:\s+(?!(?:reset|change|update|set|create|choose|recover|forgot|forget|new|if|whether|link)\b)"
    r"[\w'’-]+){0,6}?\s+"
)
# "send you a password reset link" is about the reset, not the password itself.
_EN_NOT_THE_SECRET = r"(?!\s+(?:reset|recovery|link|hint|change|rules|requirements|field|screen|manager)\b)"
_EN_REQUEST = re.compile(rf"\b{_EN_HANDOVER}\b{_EN_GAP}{_EN_SECRET}\b{_EN_NOT_THE_SECRET}")
_EN_WRITTEN = re.compile(rf"\b{_EN_WRITE}\b{_EN_GAP}{_EN_SECRET}\b{_EN_NOT_THE_SECRET}")
_EN_QUESTION = re.compile(
    rf"\b(?:what(?:'s|’s|\s+is|\s+was)?|whats)\s+(?:(?:is|was)\s+)?(?:your|ur|the|my)\s+(?:[\w-]+\s+){{0,3}}?{_EN_SECRET}\b"
)
# Across a clause: "Which password did you set? Please send it to me.", "Your PIN, please."
_EN_SEND_IT = re.compile(
    rf"\b{_EN_SECRET}\b.{{0,80}}?\b(?:send|give|tell|email|text|forward)\s+(?:it|that|them)\s+(?:to|over)\b"
    rf"|\b{_EN_SECRET}\W{{0,3}}(?:please|pls|plz)\b",
    re.DOTALL,
)
_EN_NEGATION = re.compile(
    r"\b(?:never|not|no|nobody|don[’']t|doesn[’']t|won[’']t|shouldn[’']t|can[’']t|cannot|neither|unless)\b"
)
_EN_REASSURANCE = re.compile(r"\b(?:don[’']t\s+worry|do\s+not\s+worry|no\s+worries|no\s+problem|not\s+a\s+problem)\b")

# --- Chinese -------------------------------------------------------------

_ZH_SECRET = r"(?:密码|口令|验证码|校验码|动态码|短信码|pin码|pin|登录凭证)"
_ZH_HANDOVER = (
    r"(?:提供|告诉|告知|发给|发送给|发我|发过来|发一下|给我|报一下|报给|说一下|说下|讲一下|透露|索取|索要"
    r"|回复|念一下|私信|需要)"
)
_ZH_RESET = r"重置|修改|更改|找回|设置新|忘记|链接|步骤|提示|邮箱|短信发送|手机上?输入"
_ZH_GAP = rf"(?:(?!{_ZH_RESET})[^，,。？?！!]){{0,8}}?"
_ZH_REQUEST = re.compile(rf"{_ZH_HANDOVER}{_ZH_GAP}{_ZH_SECRET}(?!{_ZH_RESET}|的步骤|框)")
# After the secret: handed over towards us, or asked about.
_ZH_TOWARDS_US = (
    r"(?:(?:发|发送|报|告诉|提供|念|私信|截图发|截图|给)(?:给)?(?:我|我们|客服|本人|过来|一下)"
    r"|写在回复|告知客服|告诉客服|能告诉|看看|是多少|是什么|是啥|多少|是[？?]?\s*$|方便发|能发|回复给)"
)
_ZH_ABOUT = re.compile(rf"{_ZH_SECRET}{_ZH_GAP}{_ZH_TOWARDS_US}")
_ZH_NEGATION = re.compile(
    r"不会|不要|切勿|请勿|勿|绝不|从不|决不|不得|别|不需要|无需|不可|不能|不用|谨防|警惕|诈骗|骗子|他人|任何人"
)
_ZH_REASSURANCE = re.compile(r"别担心|不用担心|不要担心|没问题|不要紧")


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


def _english_request(clause: str) -> bool:
    asks = (
        _EN_REQUEST.search(clause)
        or _EN_QUESTION.search(clause)
        or (_EN_WRITTEN.search(clause) and _EN_HERE.search(clause))
    )
    return bool(asks) and not _EN_NEGATION.search(_EN_REASSURANCE.sub(" ", clause))


def _chinese_request(clause: str) -> bool:
    asks = _ZH_REQUEST.search(clause) or _ZH_ABOUT.search(clause)
    return bool(asks) and not _ZH_NEGATION.search(_ZH_REASSURANCE.sub("", clause))


def asks_for_password(text: str) -> bool:
    """True when some clause of `text` asks the reader to hand over a password."""
    plain = _plain(text)
    if any(_english_request(c) or _chinese_request(c) for c in _clauses(plain)):
        return True
    return bool(_EN_SEND_IT.search(plain)) and not _EN_NEGATION.search(plain)


def check_reply(text: str) -> Decision:
    """TK-14: a reply asking for a password is blocked with a warning."""
    if asks_for_password(text):
        return Decision.refused(
            _("never ask a customer for a password; rewrite the reply without asking for it"), "TK-14"
        )
    return Decision.allowed(_("reply does not ask for a password"), "TK-14")
