"""The memo book (DS-4): agents write down problems and ideas; leaders adopt or decline them.

Adopting pays the FN-7 reward from the fund through ``ledger.grant_reward``,
so the suggestion, its ledger row and both audit rows are written in one
transaction, or none of them is. Declining is kept with the reviewer's reason.

Lists are newest first and paged: an agent's own book on the
(author, written) index, a reviewer's list by status on (status, written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from csdesk.i18n import N_, _
from csdesk.models import LedgerEntry, MemoSuggestion, Staff, SuggestionStatus
from csdesk.models.states import MemoKind
from csdesk.rules.discipline import check_memo
from csdesk.rules.staff import Action
from csdesk.rules.vocab import Role
from csdesk.services import ledger
from csdesk.services.base import Actor, Desk, InvalidInput, NotFound, PermissionDenied, audit, require
from csdesk.services.permissions import DeskAction

MAX_PAGE = 200
MAX_TEXT = 2000
MAX_NOTE = 300


@dataclass(frozen=True)
class MemoView:
    id: int
    kind: MemoKind
    text: str
    written_at: datetime
    author_id: int
    author_label: str
    squad_id: int | None
    status: SuggestionStatus
    reviewed_by_label: str
    reviewed_at: datetime | None
    review_note: str
    reward_entry_id: int | None
    reward_cents: int  # what the fund paid (positive), 0 when none


def _label(staff: Staff | None) -> str:
    return Actor.of(staff).label if staff is not None else ""


def _page(offset: int, limit: int) -> None:
    if offset < 0:
        raise InvalidInput(_("offset cannot be negative"), field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(_("a page holds 1 to {MAX_PAGE} rows").format(MAX_PAGE=MAX_PAGE), field="limit")


def _listing():
    author, reviewer = aliased(Staff), aliased(Staff)
    statement = (
        select(MemoSuggestion, author, reviewer, LedgerEntry.amount_cents)
        .join(author, author.id == MemoSuggestion.author_id)
        .outerjoin(reviewer, reviewer.id == MemoSuggestion.reviewed_by_id)
        .outerjoin(LedgerEntry, col(LedgerEntry.id) == MemoSuggestion.reward_entry_id)
    )
    return statement, author


def _view(memo: MemoSuggestion, author: Staff, reviewer: Staff | None, cents: int | None) -> MemoView:
    assert memo.id is not None
    return MemoView(
        id=memo.id,
        kind=MemoKind(memo.kind),
        text=memo.text,
        written_at=memo.written_at,
        author_id=memo.author_id,
        author_label=_label(author),
        squad_id=author.squad_id,
        status=SuggestionStatus(memo.status),
        reviewed_by_label=_label(reviewer),
        reviewed_at=memo.reviewed_at,
        review_note=memo.review_note,
        reward_entry_id=memo.reward_entry_id,
        reward_cents=abs(cents or 0),
    )


def _one(session: Session, memo_id: int) -> MemoView:
    statement, _author = _listing()
    row = session.exec(statement.where(MemoSuggestion.id == memo_id)).first()
    if row is None:
        raise NotFound(_("there is no memo #{memo_id}").format(memo_id=memo_id), field="memo_id")
    return _view(*row)


# -- writing ----------------------------------------------------------------------------


def write_memo(desk: Desk, actor: Actor, kind: MemoKind | str, text: str) -> MemoView:
    """DS-4: a problem met on the job or an idea, reported to the supervisor."""
    try:
        memo_kind = MemoKind(kind)
    except ValueError:
        raise InvalidInput(_("say whether it is a problem or an idea"), field="kind", rule_ids=("DS-4",)) from None
    body = (text or "").strip()
    decision = check_memo(body)
    if not decision.ok:
        raise InvalidInput(decision.reason, field="text", rule_ids=decision.rule_ids)
    if len(body) > MAX_TEXT:
        raise InvalidInput(
            _("the memo is too long (at most {MAX_TEXT} characters)").format(MAX_TEXT=MAX_TEXT), field="text"
        )
    with desk.write() as session:
        memo = MemoSuggestion(author_id=actor.staff_id, kind=memo_kind, text=body, written_at=desk.now())
        session.add(memo)
        session.flush()
        audit(session, actor, "memo.write", "memo_suggestion", memo.id, after=memo)
        return _one(session, memo.id)


def my_memos(desk: Desk, actor: Actor, offset: int = 0, limit: int = 50) -> tuple[MemoView, ...]:
    """DS-4: the actor's own memo book, newest first, with what became of each entry."""
    _page(offset, limit)
    statement, _author = _listing()
    statement = (
        statement.where(MemoSuggestion.author_id == actor.staff_id)
        .order_by(col(MemoSuggestion.written_at).desc(), col(MemoSuggestion.id).desc())
        .offset(offset)
        .limit(limit)
    )
    with desk.read() as session:
        return tuple(_view(*row) for row in session.exec(statement).all())


