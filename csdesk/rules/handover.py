"""Shift handover (HO-1..HO-7, AT-9): what the log must say and when people may go."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from csdesk.i18n import N_, _
from csdesk.rules.decision import Decision
from csdesk.rules.vocab import ShiftKind
from csdesk.rules.wording import listing
from csdesk.vocabulary import shift_label

# HO-1: every handover says something about each of these, even if only "none".
REQUIRED_FIELDS = {
    "equipment": N_("equipment condition"),
    "open_problems": N_("unresolved or difficult problems"),
    "complaints": N_("complaints and major events"),
    "personnel": N_("personnel handed over"),
}


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Collection):
        return len(value) == 0
    return False


def check_handover_fields(fields: Mapping[str, object]) -> Decision:
    """HO-1: refuse a handover log that leaves a required part empty."""
    missing = [_(label) for key, label in REQUIRED_FIELDS.items() if _blank(fields.get(key))]
    if missing:
        return Decision.refused(
            _('the handover must record {missing} (write "none" if nothing)').format(missing=listing(missing)),
            "HO-1",
        )
    return Decision.allowed(_("handover log complete"), "HO-1")


def check_notices_read(latest_notice_ids: Collection[int | str], read_ids: Collection[int | str]) -> Decision:
    """HO-2: before starting, staff acknowledge the latest notices."""
    unread = [n for n in latest_notice_ids if n not in read_ids]
    if unread:
        return Decision.warning(_("{count} notice(s) not yet read and acknowledged").format(count=len(unread)), "HO-2")
    return Decision.allowed(_("all current notices acknowledged"), "HO-2")


def may_release_outgoing(acknowledged_at: datetime | None, successor: str | None = None) -> Decision:
    """HO-3, AT-9: the outgoing agent leaves only once the successor has acknowledged.

    Naming the successor tells the person waiting whom to go and find.
    """
    if acknowledged_at is None and successor:
        return Decision.refused(
            _("{successor} has not acknowledged the handover yet; the outgoing agent waits until they do").format(
                successor=successor
            ),
            "HO-3",
            "AT-9",
        )
    if acknowledged_at is None:
        return Decision.refused(
            _("the outgoing agent may not leave before the successor arrives and acknowledges the handover"),
            "HO-3",
            "AT-9",
        )
    return Decision.allowed(_("handover acknowledged; free to leave"), "HO-3", "AT-9")


def receiving_shift(from_kind: ShiftKind) -> ShiftKind:
    """HO-4: day hands over to night, night to the next day."""
    return ShiftKind.NIGHT if from_kind is ShiftKind.DAY else ShiftKind.DAY


def check_handover_written(from_kind: ShiftKind, written_at: datetime | None, left_at: datetime) -> Decision:
    """HO-4: the outgoing shift writes its handover before anyone leaves.

    The night shift hands over to a day shift that arrives hours later, so its
    items must be in the book before it goes home.
    """
    shifts = {"shift": shift_label(from_kind), "to": shift_label(receiving_shift(from_kind))}
    if written_at is None or written_at > left_at:
        return Decision.violation(
            _("the {shift} must write its handover to the {to} before leaving").format(**shifts), "HO-4"
        )
    return Decision.allowed(_("{shift} handover written before leaving").format(**shifts), "HO-4")


def check_open_problems_carried(
    previous_open: Collection[int | str], resolved: Collection[int | str], carried: Collection[int | str]
) -> Decision:
    """HO-6: every problem still open at shift change is marked in the new handover."""
    dropped = [p for p in previous_open if p not in resolved and p not in carried]
    if dropped:
        return Decision.refused(
            _("{count} open problem(s) from the last handover are neither solved nor carried over").format(
                count=len(dropped)
            ),
            "HO-6",
        )
    return Decision.allowed(_("all open problems carried over or solved"), "HO-6")


def check_open_emails(open_email_ids: Collection[int | str]) -> Decision:
    """HO-7: no unprocessed email should pass to the next shift; each one left is shown."""
    if open_email_ids:
        return Decision.warning(
            _("{count} email(s) still unprocessed at handover").format(count=len(open_email_ids)), "HO-7"
        )
    return Decision.allowed(_("no unprocessed email left"), "HO-7")
