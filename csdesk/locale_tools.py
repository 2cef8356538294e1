"""Keep the translations in step with the code (needs Babel: ``pip install -e '.[test]'``).

Run from the project folder::

    python -m csdesk.locale_tools update        # new strings into every .po (--prune: drop gone ones)
    python -m csdesk.locale_tools compile       # every .po -> .mo (shipped in the package)
    python -m csdesk.locale_tools check         # missing, fuzzy, placeholder or stale .mo: exit 1
    python -m csdesk.locale_tools init fr_FR    # start a catalogue for a new language
    python -m csdesk.locale_tools init fr_FR csdesk-rules   # ... and for its rules

Strings are extracted from ``csdesk/`` as ``babel.cfg`` says (``_``, ``N_`` and
``ngettext``; ``csdesk/rules`` is the ``csdesk-rules`` domain and is left out);
``babel-rules.cfg`` extracts that domain from ``csdesk/rules`` alone.
``update`` then ``compile`` after translating, and ``check`` before committing.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csdesk.i18n import DOMAIN, RULES_DOMAIN

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

PACKAGE = Path(__file__).resolve().parent
# The project folder holds the .po files and babel.cfg; an installed package (as CI tests
# it) has only the compiled .mo, so the folder this is run from wins when it is the project's.
ROOT = Path.cwd() if (Path.cwd() / "babel.cfg").is_file() else PACKAGE.parent
LOCALE = ROOT / "csdesk" / "locale"
MAPPING = ROOT / "babel.cfg"
# Each domain's own extraction: the desk's leaves csdesk/rules out, the rules' takes only it.
MAPPINGS = {DOMAIN: MAPPING, RULES_DOMAIN: ROOT / "babel-rules.cfg"}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Placeholders a translation must keep: {name} for str.format, %s / %(name)s for argparse.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([a-z_]+\))?[sdr]")


def _babel() -> None:
    try:
        import babel  # noqa: F401
    except ModuleNotFoundError:
        raise SystemExit("Babel is needed for this: pip install -e '.[test]'") from None


def template(domain: str = DOMAIN) -> Catalog:
    """Every marked string of ``domain``, as a Babel catalogue (locations without line numbers)."""
    _babel()
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with MAPPINGS[domain].open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="csdesk", domain=domain, charset="utf-8")
    for filename, _lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, 0)], auto_comments=comments, context=context)
    return catalog


def extract_policy(fileobj: object, keywords: object, comment_tags: object, options: object) -> Iterator[tuple]:
    """Babel extractor for the shipped policy: the duty titles and rubric labels the desk shows."""
    import tomllib

    text = fileobj.read().decode("utf-8")  # type: ignore[attr-defined]
    lines = text.splitlines()
    data = tomllib.loads(text)
    shown = [duty.get("title") for duty in data.get("duties", [])]
    shown += [criterion.get("label") for criterion in data.get("qa", {}).get("rubric", [])]
    for message in filter(None, shown):
        lineno = next((n for n, line in enumerate(lines, 1) if f'"{message}"' in line), 0)
        yield lineno, "N_", message, ["from the shipped policy file"]


def po_path(lang: str, domain: str = DOMAIN) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def languages(domain: str = DOMAIN) -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{domain}.po"))


def read(path: Path) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, domain=path.stem)


def write(catalog: Catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    # No line numbers: they would change the file at every unrelated edit of the code.
    write_po(buffer, catalog, width=0, include_lineno=False, ignore_obsolete=True, sort_output=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update(prune: bool = False) -> list[Path]:
    """Merge the code's strings into every ``.po`` of both domains; returns the files written.

    Translations of strings the code no longer has are kept unless ``prune``: in a
    tree several people change at once, a string gone from one working copy may
    still be in the committed code another test run reads.
    """
    written = []
    for domain in MAPPINGS:
        written += _update(domain, prune)
    return written


def _update(domain: str, prune: bool = False) -> list[Path]:
    source = template(domain)
    written = []
    for lang in languages(domain):
        path = po_path(lang, domain)
        catalog = read(path)
        # No fuzzy guesses: a new string shows up as missing, not as a near-miss translation.
        catalog.update(source, no_fuzzy_matching=True, update_creation_date=False)
        if not prune:
            for message in list(catalog.obsolete.values()):
                if message.string:
                    catalog[message.id] = message
            catalog.obsolete.clear()
        write(catalog, path)
        written.append(path)
    return written


def init(lang: str, domain: str = DOMAIN) -> Path:
    from babel.messages.catalog import Catalog

    path = po_path(lang, domain)
    if path.exists():
        raise SystemExit(f"{path} exists already; use update")
    source = template(domain)
    catalog = Catalog(locale=lang, domain=domain, project="csdesk", charset="utf-8")
    catalog.update(source)
    write(catalog, path)
    return path


def fill(lang: str, translations: dict[str, str], domain: str = DOMAIN) -> int:
    """Put ``translations`` (msgid -> text) into ``lang``'s catalogue; returns how many were set."""
    path = po_path(lang, domain)
    catalog = read(path)
    count = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.id and key in translations:
            message.string = translations[key] if isinstance(message.id, str) else (translations[key],)
            message.flags.discard("fuzzy")
            count += 1
    write(catalog, path)
    return count


