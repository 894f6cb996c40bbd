"""Writing the contracts part of the portfolio JSON, in a stable order.

Decimals are written as plain decimal strings without the column's padding (``99.950000`` is
``"99.95"``; money keeps its two places), so export → import → export gives the same document.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from contracts.models import (
    CONTRACT_CONTENTS,
    Agreement,
    Customer,
    Link,
    Metric,
    Service,
    Supplier,
    Target,
)
from contracts.values import format_decimal, format_money


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _email(user: Any) -> str | None:
    return user.email if user is not None else None


def export_contracts(session: Session) -> dict[str, list[dict[str, Any]]]:
    return {
        "metrics": [
            _metric(metric) for metric in session.scalars(select(Metric).order_by(Metric.code))
        ],
        "customers": [
            {"code": customer.code, "name": customer.name}
            for customer in session.scalars(select(Customer).order_by(Customer.code))
        ],
        "services": [
            {"code": service.code, "name": service.name}
            for service in session.scalars(select(Service).order_by(Service.code))
        ],
        "suppliers": [
            _supplier(supplier)
            for supplier in session.scalars(
                select(Supplier)
                .options(selectinload(Supplier.contacts), joinedload(Supplier.owner))
                .order_by(Supplier.code)
            )
        ],
        "agreements": _agreements(session),
    }


def _metric(metric: Metric) -> dict[str, Any]:
    return {
        "code": metric.code,
        "name": metric.name,
        "unit": metric.unit,
        "direction": metric.direction,
        "composition": metric.composition,
        "description": metric.description,
        "min_value": _optional(metric.min_value),
        "max_value": _optional(metric.max_value),
    }


def _supplier(supplier: Supplier) -> dict[str, Any]:
    return {
        "code": supplier.code,
        "name": supplier.name,
        "kind": supplier.kind,
        "category": supplier.category,
        "owner": _email(supplier.owner),
        "notes": supplier.notes,
        "contacts": [
            {"name": c.name, "role": c.role, "email": c.email, "phone": c.phone}
            for c in supplier.contacts
        ],
    }


def _links_by_lower_target(session: Session) -> dict[int, list[dict[str, Any]]]:
    """Every link as the ``underpins`` entry of its lower target, in one query."""
    upper = aliased(Target)
    rows = session.execute(
        select(Link.lower_id, Agreement.ref, Metric.code, Service.code, Link.group)
        .join(upper, Link.upper_id == upper.id)
        .join(Agreement, upper.agreement_id == Agreement.id)
        .join(Metric, upper.metric_id == Metric.id)
        .join(Service, upper.service_id == Service.id)
        .order_by(Link.lower_id, Agreement.ref, Metric.code, Service.code)
    )
    links: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lower_id, ref, metric, service, group in rows:
        links[lower_id].append(
            {"agreement": ref, "metric": metric, "service": service, "group": group}
        )
    return links


def _agreements(session: Session) -> list[dict[str, Any]]:
    links = _links_by_lower_target(session)
    agreements = session.scalars(
        select(Agreement)
        .options(
            joinedload(Agreement.customer),
            joinedload(Agreement.supplier),
            joinedload(Agreement.parent),
            joinedload(Agreement.owner),
            selectinload(Agreement.services),
            selectinload(Agreement.targets).options(
                joinedload(Target.metric), joinedload(Target.service)
            ),
        )
        .order_by(Agreement.ref)
    ).unique()
    return [_agreement(agreement, links) for agreement in agreements]


def _agreement(agreement: Agreement, links: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    party: dict[str, Any]
    if agreement.kind == "sla":
        party = {"customer": agreement.customer.code if agreement.customer else None}
    else:
        party = {"supplier": agreement.supplier.code if agreement.supplier else None}
    if agreement.parent is not None:
        party["parent"] = agreement.parent.ref
    targets = sorted(agreement.targets, key=lambda t: (t.metric.code, t.service.code))
    return {
        "ref": agreement.ref,
        "kind": agreement.kind,
        **party,
        "title": agreement.title,
        "owner": _email(agreement.owner),
        "status": agreement.status,
        "start": agreement.start.isoformat(),
        "end": agreement.end.isoformat(),
        "notice_days": agreement.notice_days,
        "auto_renew": agreement.auto_renew,
        "renewal_months": agreement.renewal_months,
        "review_months": agreement.review_months,
        "version": agreement.version,
        "services": sorted(service.code for service in agreement.services),
        "monthly_charge": format_money(agreement.monthly_charge),
        "currency": agreement.currency,
        "credit_cap_pct": _optional(agreement.credit_cap_pct),
        **{name: getattr(agreement, name) for name in CONTRACT_CONTENTS},
        "targets": [
            {
                "metric": target.metric.code,
                "service": target.service.code,
                "target": format_decimal(target.target),
                "weight": format_decimal(target.weight),
                "credit_pct": format_decimal(target.credit_pct),
                "underpins": links.get(target.id, []),
            }
            for target in targets
        ],
    }
