"""Customer commitments at risk: SLA targets breached in a month in which an underpinning
supplier target missed (SPEC section 3, chain performance), across the whole portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.alignment import meets
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Metric, Target
from scorecards import loading, measurements
from scorecards.scoring import CustomerTarget, chain_performance


@dataclass(frozen=True)
class AtRisk:
    customer: CustomerTarget
    period: str
    chain_value: Decimal
    failing: list[str]  # refs of the underpinning agreements whose target missed


def commitments_at_risk(session: Session, period: str) -> list[AtRisk]:
    supplier_targets = (
        select(Target.id).join(Agreement).where(Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS))
    )
    underpinned, siblings = loading.customer_targets(session, supplier_targets)
    values = measurements.current_values(session, siblings, period, period)
    lower = {
        target_id: (ref, value, direction)
        for target_id, ref, value, direction in session.execute(
            select(Target.id, Agreement.ref, Target.target, Metric.direction)
            .join(Target.agreement)
            .join(Target.metric)
            .where(Target.id.in_(siblings))
        )
    }
    customers = {id(c): c for group in underpinned.values() for c in group}
    risks = []
    for customer in customers.values():
        status, composed = chain_performance(customer, period, values)
        if status != "breached" or composed is None:
            continue
        failing = sorted(
            lower[link.target_id][0]
            for link in customer.links
            if link.target_id in lower
            and (link.target_id, period) in values
            and not meets(
                values[(link.target_id, period)], lower[link.target_id][1], lower[link.target_id][2]
            )
        )
        if failing:
            risks.append(AtRisk(customer, period, composed, failing))
    return sorted(risks, key=lambda r: (r.customer.sla, r.customer.metric, r.customer.service))
