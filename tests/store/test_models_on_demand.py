"""Tables are loaded when first asked for: a process started per message (the mailgate)
loads only the ones it writes, and every name and table is still there for the rest."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import csdesk.models
from csdesk.store import create_database

MODELS = Path(csdesk.models.__file__).parent
SAMPLE = Path(__file__).resolve().parent.parent / "mail" / "samples" / "gbk_foxmail.eml"


def _tables_and_links(path: Path) -> tuple[set[str], set[str], set[str]]:
    """A model module's own tables, the tables its foreign keys name, and the model modules it imports."""
    own: set[str] = set()
    named: set[str] = set()
    imports: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__tablename__" for t in node.targets):
            own.add(ast.literal_eval(node.value))
        elif isinstance(node, ast.keyword) and node.arg == "foreign_key":
            named.add(ast.literal_eval(node.value).split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ForeignKey":
            named.add(ast.literal_eval(node.args[0]).split(".")[0])
        elif isinstance(node, ast.Import):
            imports.update(a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("csdesk.models."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("csdesk.models."):
            imports.add((node.module or "").rsplit(".", 1)[1])
    return own, named, imports


def test_a_table_module_brings_the_tables_its_foreign_keys_point_at():
    # Without them SQLAlchemy cannot order a flush in a process that loaded this module alone.
    modules = {p.stem: _tables_and_links(p) for p in MODELS.glob("*.py") if p.stem != "__init__"}

    def reach(name: str, seen: set[str]) -> set[str]:
        if name in seen:
            return seen
        seen.add(name)
        for other in modules[name][2]:
            reach(other, seen)
        return seen

    missing = {
        name: sorted(named - {t for m in reach(name, set()) for t in modules[m][0]})
        for name, (_own, named, _imports) in modules.items()
    }
    assert {name: tables for name, tables in missing.items() if tables} == {}


def test_every_name_of_the_package_is_there_and_metadata_has_every_table():
    for name in csdesk.models.__all__:
        assert getattr(csdesk.models, name) is not None, name
    declared = {t for p in MODELS.glob("*.py") for t in _tables_and_links(p)[0]}
    assert set(csdesk.models.metadata.tables) == declared


def test_a_mailgate_process_loads_only_the_tables_it_writes(tmp_path):
    path = tmp_path / "centre.db"
    create_database(path).close()
    probe = textwrap.dedent(
        f"""
        import io, sys
        sys.stdin = io.TextIOWrapper(io.BytesIO(open({str(SAMPLE)!r}, "rb").read()))
        from csdesk.cli import main
        assert main(["--db", {str(path)!r}, "mailgate", "--queue", "email"]) == 0
        print(sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("csdesk.models.")), file=sys.stderr)
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))
    assert {"tickets", "mail", "audit"} <= loaded
    assert not loaded & {"attendance", "requests", "training", "knowledge", "ledger", "handover", "interns"}
