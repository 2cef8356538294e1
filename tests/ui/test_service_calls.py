"""Every service a screen names exists, and the arguments the screen gives it fit its signature.

Screens name services through ``csdesk.screens.kit.services`` (``tickets.claim``),
which loads them only when called: a misspelt name or a missing argument would
otherwise be found by a person pressing the key. This reads the screens' source,
finds each service they name and each call that runs one, and binds the call's
arguments to the service's real signature.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from dataclasses import dataclass
from pathlib import Path

import pytest

import csdesk.screens
from csdesk.screens.service_worker import run_service

SCREENS = Path(csdesk.screens.__file__).parent
KIT_SERVICES = "csdesk.screens.kit.services"
# The keywords run_service keeps for itself; the rest go to the service.
OWN_KEYWORDS = {
    name
    for name, parameter in inspect.signature(run_service).parameters.items()
    if parameter.kind is parameter.KEYWORD_ONLY
}
DESK, ACTOR = object(), object()


@dataclass(frozen=True)
class Reference:
    where: str
    line: int
    module: str
    name: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line} {self.module}.{self.name}"


@dataclass(frozen=True)
class Call:
    reference: Reference
    before: tuple[object, ...]  # what the caller puts ahead of the screen's own arguments
    positional: int
    keywords: tuple[str, ...]
    unpacked: bool  # *args or **kwargs: their number is known only when it runs


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Names bound to service modules in this file: ``{"memos": "csdesk.services.memo"}``."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in (KIT_SERVICES, "csdesk.services"):
            for alias in node.names:
                found[alias.asname or alias.name] = f"csdesk.services.{alias.name}"
    return found


def _reference(node: ast.AST, aliases: dict[str, str], where: str) -> Reference | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
        return Reference(where, node.lineno, aliases[node.value.id], node.attr)
    return None


def _call(node: ast.Call, aliases: dict[str, str], where: str) -> Call | None:
    """The service run by ``node`` when it is one of the ways screens run services."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    args, before = list(node.args), ()
    if name in ("run_service", "call_service") and isinstance(func, ast.Attribute):
        target, rest = (args[0], args[1:]) if args else (None, [])
    elif name == "run_service":  # service_worker.run_service(node, target, ...)
        target, rest = (args[1], args[2:]) if len(args) > 1 else (None, [])
    elif name == "call" and isinstance(func, ast.Attribute):  # FormModal.call: the actor goes first
        target, rest, before = (args[0], args[1:], (ACTOR,)) if args else (None, [], ())
    elif name == "service_pages":  # a paged list: actor, then offset= and limit=
        if len(args) < 2:
            return None
        reference = _reference(args[1], aliases, where)
        return Call(reference, (ACTOR,), 0, ("offset", "limit"), False) if reference else None
    else:
        return None
    reference = _reference(target, aliases, where) if target is not None else None
    if reference is None:
        return None
    keywords = tuple(k.arg for k in node.keywords if k.arg is not None and k.arg not in OWN_KEYWORDS)
    unpacked = any(isinstance(a, ast.Starred) for a in rest) or any(k.arg is None for k in node.keywords)
    return Call(reference, before, sum(not isinstance(a, ast.Starred) for a in rest), keywords, unpacked)


def _annotations(tree: ast.Module) -> set[int]:
    """The nodes that stand in type annotations: a service's result type there is a type, not a call."""
    found: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
            parts = [node.returns, *(a.annotation for a in every if a is not None)]
        elif isinstance(node, ast.AnnAssign):
            parts = [node.annotation]
        for part in parts:
            if part is not None:
                found.update(id(inner) for inner in ast.walk(part))
    return found


def _scan() -> tuple[list[Reference], list[Call]]:
    references, calls = [], []
    for path in sorted(SCREENS.rglob("*.py")):
        where = str(path.relative_to(SCREENS.parent.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _aliases(tree)
        if path.name == "services.py" and path.parent.name == "kit":
            continue  # the stand-ins themselves
        typed = _annotations(tree)
        for node in ast.walk(tree):
            if id(node) in typed:
                continue
            if (reference := _reference(node, aliases, where)) is not None:
                references.append(reference)
            if isinstance(node, ast.Call) and (call := _call(node, aliases, where)) is not None:
                calls.append(call)
    return references, calls


REFERENCES, CALLS = _scan()


def _service(reference: Reference):
    return getattr(importlib.import_module(reference.module), reference.name, None)


def test_the_screens_name_services_through_the_kit():
    # Most screens run services: were none found, this check would be reading nothing.
    assert len(REFERENCES) > 80 and len(CALLS) > 80
    assert {c.reference.module for c in CALLS} >= {"csdesk.services.tickets", "csdesk.services.rollcall"}


@pytest.mark.parametrize("reference", REFERENCES, ids=str)
def test_every_service_a_screen_names_exists(reference):
    found = _service(reference)
    assert callable(found), f"{reference}: no such service"
    assert found.__module__ == reference.module, f"{reference} is {found.__module__}.{reference.name}"


def test_every_service_a_screen_names_is_run_where_its_arguments_can_be_checked():
    run = {(c.reference.where, c.reference.line, c.reference.name) for c in CALLS}
    loose = [str(r) for r in REFERENCES if (r.where, r.line, r.name) not in run]
    assert loose == []


@pytest.mark.parametrize("call", CALLS, ids=lambda c: str(c.reference))
def test_the_arguments_a_screen_gives_fit_the_service(call):
    service = _service(call.reference)
    signature = inspect.signature(service)
    arguments = (DESK, *call.before, *[object()] * call.positional)
    keywords = {name: object() for name in call.keywords}
    bind = signature.bind_partial if call.unpacked else signature.bind
    try:
        bind(*arguments, **keywords)
    except TypeError as exc:
        pytest.fail(f"{call.reference}{signature}: {exc}")
