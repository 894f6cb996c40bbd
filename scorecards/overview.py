"""The portfolio overview: every supplier's score, rating, trend, credits and missing figures.

One pass over the whole portfolio in a fixed number of queries (agreements with targets, the
window's current values, open disputes), whatever the number of suppliers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import periods
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Supplier, Target
from scorecards import loading, measurements
from scorecards.scoring import (
    ZERO,
    AgreementFacts,
    TargetResult,
    Thresholds,
    credits_by_month,
    monthly_scores,
    rating,
    score,
    score_targets,
)


@dataclass(frozen=True)
class SupplierLine:
    code: str
    name: str
    kind: str
    category: str
    score: Decimal | None
    rating: str
    trend: list[tuple[str, Decimal | None]]  # (month, that month's score)
    credits: Decimal  # a plain sum; meaningful only with one currency (see credits_by_currency)
    credits_by_currency: dict[str, Decimal]
    missing: int  # figures missing in the window
    missing_last_month: int
    agreements: int


def portfolio_overview(
    session: Session,
    first: str,
    last: str,
    *,
    thresholds: Thresholds = Thresholds(),
    trend_months: int = 6,
) -> list[SupplierLine]:
    suppliers = list(session.scalars(select(Supplier).order_by(Supplier.code)))
    by_supplier = loading.agreements_by_supplier(
        session, Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS)
    )
    target_ids = (
        select(Target.id).join(Agreement).where(Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS))
    )
    values = measurements.current_values(session, target_ids, first, last)
    trend_window = periods.span(max(first, periods.shift(last, 1 - trend_months)), last)
    return [
        _line(
            supplier,
            by_supplier.get(supplier.id, []),
            first,
            last,
            values,
            thresholds,
            trend_window,
        )
        for supplier in suppliers
    ]


def _line(
    supplier: Supplier,
    agreements: list[AgreementFacts],
    first: str,
    last: str,
    values: dict,
    thresholds: Thresholds,
    trend_window: Sequence[str],
) -> SupplierLine:
    results: list[TargetResult] = []
    credits = ZERO
    by_currency: dict[str, Decimal] = {}
    for agreement in agreements:
        agreement_results = score_targets(agreement, first, last, values)
        results.extend(agreement_results)
        amount = sum(credits_by_month(agreement, agreement_results).values(), ZERO)
        credits += amount
        if amount:
            by_currency[agreement.currency] = by_currency.get(agreement.currency, ZERO) + amount
    supplier_score = score(results)
    missing = sum(result.counts["missing"] for result in results)
    missing_last = sum(
        1 for result in results for m in result.months if m.period == last and m.status == "missing"
    )
    return SupplierLine(
        supplier.code,
        supplier.name,
        supplier.kind,
        supplier.category,
        supplier_score,
        rating(supplier_score, thresholds),
        monthly_scores(results, trend_window),
        credits,
        dict(sorted(by_currency.items())),
        missing,
        missing_last,
        len(agreements),
    )
