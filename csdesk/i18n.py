"""One translation function for every string a person reads on the desk.

English is the source language. A catalogue for another language lives at
``csdesk/locale/<lang>/LC_MESSAGES/csdesk.mo``; when it is missing the desk
falls back to English rather than refusing to start. The rule catalogue and
the rules' reasons have a catalogue of their own (``csdesk-rules.mo``), looked
up behind the desk's, so ``_()`` finds both.

Strings that are fixed at import time (binding descriptions, command titles)
are marked with ``N_()`` and translated with ``_()`` where they are shown, so
the language can be installed after the screens are imported, and changed
while the desk runs.

Which language: ``--lang``, else ``$CSDESK_LANG``, else ``[centre] language``
in the policy file, else the system locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``), else English (see :func:`choose_language`).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from importlib.resources import files

DOMAIN = "csdesk"
RULES_DOMAIN = "csdesk-rules"
ENGLISH = "en"

# The languages the desk ships, each named in its own language for the picker.
LANGUAGES: dict[str, str] = {ENGLISH: "English", "zh_CN": "简体中文"}

# Spellings people and systems use for the shipped languages.
_ALIASES = {
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_hans_cn": "zh_CN",
    "zh_sg": "zh_CN",
    "chinese": "zh_CN",
    "en": ENGLISH,
    "english": ENGLISH,
}
# What a system locale says when it names no language at all.
_NO_LANGUAGE = {"", "c", "posix"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_current: str = ENGLISH


def localedir() -> str:
    return str(files("csdesk").joinpath("locale"))


def normalise(lang: str | None) -> str | None:
    """``"zh-CN.UTF-8"`` -> ``"zh_CN"``, ``"en_GB"`` -> ``"en"``; None for ``C``/``POSIX``/empty."""
    if lang is None:
        return None
    code = lang.strip().split(".")[0].split("@")[0].replace("-", "_")
    if code.lower() in _NO_LANGUAGE:
        return None
    key = code.lower()
    if key in _ALIASES:
        return _ALIASES[key]
    if key.startswith("en_"):
        return ENGLISH
    if key.startswith("zh_hans"):
        return "zh_CN"
    language, _sep, region = code.partition("_")
    return f"{language.lower()}_{region.upper()}" if region else language.lower()


def system_language(environ: Mapping[str, str]) -> str | None:
    """The language of the system locale, read as gettext does (first set variable wins)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return normalise(value.split(":")[0])
    return None


def choose_language(cli: str | None, env: str | None, policy: str | None, environ: Mapping[str, str]) -> str:
    """The first of ``--lang``, ``$CSDESK_LANG``, the policy file and the system locale that names one."""
    for candidate in (cli, env, policy):
        chosen = normalise(candidate)
        if chosen:
            return chosen
    return system_language(environ) or ENGLISH


def install_language(lang: str | None) -> str:
    """Translate from now on into ``lang`` (e.g. ``"zh_CN"``); None means English.

    Returns the language now in effect: a language without a catalogue is English.
    """
    global _translation, _current
    code = normalise(lang) or ENGLISH
    if code == ENGLISH:
        _translation, _current = gettext.NullTranslations(), ENGLISH
        return _current
    found = gettext.translation(DOMAIN, localedir(), languages=[code], fallback=True)
    found.add_fallback(gettext.translation(RULES_DOMAIN, localedir(), languages=[code], fallback=True))
    _translation = found
    _current = code if type(found) is not gettext.NullTranslations else ENGLISH
    return _current


def current_language() -> str:
    return _current


def is_chinese() -> bool:
    return _current.startswith("zh")


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet."""
    return message
