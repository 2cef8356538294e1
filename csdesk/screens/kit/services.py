"""The use-case services, as screens name them: real functions to a reader and a type checker,
loaded only when the first call runs.

    from csdesk.screens.kit.services import rollcall

    self.run_service(rollcall.mark, actor, session_id, staff_id, status, on_done=self._marked)

To a type checker (and an editor's "go to definition") ``rollcall`` is the module
``csdesk.services.rollcall`` and ``rollcall.mark`` its function, with its signature
and its return type. While the desk runs it is a stand-in whose attributes are
:class:`ServiceRef` s: naming one imports nothing, and the worker thread that
calls it imports the module, so the first screen paints before SQLAlchemy and
SQLModel are loaded (``tests/ui/test_imports.py``). ``tests/ui/test_service_calls.py``
checks that every service a screen names exists and that the arguments it is
given fit its signature.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

PACKAGE = "csdesk.services"


@dataclass(frozen=True)
class ServiceRef:
    """``csdesk.services.<module>.<name>``, imported when first called."""

    module: str
    name: str

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def __name__(self) -> str:  # what a worker is named after, as for a function
        return self.name

    def resolve(self) -> Callable[..., Any]:
        found: Callable[..., Any] = getattr(importlib.import_module(self.module), self.name)
        return found

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)


class ServiceModule:
    """Stands in for ``csdesk.services.<module>``: each attribute is a :class:`ServiceRef`."""

    def __init__(self, module: str) -> None:
        self._module = f"{PACKAGE}.{module}"

    def __getattr__(self, name: str) -> ServiceRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return ServiceRef(self._module, name)

    def __repr__(self) -> str:
        return f"<services {self._module}, loaded when called>"


def service_name(target: Callable[..., Any] | str) -> str:
    """The qualified name a service is known by: ``"csdesk.services.auth.sign_in"``."""
    if isinstance(target, str):
        return target
    if isinstance(target, ServiceRef):
        return target.qualname
    module = str(getattr(target, "__module__", None) or "")
    name = str(getattr(target, "__qualname__", None) or getattr(target, "__name__", repr(target)))
    return f"{module}.{name}" if module else name


if TYPE_CHECKING:
    from csdesk.services import attendance as attendance
    from csdesk.services import auth as auth
    from csdesk.services import canned as canned
    from csdesk.services import contacts as contacts
    from csdesk.services import demand as demand
    from csdesk.services import duties as duties
    from csdesk.services import evaluation as evaluation
    from csdesk.services import exports as exports
    from csdesk.services import handover as handover
    from csdesk.services import home as home
    from csdesk.services import inbox as inbox
    from csdesk.services import interns as interns
    from csdesk.services import knowledge as knowledge
    from csdesk.services import leave as leave
    from csdesk.services import ledger as ledger
    from csdesk.services import memo as memo
    from csdesk.services import notes as notes
    from csdesk.services import notices as notices
    from csdesk.services import notifications as notifications
    from csdesk.services import pickers as pickers
    from csdesk.services import proposals as proposals
    from csdesk.services import quality as quality
    from csdesk.services import queues as queues
    from csdesk.services import rollcall as rollcall
    from csdesk.services import rostering as rostering
    from csdesk.services import search as search
    from csdesk.services import swaps as swaps
    from csdesk.services import tickets as tickets
    from csdesk.services import timeclock as timeclock
    from csdesk.services import typing_tests as typing_tests
    from csdesk.services import waiting as waiting
else:
    attendance = ServiceModule("attendance")
    auth = ServiceModule("auth")
    canned = ServiceModule("canned")
    contacts = ServiceModule("contacts")
    demand = ServiceModule("demand")
    duties = ServiceModule("duties")
    evaluation = ServiceModule("evaluation")
    exports = ServiceModule("exports")
    handover = ServiceModule("handover")
    home = ServiceModule("home")
    inbox = ServiceModule("inbox")
    interns = ServiceModule("interns")
    knowledge = ServiceModule("knowledge")
    leave = ServiceModule("leave")
    ledger = ServiceModule("ledger")
    memo = ServiceModule("memo")
    notes = ServiceModule("notes")
    notices = ServiceModule("notices")
    notifications = ServiceModule("notifications")
    pickers = ServiceModule("pickers")
    proposals = ServiceModule("proposals")
    quality = ServiceModule("quality")
    queues = ServiceModule("queues")
    rollcall = ServiceModule("rollcall")
    search = ServiceModule("search")
    rostering = ServiceModule("rostering")
    swaps = ServiceModule("swaps")
    tickets = ServiceModule("tickets")
    timeclock = ServiceModule("timeclock")
    typing_tests = ServiceModule("typing_tests")
    waiting = ServiceModule("waiting")