def compile_all() -> list[Path]:
    """Every ``.po`` under csdesk/locale (both domains) to its ``.mo``."""
    _babel()
    written = []
    for path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        target = path.with_suffix(".mo")
        target.write_bytes(compiled(read(path)))
        written.append(target)
    return written


@dataclass(frozen=True)
class Problem:
    lang: str
    kind: str  # missing, fuzzy, placeholders, stale
    message: str
    domain: str = DOMAIN

    def __str__(self) -> str:
        return f"{self.lang} {self.domain}: {self.kind}: {self.message}"


def problems(lang: str, domain: str = DOMAIN) -> Iterator[Problem]:
    """What stops ``lang``'s catalogue of ``domain`` from covering the code as it stands."""
    _babel()
    path = po_path(lang, domain)
    if not path.exists():
        yield Problem(lang, "missing", f"no catalogue at {path}", domain)
        return
    catalog = read(path)
    for source in template(domain):
        if not source.id:
            continue
        found = catalog.get(source.id, context=source.context)
        key = source.id if isinstance(source.id, str) else source.id[0]
        strings = found.string if found is not None else None
        texts = [strings] if isinstance(strings, str) else list(strings or ())
        if found is None or not texts or not all(texts):
            yield Problem(lang, "missing", key, domain)
        elif found.fuzzy:
            yield Problem(lang, "fuzzy", key, domain)
        elif any(not _placeholders_fit(key, t) for t in texts):
            yield Problem(lang, "placeholders", f"{key!r} -> {texts[0]!r}", domain)
    mo = path.with_suffix(".mo")
    if not mo.exists() or messages_of(mo.read_bytes()) != messages_of(compiled(catalog)):
        yield Problem(lang, "stale", f"{mo.name} does not match {path.name}: run compile", domain)


# Header fields each Babel release writes its own way; they say nothing a reader sees.
_TOOL_HEADERS = ("generated-by", "pot-creation-date", "po-revision-date", "x-generator")


def messages_of(mo: bytes) -> dict[object, object]:
    """What a compiled catalogue says to a reader: its translations and the header
    fields that change them (plural forms, charset), without the compiler's name
    or dates, so a .mo built by another Babel release still reads as fresh."""
    import gettext

    translations = gettext.GNUTranslations(io.BytesIO(mo))
    messages: dict[object, object] = dict(translations._catalog)  # type: ignore[attr-defined]
    header = str(messages.pop("", ""))
    kept = sorted(
        line.strip()
        for line in header.splitlines()
        if line.strip() and line.split(":", 1)[0].strip().lower() not in _TOOL_HEADERS
    )
    messages[""] = "\n".join(kept)
    return messages


def _placeholders_fit(source: str, translation: str) -> bool:
    """A translation may leave out a {name} (str.format ignores it) but never add one;
    %-style placeholders must all stay, as the % operator counts them."""
    ours, theirs = set(_PLACEHOLDER.findall(source)), set(_PLACEHOLDER.findall(translation))
    percent = {p for p in ours | theirs if p.startswith("%")}
    return theirs <= ours and {p for p in ours if p in percent} == {p for p in theirs if p in percent}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verb = args[0] if args else ""
    if verb == "update":
        for path in update(prune="--prune" in args):
            print(f"updated {path.relative_to(ROOT)}")
    elif verb == "compile":
        for path in compile_all():
            print(f"compiled {path.relative_to(ROOT)}")
    elif verb == "check":
        found = [p for domain in MAPPINGS for lang in languages(domain) for p in problems(lang, domain)]
        for problem in found:
            print(problem)
        print(f"{len(found)} problems in {', '.join(languages())}")
        return 1 if found else 0
    elif verb == "init" and len(args) in (2, 3):
        print(f"created {init(*args[1:]).relative_to(ROOT)}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
