"""Pure policy: every rule of the centres' rulebooks as a function of plain data.

Nothing here touches a database, a screen or the wall clock; "now" is always an
argument, so every decision can be replayed and tested.

One module per topic: `shifts` (shift times, SC-1..SC-4), `attendance`
(AT-1..AT-7), `leave` (LV), `swaps` (SW), `handover` (HO, AT-9), `tickets`
(SLA timers and ticket handling, TK), `privacy` (contact masking, TK-15, ST-6),
`password_guard` (TK-14), `fines` (FN, HO-5), `discipline` (DS, TK-11, AT-8),
`quality` (QA), `evaluation` (AT-6), `staff` (ST, permissions), `knowledge`
(KB) and `calendar` (recurring duties, SC-5). `catalog` holds every rule's
plain-words statement for the "why?" view.

Reasons are written in the language in force when the decision is made: each
goes through ``_()`` (gettext domain ``csdesk-rules``, read behind the desk's
own), with named placeholders; ``csdesk.vocabulary`` names roles, leave types,
shifts and grades and `wording` joins lists the way that language does. English
is the default.
"""

from csdesk.rules.decision import Decision, Outcome

__all__ = ["Decision", "Outcome"]
