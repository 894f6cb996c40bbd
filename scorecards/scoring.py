"""The scoring rules of SPEC section 3, as plain functions over plain data.

Nothing here reads the database or a request: ``scorecards.loading`` gathers the facts in a
fixed number of queries, these functions turn them into results, and only the JSON edge
rounds (half-up, 2 places). Every number is a ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from contracts import due
from contracts.alignment import Component, compose, meets

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Thresholds:
    green: Decimal = Decimal(95)
    amber: Decimal = Decimal(80)


@dataclass(frozen=True)
class TargetFacts:
    id: int
    metric: str
    service: str
    target: Decimal
    direction: str
    weight: Decimal = Decimal(1)
    credit_pct: Decimal = ZERO
    unit: str = ""


@dataclass(frozen=True)
class AgreementFacts:
    ref: str
    kind: str
    status: str
    start: date
    end: date
    targets: Sequence[TargetFacts]
    monthly_charge: Decimal = ZERO
    credit_cap_pct: Decimal | None = None
    open_disputes: int = 0
    title: str = ""
    currency: str = ""
    id: int = 0  # the agreement's database id, where it was loaded from the database


def due_months(agreement: AgreementFacts, first: str, last: str) -> tuple[str, ...]:
    """The months of the window in which the agreement is due (``contracts.due``)."""
    return due.due_months(agreement.status, agreement.start, agreement.end, first, last)


class MonthResult(NamedTuple):
    period: str
    value: Decimal | None
    status: str  # met | missed | missing


def month_status(value: Decimal | None, target: TargetFacts) -> str:
    if value is None:
        return "missing"
    return "met" if meets(value, target.target, target.direction) else "missed"


@dataclass(frozen=True)
class TargetResult:
    """A target's months in a window, with what the rules derive from them (worked out once:
    a portfolio overview asks these of tens of thousands of results)."""

    target: TargetFacts
    months: Sequence[MonthResult]
    counts: dict[str, int] = field(init=False, repr=False, compare=False)
    failed: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        counts = {"met": 0, "missed": 0, "missing": 0}
        for month in self.months:
            counts[month.status] += 1
        object.__setattr__(self, "counts", counts)
        # Missed or missing: missing counts as missed.
        failed = frozenset(month.period for month in self.months if month.status != "met")
        object.__setattr__(self, "failed", failed)

    @property
    def due(self) -> int:
        return len(self.months)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def attainment(self) -> Decimal | None:
        """100 × met months / due months; ``None`` (not applicable) without a due month."""
        if not self.months:
            return None
        return HUNDRED * self.counts["met"] / len(self.months)

    def failed_in(self, period: str) -> bool:
        return period in self.failed


def score_targets(
    agreement: AgreementFacts,
    first: str,
    last: str,
    values: Mapping[tuple[int, str], Decimal],
) -> list[TargetResult]:
    months = due_months(agreement, first, last)
    results = []
    for target in agreement.targets:
        rows = []
        for month in months:
            value = values.get((target.id, month))
            rows.append(MonthResult(month, value, month_status(value, target)))
        results.append(TargetResult(target, rows))
    return results


def score(results: Iterable[TargetResult]) -> Decimal | None:
    """Σ(weight × attainment) / Σ weight over the applicable targets; ``None`` without any."""
    weighted = ZERO
    weights = ZERO
    for result in results:
        attainment = result.attainment
        if attainment is None:
            continue
        weighted += result.target.weight * attainment
        weights += result.target.weight
    return weighted / weights if weights else None


def monthly_scores(
    results: Iterable[TargetResult], months: Sequence[str]
) -> list[tuple[str, Decimal | None]]:
    """The score of each month on its own: a target due in a single month attains 100 or 0, so
    a month's score is 100 × Σ weight of the targets met / Σ weight of the targets due."""
    met = dict.fromkeys(months, ZERO)
    due = dict.fromkeys(months, ZERO)
    for result in results:
        weight = result.target.weight
        for month in result.months:
            if month.period in due:
                due[month.period] += weight
                if month.status == "met":
                    met[month.period] += weight
    return [(month, HUNDRED * met[month] / due[month] if due[month] else None) for month in months]


