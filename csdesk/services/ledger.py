"""The department fund's open ledger: fines, rewards, spending and reversals (FN-1..FN-10).

Every amount is decided by ``csdesk.rules.fines``; this module finds the
facts those rules need (how many offences of the same rule the person already
has this month), writes one append-only ledger row and its audit row, and
raises the third escalating offence to the directors as a dismissal review
(DS-2). The ledger is never updated: a mistake is undone by a reversal row.

Amounts are stored as signed integer cents (``csdesk.models.money``): a fine
adds to the fund, a reward and spending take from it, so the balance is
``SUM(amount_cents)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from csdesk.i18n import N_, _
from csdesk.models import AuditLog, LedgerEntry, MemoSuggestion, Staff, SuggestionStatus
from csdesk.models.money import format_cents, from_cents, to_cents
from csdesk.rules import fines
from csdesk.rules.decision import Decision
from csdesk.rules.staff import Action
from csdesk.rules.vocab import LedgerKind, Role
from csdesk.services.base import (
    Actor,
    Desk,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
    audit,
    require,
)

# FN-2 / TK-13 is priced by the wait, not by a count, so it is not an
# ``Offence`` of the escalating table; the fine form offers it alongside them.
GREETING_DELAY = "greeting_delay"
GREETING_DELAY_RULES = ("FN-2", "TK-13")

MAX_PAGE = 200

# The largest amount one ledger row holds: a 32-bit INTEGER column on
# PostgreSQL. Beyond it the database would refuse the row with an overflow.
MAX_ENTRY_CENTS = 2**31 - 1

# The audit entity under which DS-2 reviews are kept; its id is the fine's id.
DISMISSAL_REVIEW = "dismissal_review"


# -- views ---------------------------------------------------------------------


@dataclass(frozen=True)
class FineResult:
    """What recording a fine did. ``entry_id`` is None when the rules gave 0."""

    entry_id: int | None
    staff_id: int
    staff_label: str
    offence: str
    rule_ids: tuple[str, ...]
    amount_cents: int
    nth_this_month: int
    dismissal_review: bool
    reason: str

    @property
    def amount_text(self) -> str:
        return format_cents(self.amount_cents)


@dataclass(frozen=True)
class LedgerRow:
    """One movement of the fund as everyone may see it (FN-8): no contact data."""

    id: int
    at: datetime
    kind: LedgerKind
    staff_id: int | None
    staff_label: str
    rule_id: str | None
    amount_cents: int  # signed as it moves the balance
    reason: str
    approver_label: str
    recorded_by_label: str
    reverses_id: int | None
    reversed_by_id: int | None

    @property
    def amount_text(self) -> str:
        return format_cents(self.amount_cents)

    @property
    def reversed(self) -> bool:
        return self.reversed_by_id is not None


@dataclass(frozen=True)
class DismissalReview:
    """DS-2: a third escalating offence in a month, raised to the directors."""

    fine_entry_id: int
    raised_at: datetime
    staff_id: int
    staff_label: str
    rule_id: str
    offences_this_month: int
    month: str  # "2026-03", in the centre's zone
    reason: str
    raised_by_label: str
    fine_reversed: bool


# -- input helpers ---------------------------------------------------------------


def _label(staff: Staff | None) -> str:
    return Actor.of(staff).label if staff is not None else ""


def _parse_amount(value: object, field: str = "amount") -> int | Decimal:
    """A positive amount in currency units, as entered: ``10``, ``"12.50"``."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(_("enter an amount"), field=field)
    try:
        cents = to_cents(str(value).strip())
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from None
    if cents <= 0:
        raise InvalidInput(_("the amount must be more than 0"), field=field)
    if cents > MAX_ENTRY_CENTS:
        raise InvalidInput(
            _("the amount is too large (at most {value})").format(value=format_cents(MAX_ENTRY_CENTS)), field=field
        )
    units = from_cents(cents)
    return int(units) if units == units.to_integral_value() else units


def _required_text(value: str | None, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("{what} is required").format(what=_(what)), field=field)
    return text


def _page_bounds(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} rows").format(MAX_PAGE=MAX_PAGE), field="limit")


