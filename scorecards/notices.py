"""What is due: a supplier's figures for last month and this month, and per supplier what is
missing for last month. Each answer costs a fixed number of queries, however many targets.

A target is due in a month when its agreement is not a draft and its term overlaps the month
(SPEC section 3); a figure is due by ``due_day`` of the following month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Metric, Service, Supplier, Target
from scorecards import due, periods
from scorecards.due import due_figures
from scorecards.models import Measurement


@dataclass(frozen=True)
class DueFigure:
    """One target's figure for one month, as its supplier should see it."""

    agreement: str
    metric: str
    service: str
    period: str
    due_on: date
    status: str  # of the latest revision: submitted, accepted, rejected; or "missing"
    late: bool  # the latest revision arrived after the due date, or none arrived by then
    reject_reason: str = ""
    in_force: Decimal | None = None  # the current value: latest revision not rejected

    @property
    def needs_action(self) -> bool:
        """No value in force (nothing sent, or every revision rejected): the supplier has to
        send a figure. A rejected correction leaves the earlier value in force."""
        return self.in_force is None

    @property
    def correction_rejected(self) -> bool:
        return self.status == "rejected" and self.in_force is not None

    @property
    def flagged(self) -> bool:
        """Worth showing although nothing is owed: late, or a correction was rejected."""
        return self.late or self.correction_rejected


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
    """Last month's and this month's figures of a supplier. What is owed comes from
    ``scorecards.due.due_figures``, the list the monthly form shows, so the dashboard and the
    form agree on the current-value rule (two queries per month)."""
    this_month = periods.of(today)
    return [
        _month(due_figures(session, supplier_id, period, due_day=due_day), today)
        for period in (periods.shift(this_month, -1), this_month)
    ]


def _month(month: due.MonthDue, today: date) -> MonthDue:
    figures = []
    for figure in month.figures:
        latest = figure.latest
        figures.append(
            DueFigure(
                figure.agreement,
                figure.metric,
                figure.service,
                month.period,
                month.due_on,
                status=latest.status if latest else "missing",
                late=latest.late if latest else today > month.due_on,
                reject_reason=latest.reject_reason if latest else "",
                in_force=figure.current,
            )
        )
    return MonthDue(month.period, month.due_on, figures)


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
