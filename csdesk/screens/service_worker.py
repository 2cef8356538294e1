"""Run a use-case service off the UI thread and hand the answer back.

Every service call goes through :func:`run_service` so that no screen ever
waits on the database and every refusal is shown the same way. The service's
module, and the store with it, is imported inside the worker thread, which is
what lets the first paint happen before SQLAlchemy is loaded.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.worker import Worker, get_current_worker

from csdesk.errors import ExplainedError
from csdesk.i18n import _
from csdesk.screens.kit.services import service_name
from csdesk.widgets.live import DataChanged, tell_screen

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from csdesk.screens.kit.desk_app import DeskApp

log = logging.getLogger("csdesk.ui")
R = TypeVar("R")

OnDone = Callable[[R], object]
# Returns True when it showed the error itself (inline, or next to a form field).
OnError = Callable[[Exception], bool | None]


def run_service(
    node: DOMNode,
    target: Callable[..., R],
    *args: Any,
    on_done: OnDone[R] | None = None,
    on_error: OnError | None = None,
    group: str = "service",
    exclusive: bool = False,
    reload_after: bool = False,
    **kwargs: Any,
) -> Worker[None]:
    """Call ``target(desk, *args, **kwargs)`` in a thread owned by ``node``.

    ``target`` is a service as ``csdesk.screens.kit.services`` names it
    (``tickets.claim``), or any function taking the desk first.
    ``on_done(result)`` runs on the UI thread. A failure goes to
    ``on_error(exc)`` first (use :func:`failure_text` to word it) and, unless
    that returns True, becomes a notification: a ServiceError with its rule
    IDs, anything unexpected as a plain apology after logging it without its
    message (which may quote customer data). If ``node`` goes away before the
    answer arrives, the answer is dropped.

    ``reload_after``: once ``on_done`` has run, the screen of ``node`` reloads what it
    shows (DataChanged) as of the data version read after the service returned, so the
    change feed reporting this same commit does not make it reload a second time.
    """
    app = cast("DeskApp", node.app)

    def call() -> None:
        worker = get_current_worker()
        try:
            result = app.call_service(target, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the person
            if not worker.is_cancelled:
                app.call_from_thread(report_failure, app, exc, on_error)
            return
        version = app.data_version_now() if reload_after else None
        if worker.is_cancelled:
            return
        if on_done is not None:
            app.call_from_thread(on_done, result)
        if reload_after:
            app.call_from_thread(_reload, node, version)

    return node.run_worker(
        call, name=service_name(target), group=group, exclusive=exclusive, thread=True, exit_on_error=False
    )


def _reload(node: DOMNode, version: int | None) -> None:
    screen = getattr(node, "screen", None)
    if screen is None or not screen.is_attached:
        return
    if version is None:  # no change feed to agree with: reload all the same
        screen.post_message(DataChanged(getattr(screen, "seen_version", None) or 0))
        return
    tell_screen(screen, version)


def shown_as_said(exc: BaseException) -> bool:
    """True for errors whose text is written for the person at the desk."""
    return isinstance(exc, ExplainedError)


def failure_text(exc: BaseException) -> str:
    """What to tell the person about ``exc``; never the text of an unexpected error."""
    if shown_as_said(exc):
        return str(exc)
    return _("Something went wrong and nothing was changed. The problem has been logged.")


def report_failure(app: DeskApp, exc: Exception, on_error: OnError | None) -> None:
    """Show a failed service call; runs on the UI thread."""
    said = shown_as_said(exc)
    if not said:
        log_unexpected(exc)
    rule_ids = tuple(getattr(exc, "rule_ids", ())) if said else ()
    if rule_ids:
        app.remember_refusal(rule_ids)
    if on_error is not None and on_error(exc):
        return
    if not said:
        app.notify(failure_text(exc), title=_("Error"), severity="error")
        return
    # ServiceError's text already leads with its rule IDs.
    hint = "\n" + _("Press w to see why.") if rule_ids else ""
    app.notify(failure_text(exc) + hint, title=_("Not done"), severity="warning")


def log_unexpected(exc: BaseException) -> None:
    # The exception's text can quote a customer's name or phone number (e.g. an
    # integrity error echoing the row), so only its type and code location are kept.
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(exc.__traceback__)
    )
    log.error("service call failed: %s\n%s", type(exc).__qualname__, frames)
