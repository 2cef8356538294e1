"""Pure policy: every rule of the centres' rulebooks as a function of plain data.

Nothing here touches a database, a screen or the wall clock; "now" is always an
argument, so every decision can be replayed and tested.
"""

from csdesk.rules.decision import Decision, Outcome

__all__ = ["Decision", "Outcome"]