def memos_to_review(
    desk: Desk, actor: Actor, status: SuggestionStatus | str = SuggestionStatus.OPEN, offset: int = 0, limit: int = 50
) -> tuple[MemoView, ...]:
    """DS-4: entries with ``status``, newest first; a squad leader sees their squad's."""
    require(actor, DeskAction.REVIEW_SUGGESTION)
    _page(offset, limit)
    try:
        wanted = SuggestionStatus(status)
    except ValueError:
        raise InvalidInput(_("unknown status {status!r}").format(status=status), field="status") from None
    statement, author = _listing()
    statement = statement.where(MemoSuggestion.status == wanted.value)
    if actor.role is Role.SQUAD_LEADER:
        statement = statement.where(author.squad_id == actor.squad_id)
    statement = (
        statement.order_by(col(MemoSuggestion.written_at).desc(), col(MemoSuggestion.id).desc())
        .offset(offset)
        .limit(limit)
    )
    with desk.read() as session:
        return tuple(_view(*row) for row in session.exec(statement).all())


# -- reviewing ------------------------------------------------------------------------------


def _reviewable(session: Session, actor: Actor, memo_id: int, doing: str) -> tuple[MemoSuggestion, Staff]:
    memo = session.get(MemoSuggestion, memo_id)
    if memo is None:
        raise NotFound(_("there is no memo #{memo_id}").format(memo_id=memo_id), field="memo_id")
    author = session.get(Staff, memo.author_id)
    assert author is not None
    if actor.role is Role.SQUAD_LEADER and author.squad_id != actor.squad_id:
        raise PermissionDenied(
            _("a squad leader {doing} memos of their own squad only").format(doing=_(doing)),
            field="memo_id",
            rule_ids=("ST-2", "DS-4"),
        )
    if memo.author_id == actor.staff_id:
        raise PermissionDenied(
            _("nobody {doing} their own memo").format(doing=_(doing)), field="memo_id", rule_ids=("DS-4",)
        )
    if memo.status is not SuggestionStatus.OPEN:
        raise InvalidInput(
            _("memo #{memo_id} is already {value}").format(memo_id=memo_id, value=SuggestionStatus(memo.status).value),
            field="memo_id",
            rule_ids=("DS-4",),
        )
    return memo, author


def adopt(desk: Desk, actor: Actor, memo_id: int, amount: int | Decimal | str, note: str = "") -> MemoView:
    """DS-4, FN-7: adopts an open memo and pays its author the reward from the fund.

    The amount must lie in the policy's range; the suggestion, the reward row
    and their audit rows are saved together or not at all.
    """
    require(actor, Action.RECORD_REWARD)
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            _("the note is too long (at most {MAX_NOTE} characters)").format(MAX_NOTE=MAX_NOTE), field="note"
        )
    with desk.read() as session:
        memo, author = _reviewable(session, actor, memo_id, N_("adopts"))
        author_id = author.id
    reason = f"adopted memo #{memo_id}" + (f": {text}" if text else "")
    # grant_reward checks the range (FN-7), the squad, and that the memo is still
    # unrewarded, inside the one transaction that writes everything.
    ledger.grant_reward(
        desk,
        actor,
        author_id,
        amount,
        reason,
        suggestion_id=memo_id,
        review_note=text,
    )
    with desk.read() as session:
        return _one(session, memo_id)


def decline(desk: Desk, actor: Actor, memo_id: int, note: str) -> MemoView:
    """DS-4: declines an open memo; the reason is kept and the author sees it."""
    require(actor, DeskAction.REVIEW_SUGGESTION)
    text = (note or "").strip()
    if not text:
        raise InvalidInput(_("say why the memo is declined"), field="note", rule_ids=("DS-4",))
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            _("the note is too long (at most {MAX_NOTE} characters)").format(MAX_NOTE=MAX_NOTE), field="note"
        )
    with desk.write() as session:
        memo, _author = _reviewable(session, actor, memo_id, N_("declines"))
        before = memo.model_copy()
        memo.status = SuggestionStatus.DECLINED
        memo.reviewed_by_id = actor.staff_id
        memo.reviewed_at = desk.now()
        memo.review_note = text
        session.add(memo)
        audit(session, actor, "memo.decline", "memo_suggestion", memo.id, before=before, after=memo)
        session.flush()
        return _one(session, memo_id)


__all__ = ["MemoView", "adopt", "decline", "memos_to_review", "my_memos", "write_memo"]
