"""Contract reviews: recording one, and when the next falls due (the one home of that rule).

Operations validate, write and ``flush()``; they never commit (the caller commits once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from contracts import clock, fields
from contracts.errors import DomainError, check_all
from contracts.models import REVIEW_OUTCOMES, Agreement, Review, Supplier
from contracts.periods import add_months


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
    today = today or clock.today()

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
        lambda: fields.one_of(
            outcome, REVIEW_OUTCOMES, _l("Choose the review's outcome."), "outcome"
        ),
        lambda: fields.text(notes, "notes"),
    )
    notes = fields.text(notes, "notes")
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
    today = today or clock.today()
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
        months = agreement.review_months or 0  # never 0: the query takes those with an interval
        due_on = review_due_on(agreement.start, months, last_held_on)
        if due_on < today or not overdue_only:
            rows.append(ReviewDue(agreement, last_held_on, due_on, due_on < today))
    return sorted(rows, key=lambda row: (not row.overdue, row.due_on, row.agreement.ref))


def reviews_overdue(
    session: Session, scope: ColumnElement[bool], *, today: date | None = None
) -> list[ReviewDue]:
    return reviews_due(session, scope, today=today, overdue_only=True)