def _refuse(decision: Decision, field: str | None = None) -> None:
    """Turns a rule's refusal into the error a screen shows next to ``field``."""
    if decision.ok:
        return
    if field is not None:
        raise InvalidInput(decision.reason, field=field, rule_ids=decision.rule_ids)
    raise ServiceError(decision.reason, rule_ids=decision.rule_ids)


def _subject(session: Session, actor: Actor, staff_id: int, doing: str) -> Staff:
    """The person an entry is charged to; a squad leader only books their own squad."""
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(_("no staff member with id {staff_id}").format(staff_id=staff_id), field="staff_id")
    if actor.role not in (Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR) and (
        actor.squad_id is None or staff.squad_id != actor.squad_id
    ):
        raise PermissionDenied(
            _("a squad leader {doing} only for their own squad").format(doing=_(doing)),
            field="staff_id",
            rule_ids=("ST-2",),
        )
    return staff


def _aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime):
        raise InvalidInput(_("enter a date and time"), field=field)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(_("the time must say its time zone"), field=field)
    return moment.astimezone(UTC)


def month_bounds(moment: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """FN-10: the calendar month ``moment`` falls in, in the centre's zone, as UTC bounds."""
    local = moment.astimezone(zone)
    start = datetime(local.year, local.month, 1, tzinfo=zone)
    following = datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), following.astimezone(UTC)


def _not_reversed():
    reversal = aliased(LedgerEntry)
    return ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists()


def _earlier_offences(session: Session, staff_id: int, rule_id: str, at: datetime, zone: ZoneInfo) -> int:
    """FN-10: this person's standing fines of this rule in ``at``'s calendar month.

    A reversed fine was a mistake and does not count towards doubling.
    """
    start, end = month_bounds(at, zone)
    moments = session.exec(
        select(LedgerEntry.at).where(
            LedgerEntry.kind == LedgerKind.FINE,
            LedgerEntry.staff_id == staff_id,
            LedgerEntry.rule_id == rule_id,
            LedgerEntry.at >= start,
            LedgerEntry.at < end,
            _not_reversed(),
        )
    ).all()
    return fines.count_this_month(moments, at, zone)


def _balance(session: Session) -> int:
    return int(session.exec(select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0))).one())


def _refuse_unless_fund_covers(session: Session, amount: int | Decimal) -> None:
    """FN-8: a payment from the fund needs the money in it. Called inside the write
    transaction, so no other desk pays out the same money meanwhile."""
    _refuse(fines.check_fund_covers(amount, from_cents(_balance(session))), "amount")


# -- fines ---------------------------------------------------------------------


