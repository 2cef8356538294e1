"""The import graph of csdesk keeps its layers and has no circles.

Read from the source, not by importing it: every ``import`` in a module counts,
at the top, inside a function or under ``if TYPE_CHECKING`` alike, so a layer
cannot lean on another by importing it late. Run this file with Python to print
the graph's size, its circles and the contracts it breaks.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "csdesk"

# Who must not import whom: each layer, and what is out of its reach (packages of
# csdesk by their dotted name, or third-party packages by their top name).
CONTRACTS: dict[str, tuple[str, ...]] = {
    "csdesk.rules": (
        "csdesk.models",
        "csdesk.services",
        "csdesk.screens",
        "csdesk.db",
        "csdesk.store",
        "csdesk.app",
        "sqlalchemy",
        "sqlmodel",
        "textual",
    ),
    "csdesk.models": ("csdesk.services", "csdesk.screens", "csdesk.app", "textual"),
    "csdesk.services": ("csdesk.screens", "csdesk.widgets", "csdesk.app", "csdesk.cli", "textual"),
    "csdesk.screens": ("csdesk.db", "csdesk.store", "csdesk.app", "csdesk.cli"),
    "csdesk.widgets": ("csdesk.screens", "csdesk.services", "csdesk.db", "csdesk.store", "csdesk.app"),
    "csdesk.demo": ("csdesk.screens", "csdesk.widgets", "csdesk.app"),
    "csdesk.cli": ("csdesk.screens", "csdesk.widgets"),
    "csdesk.commands": ("csdesk.screens", "csdesk.widgets"),
    "csdesk.exports": ("csdesk.screens", "csdesk.widgets", "csdesk.app"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations/versions" not in str(p)}


def _imported(node: ast.AST, here: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = here.split(".")[: len(here.split(".")) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, base] if base else anchor)
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def graph() -> dict[str, set[str]]:
    """Module -> the modules (of csdesk, or third-party top names) it imports anywhere in its body."""
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _imported(node, name, path.name == "__init__.py"):
                if target in known:
                    found.add(target)
                elif not target.startswith("csdesk"):
                    found.add(target.split(".")[0])
        found.discard(name)
        edges[name] = found
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in edges:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def broken_contracts(edges: dict[str, set[str]]) -> list[str]:
    broken = []
    for layer, forbidden in CONTRACTS.items():
        for module, targets in sorted(edges.items()):
            if not _within(module, layer):
                continue
            for target in sorted(targets):
                for banned in forbidden:
                    if _within(target, banned):
                        broken.append(f"{module} imports {target} ({layer} must not import {banned})")
    return broken


EDGES = graph()


def test_the_graph_is_read():
    # Guards the reader itself: these imports are there, so a graph without them is misread.
    assert "csdesk.rules.decision" in EDGES["csdesk.rules.staff"]
    assert "csdesk.screens.base" in EDGES["csdesk.screens.kit.forms"]
    assert "sqlmodel" in EDGES["csdesk.services.base"]
    assert len(EDGES) > 100


def test_no_import_circles_inside_csdesk():
    assert circles(EDGES) == []


def test_a_circle_is_found_where_there_is_one():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("layer", list(CONTRACTS))
def test_each_layer_imports_only_what_it_may(layer):
    assert [line for line in broken_contracts(EDGES) if line.split(" ")[0].startswith(layer)] == []


def test_a_broken_contract_is_found():
    assert broken_contracts({"csdesk.rules.x": {"sqlalchemy"}}) == [
        "csdesk.rules.x imports sqlalchemy (csdesk.rules must not import sqlalchemy)"
    ]


if __name__ == "__main__":
    edges = graph()
    internal = sum(1 for targets in edges.values() for t in targets if t.startswith("csdesk"))
    print(f"{len(edges)} modules of csdesk, {internal} imports between them (every import statement counts)")
    found = circles(edges)
    print(f"circles: {len(found)}")
    for group in found:
        print("  " + " -> ".join(group))
    broken = broken_contracts(edges)
    print(f"contracts: {len(CONTRACTS)} layers, {len(broken)} broken")
    for line in broken:
        print("  " + line)
    for layer, forbidden in CONTRACTS.items():
        print(f"  {layer} does not import {', '.join(forbidden)}")
    sys.exit(1 if found or broken else 0)
