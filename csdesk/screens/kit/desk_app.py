"""What a screen asks of the desk's app, besides Textual's own: who is signed in, the
centre's policy, zone and clock, and service calls.

``csdesk.app.CsdeskApp`` is the one implementation; screens name this protocol
instead, so that they depend on what they use rather than on the app module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from csdesk.policy import Policy
    from csdesk.services.base import Actor
    from csdesk.widgets.live import LiveRefresh

R = TypeVar("R")


class DeskApp(Protocol):
    # A screen of the desk exists only while someone is signed in; sign-in itself does not ask.
    actor: Actor
    live: LiveRefresh | None
    last_refusal_rule_ids: tuple[str, ...]

    @property
    def policy(self) -> Policy: ...

    @property
    def zone(self) -> tzinfo: ...

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def data_version_now(self) -> int | None:
        """The change feed's version of the stored data, read now; None without a feed.
        Called from worker threads."""
        ...

    def call_service(self, target: Callable[..., R], *args: Any, **kwargs: Any) -> R: ...

    def remember_refusal(self, rule_ids: tuple[str, ...]) -> None: ...

    def signed_in(self, actor: Actor) -> None: ...

    def sign_out(self) -> None: ...

    # Textual's, used from worker threads and to speak up.
    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