def record_fine(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    offence: fines.Offence | str,
    note: str,
    occurred_at: datetime | None = None,
    waited: timedelta | float | None = None,
) -> FineResult:
    """FN-1..FN-6, FN-10, DS-2: books the fine the rules set for one offence.

    ``offence`` is a ``rules.fines.Offence`` or ``GREETING_DELAY`` (which needs
    ``waited``: the customer's wait, a timedelta or seconds). ``occurred_at``
    (default now) decides the calendar month the offence counts in.
    """
    require(actor, Action.RECORD_FINE)
    if offence == GREETING_DELAY:
        kind: str = GREETING_DELAY
    else:
        try:
            kind = fines.Offence(offence)
        except ValueError:
            raise InvalidInput(_("unknown offence {offence!r}").format(offence=offence), field="offence") from None
    text = _required_text(note, "note", N_("a note saying what happened"))
    now = desk.now()
    at = now if occurred_at is None else _aware(occurred_at, "occurred_at")
    if at > now:
        raise InvalidInput(_("an offence cannot be in the future"), field="occurred_at")
    wait: timedelta | None = None
    if kind == GREETING_DELAY:
        if waited is None:
            raise InvalidInput(_("enter how long the customer waited"), field="waited")
        wait = waited if isinstance(waited, timedelta) else timedelta(seconds=float(waited))
        if wait < timedelta(0):
            raise InvalidInput(_("a wait cannot be negative"), field="waited")

    policy, zone = desk.policy, desk.policy.zone
    with desk.write() as session:
        staff = _subject(session, actor, staff_id, N_("records fines"))
        if wait is not None:
            amount = fines.greeting_delay_fine(wait, policy)
            decision = fines.check_greeting_delay(wait, policy)
            rule_ids, nth, review = decision.rule_ids, 1, False
            primary = GREETING_DELAY_RULES[0]
        else:
            assert isinstance(kind, fines.Offence)
            primary = fines.OFFENCE_RULES[kind][0]
            earlier = _earlier_offences(session, staff.id, primary, at, zone)
            assessment = fines.assess_fine(kind, earlier, policy)
            amount, decision = assessment.amount, assessment.decision
            rule_ids, nth, review = decision.rule_ids, assessment.nth_this_month, assessment.dismissal_review
        result = FineResult(
            None,
            staff.id,
            _label(staff),
            str(kind),
            rule_ids,
            to_cents(amount),
            nth,
            review,
            decision.reason,
        )
        if amount <= 0:
            return result  # greeted within the grace: nothing to book
        if to_cents(amount) > MAX_ENTRY_CENTS:
            # Doubling without end (FN-3) outgrows any column; by then it is a director's case.
            raise ServiceError(
                _(
                    "offence number {nth} this month would cost more than one ledger entry can hold ({value}); a director books it as a custom entry"
                ).format(nth=nth, value=format_cents(MAX_ENTRY_CENTS)),
                rule_ids=(*rule_ids, "FN-9"),
            )
        entry = LedgerEntry(
            kind=LedgerKind.FINE,
            staff_id=staff.id,
            rule_id=primary,
            amount_cents=to_cents(amount),
            reason=f"{text} ({decision.reason})",
            recorded_by_id=actor.staff_id,
            at=at,
        )
        session.add(entry)
        session.flush()
        audit(session, actor, "ledger.fine", "ledger", entry.id, after=entry)
        if review:
            month = f"{at.astimezone(zone):%Y-%m}"
            audit(
                session,
                actor,
                "discipline.dismissal_review",
                DISMISSAL_REVIEW,
                entry.id,
                after={
                    "staff_id": staff.id,
                    "rule_id": primary,
                    "offences_this_month": nth,
                    "month": month,
                    "reason": decision.reason,
                },
            )
        return FineResult(
            entry.id,
            staff.id,
            _label(staff),
            str(kind),
            rule_ids,
            entry.amount_cents,
            nth,
            review,
            decision.reason,
        )


# -- rewards and custom entries -----------------------------------------------------


def grant_reward(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    amount: int | Decimal | str,
    reason: str,
    suggestion_id: int | None = None,
    review_note: str = "",
) -> int:
    """FN-7, DS-4: a reward within the policy's range, paid from the fund.

    With ``suggestion_id`` the memo-book suggestion is marked adopted (with
    ``review_note``, the reviewer's word on it) and linked to the reward in the
    same transaction; it must be the person's own and not yet rewarded.
    Refused when the fund holds less than the reward (FN-8). Returns the ledger entry id.
    """
    require(actor, Action.RECORD_REWARD)
    value = _parse_amount(amount)
    _refuse(fines.check_reward(value, desk.policy), "amount")
    text = _required_text(reason, "reason", N_("a reason for the reward"))
    with desk.write() as session:
        staff = _subject(session, actor, staff_id, N_("grants rewards"))
        suggestion = None
        if suggestion_id is not None:
            suggestion = session.get(MemoSuggestion, suggestion_id)
            if suggestion is None or suggestion.author_id != staff.id:
                raise NotFound(
                    _("{label_staff} has no memo suggestion {suggestion_id}").format(
                        label_staff=_label(staff), suggestion_id=suggestion_id
                    ),
                    field="suggestion_id",
                )
            if suggestion.reward_entry_id is not None:
                raise InvalidInput(
                    _("this suggestion has already been rewarded"), field="suggestion_id", rule_ids=("FN-7",)
                )
            if suggestion.status is SuggestionStatus.DECLINED:
                raise InvalidInput(
                    _("a declined suggestion earns no reward"), field="suggestion_id", rule_ids=("FN-7", "DS-4")
                )
        _refuse_unless_fund_covers(session, value)
        entry = LedgerEntry(
            kind=LedgerKind.REWARD,
            staff_id=staff.id,
            rule_id="FN-7",
            amount_cents=-to_cents(value),
            reason=text,
            approver_id=actor.staff_id,
            recorded_by_id=actor.staff_id,
            at=desk.now(),
        )
        session.add(entry)
        session.flush()
        audit(session, actor, "ledger.reward", "ledger", entry.id, after=entry)
        if suggestion is not None:
            before = suggestion.model_copy()
            suggestion.reward_entry_id = entry.id
            if review_note.strip():
                suggestion.review_note = review_note.strip()
            if suggestion.status is SuggestionStatus.OPEN:
                suggestion.status = SuggestionStatus.ADOPTED
                suggestion.reviewed_by_id = actor.staff_id
                suggestion.reviewed_at = desk.now()
            session.add(suggestion)
            audit(
                session, actor, "suggestion.reward", "memo_suggestion", suggestion.id, before=before, after=suggestion
            )
        assert entry.id is not None
        return entry.id