def rating(value: Decimal | None, thresholds: Thresholds = Thresholds()) -> str:
    if value is None:
        return "none"
    if value >= thresholds.green:
        return "green"
    return "amber" if value >= thresholds.amber else "red"


def credits_by_month(
    agreement: AgreementFacts, results: Sequence[TargetResult]
) -> dict[str, Decimal]:
    """Service credits per due month: charge × Σ credit_pct of failed targets, capped monthly."""
    months = [month.period for month in results[0].months] if results else []
    cap = (
        agreement.monthly_charge * agreement.credit_cap_pct / HUNDRED
        if agreement.credit_cap_pct is not None
        else None
    )
    credits = {}
    for month in months:
        pct = sum((r.target.credit_pct for r in results if r.failed_in(month)), ZERO)
        amount = agreement.monthly_charge * pct / HUNDRED
        credits[month] = min(amount, cap) if cap is not None else amount
    return credits


def recommendation(
    agreement_score: Decimal | None, open_disputes: int, thresholds: Thresholds = Thresholds()
) -> str | None:
    """Renewal recommendation over the term to date; ``None`` when there is nothing to judge."""
    if agreement_score is None:
        return None
    if agreement_score >= thresholds.green and open_disputes == 0:
        return "renew"
    if agreement_score >= thresholds.amber:
        return "renew_with_conditions"
    return "renegotiate_or_exit"


@dataclass(frozen=True)
class ChainLink:
    """A target linked directly under a customer SLA target, with its agreement's term."""

    target_id: int
    group: str | None
    agreement: AgreementFacts


@dataclass(frozen=True)
class CustomerTarget:
    sla: str
    metric: str
    service: str
    target: Decimal
    direction: str
    composition: str
    links: Sequence[ChainLink] = field(default_factory=tuple)


def chain_performance(
    customer: CustomerTarget, period: str, values: Mapping[tuple[int, str], Decimal]
) -> tuple[str, Decimal | None]:
    """``met`` / ``breached`` with the composed value, or ``incomplete`` when a value is missing.

    Only links whose agreement is due in the month take part: a contract not yet started (or
    in draft) is not part of that month's chain.
    """
    components = []
    for link in customer.links:
        if not due_months(link.agreement, period, period):
            continue
        value = values.get((link.target_id, period))
        if value is None:
            return "incomplete", None
        components.append(Component(value, link.group))
    if not components:
        return "incomplete", None
    composed = compose(customer.composition, customer.direction, components)
    return ("met" if meets(composed, customer.target, customer.direction) else "breached"), composed


@dataclass(frozen=True)
class Impact:
    """A customer commitment breached in a month in which the supplier's linked target failed."""

    sla: str
    metric: str
    service: str
    period: str
    chain_value: Decimal
    target: Decimal


def customer_impact(
    results: Iterable[TargetResult],
    underpinned: Mapping[int, Sequence[CustomerTarget]],
    values: Mapping[tuple[int, str], Decimal],
) -> list[Impact]:
    """The customer targets (linked directly to the supplier's targets) breached in the months
    in which the supplier's own linked target missed."""
    impacts: dict[tuple[str, str, str, str], Impact] = {}
    for result in results:
        for customer in underpinned.get(result.target.id, ()):
            for month in result.months:
                if month.status == "met":
                    continue
                status, composed = chain_performance(customer, month.period, values)
                key = (month.period, customer.sla, customer.metric, customer.service)
                if status == "breached" and composed is not None and key not in impacts:
                    impacts[key] = Impact(
                        customer.sla,
                        customer.metric,
                        customer.service,
                        month.period,
                        composed,
                        customer.target,
                    )
    return [impacts[key] for key in sorted(impacts)]
