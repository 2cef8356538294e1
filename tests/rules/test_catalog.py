"""The catalogue covers RULES.md, answers "why?", and every rule is tested somewhere."""

import ast
import importlib
import inspect
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
    return "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p.name != Path(__file__).name)


def test_every_catalogue_rule_is_cited_by_a_test():
    # A rule counts as cited when its ID appears in a test file other than this
    # one, e.g. "# rule: LV-6" or a test name; "TK-1" does not match "TK-10".
    sources = _test_sources().replace("_", "-")
    uncited = [
        r.id for r in all_rules() if not re.search(rf"(?<![A-Za-z0-9]){re.escape(r.id)}(?!\d)", sources, re.IGNORECASE)
    ]
    assert uncited == []


# -- each rule names the function that decides it, and the desk reaches that function -------

PACKAGE = Path(__file__).resolve().parents[2] / "csdesk"


def _functions(folder: str) -> dict[str, ast.FunctionDef]:
    """Every top-level function of the modules in csdesk/<folder>, by dotted name."""
    found = {}
    for path in sorted((PACKAGE / folder).glob("*.py")):
        module = f"csdesk.{folder}.{path.stem}"
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                found[f"{module}.{node.name}"] = node
    return found


def _names_used(path: Path, module: str, within: ast.AST) -> set[str]:
    """Dotted names of the functions of csdesk that ``within`` (part of ``path``) names: its
    own module's by their name, imported ones by what they were imported from."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("csdesk"):
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    used = set()
    for node in ast.walk(within):
        if isinstance(node, ast.Name):
            used.add(imported.get(node.id, f"{module}.{node.id}"))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported:
            used.add(f"{imported[node.value.id]}.{node.attr}")
    return used


def _reached_from_services() -> set[str]:
    """The functions of csdesk.rules and csdesk.services that a service calls, directly or
    through other rules, read from the source."""
    rules, services = _functions("rules"), _functions("services")
    everything = {**rules, **services}
    reached = set(services)
    todo = list(services)
    while todo:
        name = todo.pop()
        module = name.rpartition(".")[0]
        path = PACKAGE / Path(*module.split(".")[1:]).with_suffix(".py")
        for used in _names_used(path, module, everything[name]) & set(everything):
            if used not in reached:
                reached.add(used)
                todo.append(used)
    return reached


def test_every_rule_names_a_real_function_that_decides_it():
    for entry in all_rules():
        module, _sep, name = entry.decided_by.rpartition(".")
        assert module.startswith(("csdesk.rules.", "csdesk.services.")), entry.id
        found = getattr(importlib.import_module(module), name, None)
        assert inspect.isfunction(found) and found.__module__ == module, f"{entry.id}: {entry.decided_by}"


# Rules whose deciding function no service calls yet. Kept exact (empty now: every rule is
# reached), so a rule wired in leaves this list and none slips out of the desk's reach unseen.
NOT_YET_REACHED: set[str] = set()


def test_the_function_deciding_each_rule_is_reached_from_a_service():
    reached = _reached_from_services()
    assert {r.id for r in all_rules() if r.decided_by not in reached} == NOT_YET_REACHED


def test_the_reach_is_read_from_the_code():
    reached = _reached_from_services()
    # classify_arrival is called by the roll call service; _arrival_decision only through it.
    assert {"csdesk.rules.attendance.classify_arrival", "csdesk.rules.attendance._arrival_decision"} <= reached
    assert "csdesk.rules.wording.both" in reached
    # The swaps service charges a shift an unclear swap left empty (SW-5).
    assert {rule("SW-5").decided_by, "csdesk.services.swaps.charge_empty_shift"} <= reached