def custom_entry(
    desk: Desk,
    actor: Actor,
    staff_id: int,
    kind: LedgerKind | str,
    amount: int | Decimal | str,
    reason: str,
) -> int:
    """FN-9: a fine or reward the rules don't cover, decided by the department manager.

    A reward is refused when the fund holds less (FN-8). Returns the ledger entry id.
    """
    require(actor, Action.DECIDE_CUSTOM_FINE)
    try:
        entry_kind = LedgerKind(kind)
    except ValueError:
        entry_kind = None
    if entry_kind not in (LedgerKind.FINE, LedgerKind.REWARD):
        raise InvalidInput(_("a custom entry is a fine or a reward"), field="kind")
    value = _parse_amount(amount)
    text = _required_text(reason, "reason", N_("a reason for the custom entry"))
    _refuse(fines.check_custom_entry(actor.role, text, value))
    cents = to_cents(value)
    with desk.write() as session:
        staff = _subject(session, actor, staff_id, N_("books custom entries"))
        if entry_kind is LedgerKind.REWARD:
            _refuse_unless_fund_covers(session, value)
        entry = LedgerEntry(
            kind=entry_kind,
            staff_id=staff.id,
            rule_id="FN-9",
            amount_cents=cents if entry_kind is LedgerKind.FINE else -cents,
            reason=text,
            approver_id=actor.staff_id,
            recorded_by_id=actor.staff_id,
            at=desk.now(),
        )
        session.add(entry)
        session.flush()
        audit(session, actor, "ledger.custom", "ledger", entry.id, after=entry)
        assert entry.id is not None
        return entry.id


# -- the fund --------------------------------------------------------------------


def record_spending(desk: Desk, actor: Actor, amount: int | Decimal | str, purpose: str) -> int:
    """FN-8: spending on a department activity, approved by the director recording it.

    Refused when the fund holds less. Returns the ledger entry id.
    """
    require(actor, Action.RECORD_SPENDING)
    value = _parse_amount(amount)
    text = _required_text(purpose, "purpose", N_("the department activity it pays for"))
    with desk.write() as session:
        # Read inside the write transaction: no other desk can spend the same money meanwhile.
        balance = _balance(session)
        _refuse(fines.check_spending(value, text, actor.role, from_cents(balance)), "amount")
        entry = LedgerEntry(
            kind=LedgerKind.SPENDING,
            staff_id=None,
            rule_id="FN-8",
            amount_cents=-to_cents(value),
            reason=text,
            approver_id=actor.staff_id,
            recorded_by_id=actor.staff_id,
            at=desk.now(),
        )
        session.add(entry)
        session.flush()
        audit(session, actor, "ledger.spending", "ledger", entry.id, after=entry)
        assert entry.id is not None
        return entry.id


def _rule_entry(row: LedgerEntry) -> fines.LedgerEntry:
    assert row.id is not None
    return fines.LedgerEntry(row.id, LedgerKind(row.kind), abs(row.amount_cents), row.reverses_id)


