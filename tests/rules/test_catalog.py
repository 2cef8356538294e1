"""The catalogue covers RULES.md, answers "why?", and every rule is tested somewhere."""

import re
from pathlib import Path

import pytest

from csdesk.rules.catalog import Kind, UnknownRule, all_rules, explain, rule

TESTS = Path(__file__).resolve().parents[1]

EXPECTED = {
    "ST": 6,
    "SC": 5,
    "AT": 9,
    "LV": 9,
    "SW": 7,
    "HO": 7,
    "TK": 17,
    "FN": 10,
    "QA": 4,
    "DS": 4,
    "KB": 2,
}


def test_catalogue_has_every_rule_id_once():
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert ids == [f"{topic}-{n}" for topic, count in EXPECTED.items() for n in range(1, count + 1)]


def test_every_rule_has_plain_words_a_kind_and_a_source():
    for r in all_rules():
        assert r.title and r.statement.endswith(".") and r.kinds and r.source, r.id


def test_lookup_by_id_is_forgiving_about_case_and_spacing():
    assert rule("lv 6").id == "LV-6"
    assert "12:00" in rule("LV-6").statement
    assert Kind.ENFORCE in rule("LV-6").kinds
    assert str(rule("FN-2")).startswith("FN-2 Chat greeting delay fine: ")


def test_unknown_id_is_reported():
    with pytest.raises(UnknownRule):
        rule("LV-99")


def test_explain_skips_ids_it_does_not_know():
    assert [r.id for r in explain(("AT-2", "XX-1"))] == ["AT-2"]


def _test_sources() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p.name != Path(__file__).name
    )


def test_every_catalogue_rule_is_cited_by_a_test():
    # A rule counts as cited when its ID appears in a test file other than this
    # one, e.g. "# rule: LV-6" or a test name; "TK-1" does not match "TK-10".
    sources = _test_sources().replace("_", "-")
    uncited = [
        r.id
        for r in all_rules()
        if not re.search(rf"(?<![A-Za-z0-9]){re.escape(r.id)}(?!\d)", sources, re.IGNORECASE)
    ]
    assert uncited == []
