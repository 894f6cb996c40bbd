"""What is due: a supplier's figures for last month and this month, and per supplier what is
missing for last month. Each answer costs a fixed number of queries, however many targets.

A target is due in a month when its agreement is not a draft and its term overlaps the month
(SPEC section 3); a figure is due by ``due_day`` of the following month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Metric, Service, Supplier, Target
from scorecards import periods
from scorecards.models import Measurement
from scorecards.portfolio import due_date


@dataclass(frozen=True)
class DueFigure:
    """One target's figure for one month, as its supplier should see it."""

    agreement: str
    metric: str
    service: str
    period: str
    due_on: date
    status: str  # of the latest revision: submitted, accepted, rejected; or "missing"
    late: bool  # arrived after the due date, or still missing after it
    reject_reason: str = ""

    @property
    def needs_action(self) -> bool:
        """Missing, or its latest revision rejected: the supplier has to send a figure."""
        return self.status in ("missing", "rejected")


@dataclass(frozen=True)
class MonthDue:
    period: str
    due_on: date
    figures: list[DueFigure]

    @property
    def outstanding(self) -> int:
        return sum(1 for figure in self.figures if figure.needs_action)

    @property
    def late(self) -> int:
        return sum(1 for figure in self.figures if figure.late)


@dataclass(frozen=True)
class SupplierGap:
    """A supplier's figures for a month: how many were due and how many are still missing."""

    code: str
    name: str
    due: int
    missing: int


def _due_targets(period: str, supplier_id: int | None = None) -> Select[Any]:
    first, last = periods.first_day(period), periods.last_day(period)
    statement = (
        select(Target.id, Agreement.ref, Metric.code, Service.code, Supplier.code, Supplier.name)
        .join(Target.agreement)
        .join(Target.metric)
        .join(Target.service)
        .join(Supplier, Agreement.supplier)
        .where(
            Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS),
            Agreement.status != "draft",
            Agreement.start <= last,
            Agreement.end >= first,
        )
    )
    if supplier_id is not None:
        statement = statement.where(Agreement.supplier_id == supplier_id)
    return statement


def figures_due(
    session: Session, supplier_id: int, *, today: date, due_day: int = 10
) -> list[MonthDue]:
    """Last month's and this month's figures of a supplier, each with the state of its latest
    revision (two queries per month)."""
    this_month = periods.of(today)
    months = []
    for period in (periods.shift(this_month, -1), this_month):
        due_on = due_date(period, due_day)
        targets = session.execute(
            _due_targets(period, supplier_id).order_by(Agreement.ref, Metric.code, Service.code)
        ).all()
        latest = _latest_revisions(session, period, [row[0] for row in targets])
        figures = []
        for target_id, ref, metric, service, _code, _name in targets:
            revision = latest.get(target_id)
            status = revision.status if revision else "missing"
            late = revision.late if revision else today > due_on
            reason = revision.reject_reason if revision else ""
            figures.append(DueFigure(ref, metric, service, period, due_on, status, late, reason))
        months.append(MonthDue(period, due_on, figures))
    return months


def _latest_revisions(
    session: Session, period: str, target_ids: list[int]
) -> dict[int, Measurement]:
    latest: dict[int, Measurement] = {}
    if not target_ids:
        return latest
    for revision in session.scalars(
        select(Measurement)
        .where(Measurement.period == period, Measurement.target_id.in_(target_ids))
        .order_by(Measurement.revision)
    ):
        latest[revision.target_id] = revision  # the highest revision comes last
    return latest


def missing_by_supplier(session: Session, period: str) -> list[SupplierGap]:
    """Per supplier, the figures due in ``period`` that have no current value (no revision that
    is not rejected), in two queries; suppliers with nothing due are left out."""
    targets = session.execute(_due_targets(period)).all()
    reported = set(
        session.scalars(
            select(Measurement.target_id)
            .where(
                Measurement.period == period,
                Measurement.status != "rejected",
                Measurement.target_id.in_(_due_targets(period).with_only_columns(Target.id)),
            )
            .distinct()
        )
    )
    due: dict[tuple[str, str], int] = defaultdict(int)
    missing: dict[tuple[str, str], int] = defaultdict(int)
    for target_id, _ref, _metric, _service, code, name in targets:
        due[(code, name)] += 1
        if target_id not in reported:
            missing[(code, name)] += 1
    gaps = [
        SupplierGap(code, name, count, missing[(code, name)]) for (code, name), count in due.items()
    ]
    return sorted(gaps, key=lambda gap: (-gap.missing, gap.code))
