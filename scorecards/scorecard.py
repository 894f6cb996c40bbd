"""A supplier's scorecard over a window: the facts, the rules, and the JSON of SPEC section 5."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from contracts import periods
from contracts.models import Agreement, Supplier
from scorecards import loading, measurements
from scorecards.scoring import (
    ZERO,
    AgreementFacts,
    Impact,
    TargetResult,
    Thresholds,
    credits_by_month,
    customer_impact,
    rating,
    recommendation,
    score,
    score_targets,
)


@dataclass(frozen=True)
class AgreementCard:
    facts: AgreementFacts
    targets: list[TargetResult]
    score: Decimal | None
    rating: str
    credits: dict[str, Decimal]
    recommendation: str | None
    term_score: Decimal | None

    @property
    def total_credits(self) -> Decimal:
        return sum(self.credits.values(), ZERO)


@dataclass(frozen=True)
class Scorecard:
    code: str
    name: str
    first: str
    last: str
    score: Decimal | None
    rating: str
    agreements: list[AgreementCard]
    impact: list[Impact]

    @property
    def credits(self) -> Decimal:
        """The plain sum SPEC section 5 asks for; meaningful when there is one currency."""
        return sum((card.total_credits for card in self.agreements), ZERO)

    @property
    def credits_by_currency(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for card in self.agreements:
            currency = card.facts.currency
            totals[currency] = totals.get(currency, ZERO) + card.total_credits
        return dict(sorted(totals.items()))


def term_to_date(facts: AgreementFacts, today: date) -> tuple[str, str]:
    """From the first month of the term to the last complete month (or the term's end)."""
    last_complete = periods.shift(periods.of(today), -1)
    return periods.of(facts.start), min(periods.of(facts.end), last_complete)


def build(
    session: Session,
    supplier: Supplier,
    first: str,
    last: str,
    *,
    today: date,
    thresholds: Thresholds = Thresholds(),
) -> Scorecard:
    disputes = loading.open_disputes(session, loading.agreement_ids_of(supplier.id))
    facts = loading.agreements_by_supplier(
        session, Agreement.supplier_id == supplier.id, open_disputes=disputes
    ).get(supplier.id, [])
    earliest = min([first, *(periods.of(f.start) for f in facts)])
    latest = max([last, periods.shift(periods.of(today), -1)])
    values = measurements.current_values(
        session, loading.target_ids_of(supplier.id), earliest, latest
    )
    underpinned, siblings = loading.customer_targets(session, loading.target_ids_of(supplier.id))
    chain_values = loading.merge(
        measurements.current_values(session, siblings, first, last), values
    )

    cards = []
    for agreement in facts:
        results = score_targets(agreement, first, last, values)
        agreement_score = score(results)
        term_first, term_last = term_to_date(agreement, today)
        term_score = score(score_targets(agreement, term_first, term_last, values))
        cards.append(
            AgreementCard(
                agreement,
                results,
                agreement_score,
                rating(agreement_score, thresholds),
                credits_by_month(agreement, results),
                recommendation(term_score, agreement.open_disputes, thresholds),
                term_score,
            )
        )
    every_target = [result for card in cards for result in card.targets]
    supplier_score = score(every_target)
    return Scorecard(
        supplier.code,
        supplier.name,
        first,
        last,
        supplier_score,
        rating(supplier_score, thresholds),
        cards,
        customer_impact(every_target, underpinned, chain_values),
    )


def as_json(card: Scorecard) -> dict[str, Any]:
    """SPEC section 5's scorecard JSON; decimals stay ``Decimal`` for the JSON edge to round."""
    return {
        "supplier": {"code": card.code, "name": card.name},
        "from": card.first,
        "to": card.last,
        "score": card.score,
        "rating": card.rating,
        "agreements": [_agreement_json(agreement) for agreement in card.agreements],
        "customer_impact": [
            {
                "sla": i.sla,
                "metric": i.metric,
                "service": i.service,
                "period": i.period,
                "chain_value": i.chain_value,
                "target": i.target,
            }
            for i in card.impact
        ],
        "credits": card.credits,
    }


def _agreement_json(card: AgreementCard) -> dict[str, Any]:
    return {
        "ref": card.facts.ref,
        "kind": card.facts.kind,
        "title": card.facts.title,
        "status": card.facts.status,
        "score": card.score,
        "rating": card.rating,
        "credits": card.total_credits,
        "credits_by_month": [{"period": p, "credits": c} for p, c in card.credits.items()],
        "recommendation": card.recommendation,
        "targets": [_target_json(result) for result in card.targets],
    }


def _target_json(result: TargetResult) -> dict[str, Any]:
    target = result.target
    return {
        "metric": target.metric,
        "service": target.service,
        "target": target.target,
        "direction": target.direction,
        "unit": target.unit,
        "weight": target.weight,
        "due": result.due,
        "met": result.count("met"),
        "missed": result.count("missed"),
        "missing": result.count("missing"),
        "attainment": result.attainment,
        "months": [
            {"period": m.period, "value": m.value, "status": m.status} for m in result.months
        ],
    }
