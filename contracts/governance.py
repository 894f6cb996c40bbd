"""Contract reviews, disputes and the service improvement plan: operations and queries.

Operations validate, write and ``flush()``; they never commit (the caller commits once). Who may
call them is decided at the edge by ``portal.permissions.can``; the rules here are the ones
that hold whoever acts. ``actor`` is the acting user, or ``None`` for the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, select, true
from sqlalchemy.orm import Session

from contracts.errors import DomainError, check_all
from contracts.models import (
    ACTION_SOURCES,
    ACTION_STATUSES,
    DISPUTE_STATUSES,
    REVIEW_OUTCOMES,
    Agreement,
    Dispute,
    DisputeMessage,
    ImprovementAction,
    Review,
    Supplier,
    Target,
)
from contracts.periods import add_months, parse_period
from contracts.values import InvalidValue

TITLE_MAX = 300
TEXT_MAX = 20_000

# Where a dispute may go from each status: reopening a resolved dispute is allowed, closing is
# final, and a dispute must be resolved (with its resolution) before it is closed.
DISPUTE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "resolved"),
    "in_progress": ("resolved",),
    "resolved": ("in_progress", "closed"),
    "closed": (),
}
NEEDS_RESOLUTION = frozenset({"resolved", "closed"})


# ── Reviews ──────────────────────────────────────────────────────────────────────────────────
def record_review(
    session: Session,
    agreement: Agreement,
    held_on: date | None,
    outcome: str,
    notes: str = "",
    *,
    actor: Any,
    today: date | None = None,
) -> Review:
    today = today or date.today()

    def check_held_on() -> None:
        if held_on is None:
            raise DomainError(_l("Enter the date the review was held."), "held_on")
        if held_on > today:
            raise DomainError(_l("A review cannot be recorded before it is held."), "held_on")
        if held_on < agreement.start:
            raise DomainError(
                _l(
                    "The review cannot predate the agreement's start (%(start)s).",
                    start=agreement.start.isoformat(),
                ),
                "held_on",
            )

    check_all(
        check_held_on,
        lambda: _one_of(outcome, REVIEW_OUTCOMES, _l("Choose the review's outcome."), "outcome"),
        lambda: _text(notes, "notes"),
    )
    notes = _text(notes, "notes")
    review = Review(
        agreement=agreement, held_on=held_on, outcome=outcome, notes=notes, reviewer=actor
    )
    session.add(review)
    session.flush()
    return review


def review_due_on(start: date, review_months: int, last_held_on: date | None) -> date:
    """When the next review falls due: ``review_months`` after the last review, or after the
    start when none was held."""
    return add_months(last_held_on or start, review_months)


def next_review_due(agreement: Agreement) -> date | None:
    """The agreement's next review date (``None`` without a review interval)."""
    if not agreement.review_months:
        return None
    held = [review.held_on for review in agreement.reviews]
    return review_due_on(agreement.start, agreement.review_months, max(held, default=None))


def review_overdue(agreement: Agreement, today: date) -> bool:
    """A review is overdue when its date has passed on an agreement in force."""
    due = next_review_due(agreement)
    return bool(due and agreement.in_force and due < today)


@dataclass(frozen=True)
class ReviewDue:
    agreement: Agreement
    last_held_on: date | None
    due_on: date
    overdue: bool


def reviews_due(
    session: Session,
    scope: ColumnElement[bool],
    *,
    today: date | None = None,
    supplier_code: str | None = None,
    overdue_only: bool = False,
) -> list[ReviewDue]:
    """Agreements in force with a review interval and when their next review falls due,
    overdue first, then by due date. ``scope`` limits the agreements to what the viewer sees.
    """
    today = today or date.today()
    statement = (
        select(Agreement, func.max(Review.held_on))
        .outerjoin(Review, Review.agreement_id == Agreement.id)
        .where(
            scope,
            Agreement.review_months.is_not(None),
            Agreement.in_force,  # drafts are not reviewed yet, ended agreements no more
        )
        .group_by(Agreement.id)
    )
    if supplier_code:
        statement = statement.where(Agreement.supplier.has(Supplier.code == supplier_code))
    rows = []
    for agreement, last_held_on in session.execute(statement):
        due_on = review_due_on(agreement.start, agreement.review_months, last_held_on)
        if due_on < today or not overdue_only:
            rows.append(ReviewDue(agreement, last_held_on, due_on, due_on < today))
    return sorted(rows, key=lambda row: (not row.overdue, row.due_on, row.agreement.ref))


