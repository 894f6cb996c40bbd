"""What is due: a supplier's figures for last month and this month, and per supplier what is
missing for last month. Each answer costs a fixed number of queries, however many targets.

Which targets are due is ``contracts.due``'s rule, which revision is current
``scorecards.measurements``'; a figure is due by ``due_day`` of the following month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from contracts import due, periods
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Supplier, Target
from scorecards.due import MonthDue, due_figures
from scorecards.measurements import standing
from scorecards.models import Measurement


@dataclass(frozen=True)
class SupplierGap:
    """A supplier's figures for a month: how many were due and how many are still missing."""

    code: str
    name: str
    due: int
    missing: int


def _due_targets(period: str) -> Select[int, str, str]:
    return (
        select(Target.id, Supplier.code, Supplier.name)
        .join(Target.agreement)
        .join(Supplier, Agreement.supplier)
        .where(Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS), due.due_in(period))
    )


def figures_due(
    session: Session, supplier_id: int, *, today: date, due_day: int = 10
) -> list[MonthDue]:
    """Last month's and this month's figures of a supplier: the list the monthly form shows,
    so the dashboard and the form agree (two queries per month)."""
    this_month = periods.of(today)
    return [
        due_figures(session, supplier_id, period, due_day=due_day, today=today)
        for period in (periods.shift(this_month, -1), this_month)
    ]


def missing_by_supplier(session: Session, period: str) -> list[SupplierGap]:
    """Per supplier, the figures due in ``period`` that have no current value, in two queries;
    suppliers with nothing due are left out."""
    targets = session.execute(_due_targets(period)).all()
    reported = set(
        session.scalars(
            select(Measurement.target_id)
            .where(
                Measurement.period == period,
                standing(),
                Measurement.target_id.in_(_due_targets(period).with_only_columns(Target.id)),
            )
            .distinct()
        )
    )
    counted: dict[tuple[str, str], int] = defaultdict(int)
    missing: dict[tuple[str, str], int] = defaultdict(int)
    for target_id, code, name in targets:
        counted[(code, name)] += 1
        if target_id not in reported:
            missing[(code, name)] += 1
    gaps = [
        SupplierGap(code, name, count, missing[(code, name)])
        for (code, name), count in counted.items()
    ]
    return sorted(gaps, key=lambda gap: (-gap.missing, gap.code))
