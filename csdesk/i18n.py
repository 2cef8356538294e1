"""One translation function for every string a person reads on the desk.

English is the source language. A catalogue for another language lives at
``csdesk/locale/<lang>/LC_MESSAGES/csdesk.mo``; when it is missing the desk
falls back to English rather than refusing to start.

Strings that are fixed at import time (binding descriptions, command titles)
are marked with ``N_()`` and translated with ``_()`` where they are shown, so
the language can be installed after the screens are imported.
"""

from __future__ import annotations

import gettext
from importlib.resources import files

DOMAIN = "csdesk"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def install_language(lang: str | None) -> None:
    """Translate from now on into ``lang`` (e.g. ``"zh_CN"``); None means English."""
    global _translation
    if not lang or lang.lower().startswith("en"):
        _translation = gettext.NullTranslations()
        return
    localedir = str(files("csdesk").joinpath("locale"))
    _translation = gettext.translation(DOMAIN, localedir, languages=[lang], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet."""
    return message