def reviews_overdue(
    session: Session, scope: ColumnElement[bool], *, today: date | None = None
) -> list[ReviewDue]:
    return reviews_due(session, scope, today=today, overdue_only=True)


# ── Disputes ─────────────────────────────────────────────────────────────────────────────────
def raise_dispute(
    session: Session,
    agreement: Agreement,
    title: str,
    description: str = "",
    *,
    actor: Any,
    today: date | None = None,
) -> Dispute:
    check_all(lambda: _title(title), lambda: _text(description, "description"))
    dispute = Dispute(
        agreement=agreement,
        title=_title(title),
        description=_text(description, "description"),
        status="open",
        raised_by=actor,
        raised_on=today or date.today(),
    )
    session.add(dispute)
    session.flush()
    return dispute


def reply(session: Session, dispute: Dispute, body: str, *, actor: Any) -> DisputeMessage:
    if dispute.status == "closed":
        raise DomainError(_l("The dispute is closed; it takes no more replies."), "body")
    body = _text(body, "body")
    if not body:
        raise DomainError(_l("Write a reply."), "body")
    message = DisputeMessage(dispute=dispute, body=body, author=actor)
    session.add(message)
    session.flush()
    return message


def next_dispute_statuses(dispute: Dispute) -> tuple[str, ...]:
    return DISPUTE_TRANSITIONS.get(dispute.status, ())


def change_dispute_status(
    session: Session,
    dispute: Dispute,
    status: str,
    resolution: str = "",
    *,
    actor: Any,
    today: date | None = None,
) -> Dispute:
    """Move a dispute along its flow; resolving or closing needs the resolution."""

    def check_status() -> None:
        if status not in DISPUTE_STATUSES:
            raise DomainError(_l("Choose a status."), "status")
        if status not in next_dispute_statuses(dispute):
            raise DomainError(
                _l(
                    "A dispute cannot go from “%(current)s” to “%(status)s”.",
                    current=dispute.status,
                    status=status,
                ),
                "status",
            )

    def check_resolution() -> None:
        if status in NEEDS_RESOLUTION and not _text(resolution, "resolution"):
            raise DomainError(
                _l("Describe the resolution: a dispute is not resolved or closed without one."),
                "resolution",
            )

    check_all(check_status, check_resolution)
    resolution = _text(resolution, "resolution")
    dispute.status = status
    if resolution:
        dispute.resolution = resolution
    if status == "closed":
        dispute.closed_on = today or date.today()
    session.flush()
    return dispute


def dispute_scope(supplier_id: int | None) -> ColumnElement[bool]:
    """Disputes a viewer sees (with ``Agreement`` joined): a supplier's staff see only those on
    the supplier's own agreements, never those on sub-contracts placed under them.
    """
    if supplier_id is None:
        return true()
    return Agreement.supplier_id == supplier_id


def disputes_query(
    scope: ColumnElement[bool],
    *,
    status: str | None = None,
    supplier_code: str | None = None,
    agreement_ref: str | None = None,
) -> Select[Any]:
    """Disputes within ``scope`` (see ``dispute_scope``); ``status`` may also be ``unresolved``
    (open or in progress).
    """
    statement = select(Dispute).join(Dispute.agreement).where(scope)
    if status == "unresolved":
        statement = statement.where(Dispute.is_open)
    elif status:
        statement = statement.where(Dispute.status == status)
    if supplier_code:
        statement = statement.where(Agreement.supplier.has(Supplier.code == supplier_code))
    if agreement_ref:
        statement = statement.where(Agreement.ref == agreement_ref)
    return statement


# ── Improvement actions ──────────────────────────────────────────────────────────────────────
@dataclass
class ActionInput:
    """What a person enters for an improvement action; ``agreement`` and ``target`` optional."""

    title: str
    owner: Any
    due_on: date | None
    description: str = ""
    agreement: Agreement | None = None
    target: Target | None = None
    period: str | None = None
    status: str = "open"
    source: str = "manual"


def create_action(session: Session, entry: ActionInput, *, actor: Any) -> ImprovementAction:
    action = ImprovementAction()
    _apply_action(action, entry)
    session.add(action)
    session.flush()
    return action


def update_action(
    session: Session, action: ImprovementAction, entry: ActionInput, *, actor: Any
) -> ImprovementAction:
    _apply_action(action, entry)
    session.flush()
    return action


