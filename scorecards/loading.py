"""Gathering the facts a scorecard needs, in a fixed number of queries.

However many agreements, targets and months a supplier has, a scorecard costs the same
handful of statements: agreements with their targets, the current values (one windowed
query), the customer targets its targets underpin and their other links, and those links'
values. Nothing here is per target or per month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from contracts.models import Agreement, Dispute, Link, Metric, Service, Target
from scorecards.scoring import AgreementFacts, ChainLink, CustomerTarget, TargetFacts


def target_facts(target: Target) -> TargetFacts:
    return TargetFacts(
        target.id,
        target.metric.code,
        target.service.code,
        target.target,
        target.metric.direction,
        target.weight,
        target.credit_pct,
        target.metric.unit,
    )


def agreement_facts(agreement: Agreement, open_disputes: int = 0) -> AgreementFacts:
    return AgreementFacts(
        agreement.ref,
        agreement.kind,
        agreement.status,
        agreement.start,
        agreement.end,
        [target_facts(target) for target in agreement.targets],
        agreement.monthly_charge,
        agreement.credit_cap_pct,
        open_disputes,
        agreement.title,
        agreement.currency,
        agreement.id,
    )


def agreements_by_supplier(
    session: Session,
    *conditions: ColumnElement[bool],
    open_disputes: Mapping[int, int] | None = None,
) -> dict[int, list[AgreementFacts]]:
    """The agreements matching ``conditions`` with their targets, per supplier id, ordered by
    ref: one statement of plain columns, no ORM objects (the overview reads the whole
    portfolio this way)."""
    rows = session.execute(
        select(
            Agreement.id,
            Agreement.supplier_id,
            Agreement.ref,
            Agreement.kind,
            Agreement.status,
            Agreement.start,
            Agreement.end,
            Agreement.monthly_charge,
            Agreement.credit_cap_pct,
            Agreement.title,
            Agreement.currency,
            Target.id,
            Metric.code,
            Service.code,
            Target.target,
            Metric.direction,
            Target.weight,
            Target.credit_pct,
            Metric.unit,
        )
        .outerjoin(Target, Target.agreement_id == Agreement.id)
        .outerjoin(Metric, Metric.id == Target.metric_id)
        .outerjoin(Service, Service.id == Target.service_id)
        .where(*conditions)
        .order_by(Agreement.ref, Target.id)
    )
    heads: dict[int, tuple[Any, ...]] = {}
    targets: dict[int, list[TargetFacts]] = defaultdict(list)
    for row in rows:
        agreement_id, target_id = row[0], row[11]
        heads.setdefault(agreement_id, tuple(row[1:11]))
        if target_id is not None:
            targets[agreement_id].append(TargetFacts(*row[11:]))  # type: ignore[arg-type]
    disputes = open_disputes or {}
    by_supplier: dict[int, list[AgreementFacts]] = defaultdict(list)
    for agreement_id, (supplier_id, ref, kind, status, start, end, *money) in heads.items():
        charge, cap, title, currency = money
        by_supplier[supplier_id].append(
            AgreementFacts(
                ref,
                kind,
                status,
                start,
                end,
                targets[agreement_id],
                charge,
                cap,
                disputes.get(agreement_id, 0),
                title,
                currency,
                agreement_id,
            )
        )
    return dict(by_supplier)


def open_disputes(session: Session, agreement_ids: Select[Any]) -> dict[int, int]:
    rows = session.execute(
        select(Dispute.agreement_id, func.count())
        .where(Dispute.agreement_id.in_(agreement_ids), Dispute.is_open)
        .group_by(Dispute.agreement_id)
    )
    return {agreement_id: count for agreement_id, count in rows}


def customer_targets(
    session: Session, lower_ids: Select[Any]
) -> tuple[dict[int, list[CustomerTarget]], Select[Any]]:
    """The customer SLA targets that the selected targets underpin directly, each with all of
    its links; and a SELECT of every target linked under them (for their values).

    One statement of plain columns, whatever the number of links.
    """
    upper = aliased(Target)
    sla = aliased(Agreement)
    lower = aliased(Target)
    party = aliased(Agreement)
    customer_ids = (
        select(upper.id)
        .join(Link, Link.upper_id == upper.id)
        .join(sla, sla.id == upper.agreement_id)
        .where(Link.lower_id.in_(lower_ids), sla.kind == "sla")
    )
    rows = session.execute(
        select(
            Link.upper_id,
            Link.lower_id,
            Link.group,
            sla.ref,
            Metric.code,
            Service.code,
            upper.target,
            Metric.direction,
            Metric.composition,
            party.ref,
            party.kind,
            party.status,
            party.start,
            party.end,
        )
        .join(upper, Link.upper_id == upper.id)
        .join(sla, sla.id == upper.agreement_id)
        .join(Metric, Metric.id == upper.metric_id)
        .join(Service, Service.id == upper.service_id)
        .join(lower, Link.lower_id == lower.id)
        .join(party, party.id == lower.agreement_id)
        .where(Link.upper_id.in_(customer_ids))
        .order_by(Link.upper_id, Link.id)
    ).all()
    heads: dict[int, tuple[Any, ...]] = {}
    chain_links: dict[int, list[ChainLink]] = defaultdict(list)
    for (
        upper_id,
        lower_id,
        group,
        ref,
        metric,
        service,
        target,
        direction,
        composition,
        lower_ref,
        kind,
        status,
        start,
        end,
    ) in rows:
        heads.setdefault(upper_id, (ref, metric, service, target, direction, composition))
        term = AgreementFacts(lower_ref, kind, status, start, end, ())
        chain_links[upper_id].append(ChainLink(lower_id, group, term))
    customers = {
        upper_id: CustomerTarget(*head, tuple(chain_links[upper_id]))  # type: ignore[call-arg]
        for upper_id, head in heads.items()
    }
    underpinned: dict[int, list[CustomerTarget]] = defaultdict(list)
    for upper_id, links in chain_links.items():
        for link in links:
            underpinned[link.target_id].append(customers[upper_id])
    siblings = select(Link.lower_id).where(Link.upper_id.in_(customer_ids))
    return dict(underpinned), siblings


def merge(*parts: Mapping[tuple[int, str], Decimal]) -> dict[tuple[int, str], Decimal]:
    merged: dict[tuple[int, str], Decimal] = {}
    for part in parts:
        merged.update(part)
    return merged


def agreement_ids_of(supplier_id: int) -> Select[Any]:
    return select(Agreement.id).where(Agreement.supplier_id == supplier_id)


def target_ids_of(supplier_id: int) -> Select[Any]:
    return select(Target.id).join(Agreement).where(Agreement.supplier_id == supplier_id)
