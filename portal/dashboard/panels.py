"""What each role's dashboard shows: gathered from the domain's queries for the current user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from contracts import agreements as agreement_rules
from contracts import governance, periods, queries, reviews
from contracts.models import Agreement
from portal.config import thresholds
from portal.extensions import db
from portal.permissions import agreement_scope, can, supplier_binding
from scorecards import scorecard
from scorecards.overview import portfolio_overview
from scorecards.risk import commitments_at_risk

HORIZON_DAYS = 90


@dataclass(frozen=True)
class Dated:
    agreement: Agreement
    on: date


def in_force_agreements(user: Any) -> list[Agreement]:
    """The supplier agreements in force that the user may see."""
    return queries.in_force_agreements(db.session, agreement_scope(user))


def _upcoming(agreements: list[Agreement], which: str, today: date) -> list[Dated]:
    return [
        Dated(a, day) for a, day in agreement_rules.upcoming(agreements, which, today, HORIZON_DAYS)
    ]


def _open_disputes(user: Any) -> int:
    scope = governance.dispute_scope(supplier_binding(user))
    statement = governance.disputes_query(scope, status="unresolved")
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def staff(user: Any, today: date) -> dict[str, Any]:
    last = periods.shift(periods.of(today), -1)
    first = periods.shift(last, -11)
    lines = portfolio_overview(db.session, first, last, thresholds=thresholds())
    counts = {
        rating: sum(1 for line in lines if line.rating == rating)
        for rating in ("green", "amber", "red", "none")
    }
    worst = sorted((line for line in lines if line.score is not None), key=lambda line: line.score)[
        :5
    ]
    in_force = in_force_agreements(user)
    return {
        "window": (first, last),
        "rating_counts": counts,
        "worst_suppliers": worst,
        "notice_deadlines": _upcoming(in_force, "notice", today),
        "expiries": _upcoming(in_force, "expiry", today),
        "reviews_overdue": reviews.reviews_overdue(db.session, agreement_scope(user), today=today)[
            :8
        ],
        "open_disputes": _open_disputes(user) if can(user, "view_disputes") else None,
        "risk_month": last,
        "at_risk": commitments_at_risk(db.session, last),
        "incomplete": (
            agreement_rules.incomplete_active_agreements(db.session, user.id)
            if can(user, "edit_contracts")
            else []
        ),
    }


def supplier(user: Any, today: date) -> dict[str, Any]:
    last = periods.shift(periods.of(today), -1)
    first = periods.shift(last, -11)
    card = scorecard.build(
        db.session, user.supplier, first, last, today=today, thresholds=thresholds()
    )
    return {"window": (first, last), "own_card": card, "open_disputes": _open_disputes(user)}