def _apply_action(action: ImprovementAction, entry: ActionInput) -> None:
    """Validate everything first (every problem at once), then assign: a refused save leaves
    the action unchanged."""
    agreement, target = entry.agreement, entry.target
    if target is not None and agreement is None:
        agreement = target.agreement

    def check_target() -> None:
        if target is not None and agreement is not None and target.agreement_id != agreement.id:
            raise DomainError(
                _l(
                    "Target %(target)s is not one of %(ref)s's targets.",
                    target=target.label,
                    ref=agreement.ref,
                ),
                "target",
            )

    def check_owner() -> None:
        if entry.owner is None:
            raise DomainError(_l("Choose who owns the action."), "owner")
        # Someone who has left may stay the owner of an old action, but cannot be given a new one.
        new_owner = entry.owner is not action.owner
        if entry.owner.role == "supplier" or (new_owner and not entry.owner.active):
            raise DomainError(_l("The owner must be an active member of our own staff."), "owner")

    def check_choices() -> None:
        check_all(
            lambda: _required(entry.due_on, _l("Enter the date the action is due."), "due_on"),
            lambda: _one_of(entry.status, ACTION_STATUSES, _l("Choose a status."), "status"),
            lambda: _one_of(
                entry.source, ACTION_SOURCES, _l("Choose where the action comes from."), "source"
            ),
        )

    check_all(
        lambda: _title(entry.title),
        lambda: _text(entry.description, "description"),
        check_target,
        lambda: _period(entry.period),
        check_owner,
        check_choices,
    )
    title, description = _title(entry.title), _text(entry.description, "description")
    period = _period(entry.period)
    action.title, action.description = title, description
    action.agreement, action.target, action.period = agreement, target, period
    action.owner, action.due_on = entry.owner, entry.due_on
    action.status, action.source = entry.status, entry.source


def is_overdue(action: ImprovementAction, today: date | None = None) -> bool:
    today = today or date.today()
    return action.is_open and action.due_on is not None and action.due_on < today


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(
        ImprovementAction.is_open,
        ImprovementAction.due_on.is_not(None),
        ImprovementAction.due_on < today,
    )


def plan_order(today: date) -> tuple[Any, ...]:
    """The improvement plan's natural order: overdue first, then pending, then the rest, each
    by due date (undated last).
    """
    attention = case(
        (overdue_condition(today), 0),
        (ImprovementAction.is_open, 1),
        else_=2,
    )
    return attention, ImprovementAction.due_on.is_(None), ImprovementAction.due_on


def actions_query(
    scope: ColumnElement[bool],
    *,
    status: str | None = None,
    owner_id: int | None = None,
    agreement_ref: str | None = None,
    source: str | None = None,
    today: date | None = None,
) -> Select[Any]:
    """The improvement plan. ``scope`` is an agreement condition; an action without an agreement
    is the provider's own and is listed only when ``scope`` is true for every agreement.
    ``status`` may also be ``overdue`` (open or in progress, past its due date).
    """
    statement = select(ImprovementAction).outerjoin(ImprovementAction.agreement)
    statement = statement.where(
        scope if _is_true(scope) else and_(ImprovementAction.agreement_id.is_not(None), scope)
    )
    if status == "overdue":
        statement = statement.where(overdue_condition(today or date.today()))
    elif status == "pending":
        statement = statement.where(ImprovementAction.is_open)
    elif status:
        statement = statement.where(ImprovementAction.status == status)
    if owner_id is not None:
        statement = statement.where(ImprovementAction.owner_id == owner_id)
    if agreement_ref:
        statement = statement.where(Agreement.ref == agreement_ref)
    if source:
        statement = statement.where(ImprovementAction.source == source)
    return statement


# ── Shared checks ────────────────────────────────────────────────────────────────────────────
def _title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_l("Enter a title."), "title")
    if len(title) > TITLE_MAX:
        raise DomainError(_l("At most %(max)d characters.", max=TITLE_MAX), "title")
    return title


def _text(text: str | None, field: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise DomainError(_l("At most %(max)d characters.", max=TEXT_MAX), field)
    return text


def _period(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return parse_period(raw.strip())
    except InvalidValue as error:
        raise DomainError(_l("Enter the month as YYYY-MM, such as 2026-07."), "period") from error


def _required(value: object, message: object, field: str) -> None:
    if value is None:
        raise DomainError(message, field)


def _one_of(value: str, choices: tuple[str, ...], message: object, field: str) -> None:
    if value not in choices:
        raise DomainError(message, field)


def _is_true(condition: ColumnElement[bool]) -> bool:
    return condition.compare(true())