def reverse(desk: Desk, actor: Actor, entry_id: int, reason: str) -> int:
    """FN-8: undoes an entry with a new reversal row; the original stays as it was.

    Returns the reversal's entry id.
    """
    require(actor, Action.REVERSE_LEDGER_ENTRY)
    text = _required_text(reason, "reason", N_("a reason for the reversal"))
    with desk.write() as session:
        target = session.get(LedgerEntry, entry_id)
        if target is None:
            raise NotFound(_("no ledger entry {entry_id}").format(entry_id=entry_id), field="entry_id")
        done = session.exec(select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id == entry_id)).all()
        _refuse(fines.check_reversal(_rule_entry(target), [i for i in done if i is not None]), "entry_id")
        entry = LedgerEntry(
            kind=LedgerKind.REVERSAL,
            staff_id=target.staff_id,
            rule_id=target.rule_id,
            amount_cents=-target.amount_cents,
            reason=text,
            approver_id=actor.staff_id,
            recorded_by_id=actor.staff_id,
            reverses_id=target.id,
            at=desk.now(),
        )
        session.add(entry)
        session.flush()
        audit(session, actor, "ledger.reversal", "ledger", entry.id, after=entry)
        assert entry.id is not None
        return entry.id


def fund_balance(desk: Desk) -> int:
    """FN-8: the fund's balance in cents, summed by the database."""
    with desk.read() as session:
        return _balance(session)


def ledger_page(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[LedgerRow, ...]:
    """FN-8: the newest movements first; everyone sees every movement."""
    require(actor, Action.SEE_FUND)
    _page_bounds(offset, limit)
    subject, approver, recorder = aliased(Staff), aliased(Staff), aliased(Staff)
    reversal = aliased(LedgerEntry)
    statement = (
        select(LedgerEntry, subject, approver, recorder, reversal.id)
        .outerjoin(subject, subject.id == LedgerEntry.staff_id)
        .outerjoin(approver, approver.id == LedgerEntry.approver_id)
        .outerjoin(recorder, recorder.id == LedgerEntry.recorded_by_id)
        .outerjoin(reversal, reversal.reverses_id == LedgerEntry.id)
        .order_by(col(LedgerEntry.at).desc(), col(LedgerEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    with desk.read() as session:
        return tuple(
            LedgerRow(
                id=row.id,
                at=row.at,
                kind=LedgerKind(row.kind),
                staff_id=row.staff_id,
                staff_label=_label(person),
                rule_id=row.rule_id,
                amount_cents=row.amount_cents,
                reason=row.reason,
                approver_label=_label(by),
                recorded_by_label=_label(writer),
                reverses_id=row.reverses_id,
                reversed_by_id=undone,
            )
            for row, person, by, writer, undone in session.exec(statement).all()
        )


def dismissal_reviews(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[DismissalReview, ...]:
    """DS-2: the reviews raised to the directors, newest first."""
    require(actor, Action.SEE_DISMISSAL_REVIEWS)
    _page_bounds(offset, limit)
    raiser = aliased(Staff)
    statement = (
        select(AuditLog, raiser)
        .outerjoin(raiser, raiser.id == AuditLog.actor_id)
        .where(AuditLog.entity == DISMISSAL_REVIEW)
        .order_by(col(AuditLog.id).desc())
        .offset(offset)
        .limit(limit)
    )
    with desk.read() as session:
        rows = session.exec(statement).all()
        fine_ids = [int(log.entity_id) for log, _ in rows]
        staff_ids = {int((log.after or {})["staff_id"]) for log, _ in rows}
        people = {s.id: s for s in session.exec(select(Staff).where(col(Staff.id).in_(staff_ids)))}
        reversed_ids = set(
            session.exec(select(LedgerEntry.reverses_id).where(col(LedgerEntry.reverses_id).in_(fine_ids))).all()
        )
        reviews = []
        for log, by in rows:
            facts = log.after or {}
            reviews.append(
                DismissalReview(
                    fine_entry_id=int(log.entity_id),
                    raised_at=log.at,
                    staff_id=int(facts["staff_id"]),
                    staff_label=_label(people.get(int(facts["staff_id"]))),
                    rule_id=str(facts["rule_id"]),
                    offences_this_month=int(facts["offences_this_month"]),
                    month=str(facts["month"]),
                    reason=str(facts["reason"]),
                    raised_by_label=_label(by),
                    fine_reversed=int(log.entity_id) in reversed_ids,
                )
            )
        return tuple(reviews)
