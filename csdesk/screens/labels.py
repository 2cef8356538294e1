"""How the fixed vocabulary reads on screen (the stored values never change)."""

from __future__ import annotations

from csdesk.i18n import N_, _
from csdesk.rules.vocab import Role, TicketStatus

ROLE_LABELS = {
    Role.AGENT: N_("Agent"),
    Role.DEPUTY_LEADER: N_("Deputy leader"),
    Role.SQUAD_LEADER: N_("Squad leader"),
    Role.INSPECTOR: N_("Quality inspector"),
    Role.DEPARTMENT_DIRECTOR: N_("Department director"),
    Role.CENTRE_DIRECTOR: N_("Centre director"),
}


def role_label(role: Role | str) -> str:
    return _(ROLE_LABELS.get(Role(role), str(role)))


# Shared by home, the queues and the ticket screen.
STATUS_LABELS = {
    TicketStatus.NEW: N_("new"),
    TicketStatus.CLAIMED: N_("claimed"),
    TicketStatus.WAITING_CUSTOMER: N_("waiting for customer"),
    TicketStatus.DISPATCHED: N_("dispatched"),
    TicketStatus.ESCALATED: N_("escalated"),
    TicketStatus.RESOLVED: N_("resolved"),
    TicketStatus.CLOSED: N_("closed"),
}


def ticket_status_label(value: TicketStatus | str) -> str:
    return _(STATUS_LABELS.get(TicketStatus(value), str(value)))
