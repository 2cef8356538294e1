"""Workflow states that live only in the store (the policy vocabulary is in
``csdesk.rules.vocab``). Values are stored strings and never change."""

from enum import StrEnum


class RequestStatus(StrEnum):
    """A leave or swap request as a whole."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    # LV-5: sick leave whose certificate never came; the absence is absenteeism.
    LAPSED = "lapsed"


class StepDecision(StrEnum):
    """One approver's answer on one step of a request."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class SwapSide(StrEnum):
    """SW-1: each party's own squad leader approves their side."""

    REQUESTER = "requester"
    PARTNER = "partner"


class ContactOutcome(StrEnum):
    """TK-8: three failed attempts or wrong details let a case close."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_DETAILS = "wrong_details"


class SuggestionStatus(StrEnum):
    """DS-4 / FN-7."""

    OPEN = "open"
    ADOPTED = "adopted"
    DECLINED = "declined"


class MemoKind(StrEnum):
    """DS-4: the memo book holds problems met on the job and ideas to improve it."""

    PROBLEM = "problem"
    IDEA = "idea"


class WaitingFor(StrEnum):
    """TK-5: who a case waits for while its resolution clock is stopped."""

    CUSTOMER = "customer"
    DEPARTMENT = "department"  # another department, to which the case was handed


class NotificationKind(StrEnum):
    """What lands in a person's inbox besides the queues and requests."""

    # TK-11: an emergency escalation went past this person's level.
    ESCALATION_SKIPPED = "escalation_skipped"
    # SC-2: a published day of this person's roster was changed.
    ROSTER_CHANGED = "roster_changed"
    # SW-5: this person was charged a share of the absenteeism for a shift a swap left empty.
    SWAP_CHARGED = "swap_charged"
