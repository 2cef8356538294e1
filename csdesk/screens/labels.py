"""How the fixed vocabulary reads on screen (the stored values never change)."""

from __future__ import annotations

from csdesk.i18n import N_, _
from csdesk.rules.vocab import Role

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
