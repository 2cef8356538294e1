"""ST-4: what an intern's record takes before conversion, entry by entry.

Whether the intern may be converted is ``rules.staff.check_intern_conversion``;
these check what goes into the record on the way there.
"""

from __future__ import annotations

from datetime import date

from csdesk.i18n import _
from csdesk.policy import Policy
from csdesk.rules.decision import Decision
from csdesk.rules.staff import InternProgress

# One entry is one day's training or practice.
MAX_MINUTES_A_DAY = 12 * 60


def check_training_entry(minutes: int, work_date: date, today: date, hired: date) -> Decision:
    """ST-4: hours are logged for a day that has happened, within the intern's time here."""
    if minutes <= 0:
        return Decision.refused(_("training time must be more than zero"), "ST-4")
    if minutes > MAX_MINUTES_A_DAY:
        return Decision.refused(
            _("at most {hours} hours can be logged for one day").format(hours=MAX_MINUTES_A_DAY // 60), "ST-4"
        )
    if work_date > today:
        return Decision.refused(
            _("training is logged once it has happened, not for {day}").format(day=work_date.isoformat()), "ST-4"
        )
    if work_date < hired:
        return Decision.refused(
            _("{day} is before the intern started on {hired}").format(
                day=work_date.isoformat(), hired=hired.isoformat()
            ),
            "ST-4",
        )
    return Decision.allowed(_("{hours:g} hours logged").format(hours=round(minutes / 60, 2)), "ST-4")


def check_summary_text(text: str) -> Decision:
    """ST-4: the written work summary is the intern's own account; an empty one is no summary."""
    if not text.strip():
        return Decision.refused(_("the work summary is empty"), "ST-4")
    return Decision.allowed(_("work summary written"), "ST-4")


def check_early_recommendation(progress: InternProgress, policy: Policy) -> Decision:
    """ST-4: early conversion is for an intern short of the hours or check-ins, and needs a reason."""
    bars = policy.interns
    if progress.training_hours >= bars.training_hours and progress.check_ins >= bars.check_ins:
        return Decision.refused(_("the hours and check-ins are complete; no early conversion is needed"), "ST-4")
    if progress.leader_recommended:
        return Decision.refused(_("early conversion is already recommended"), "ST-4")
    return Decision.allowed(_("early conversion recommended"), "ST-4")
