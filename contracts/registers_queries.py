"""List and detail queries of the registers (metrics, customers, services, suppliers).

Wherever agreements show, the query takes the viewer's agreement scope
(``portal.permissions.agreement_scope``), so a supplier's staff see only what is theirs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from contracts.models import (
    COMPOSITIONS,
    DIRECTIONS,
    SUPPLIER_CATEGORIES,
    SUPPLIER_KINDS,
    Agreement,
    Customer,
    Metric,
    Service,
    Supplier,
    Target,
    User,
    agreement_services,
)


def list_metrics(direction: str = "", composition: str = "") -> Select[Any]:
    statement = select(Metric)
    if direction in DIRECTIONS:
        statement = statement.where(Metric.direction == direction)
    if composition in COMPOSITIONS:
        statement = statement.where(Metric.composition == composition)
    return statement


def list_suppliers(
    scope: ColumnElement[bool], kind: str = "", category: str = "", owner: str = ""
) -> Select[Any]:
    statement = select(Supplier).outerjoin(Supplier.owner).where(scope)
    if kind in SUPPLIER_KINDS:
        statement = statement.where(Supplier.kind == kind)
    if category in SUPPLIER_CATEGORIES:
        statement = statement.where(Supplier.category == category)
    if owner:
        statement = statement.where(func.lower(User.email) == owner.lower())
    return statement


def target_count(metric_column: Any = Metric.id) -> Any:
    """Targets per metric, as a correlated subquery (a sortable column of the list)."""
    return select(func.count(Target.id)).where(Target.metric_id == metric_column).scalar_subquery()


def sla_count() -> Any:
    return (
        select(func.count(Agreement.id))
        .where(Agreement.customer_id == Customer.id)
        .scalar_subquery()
    )


def covering_count(scope: ColumnElement[bool]) -> Any:
    return (
        select(func.count(Agreement.id))
        .join(agreement_services, agreement_services.c.agreement_id == Agreement.id)
        .where(agreement_services.c.service_id == Service.id, scope)
        .scalar_subquery()
    )


def placed_count(scope: ColumnElement[bool]) -> Any:
    return (
        select(func.count(Agreement.id))
        .where(Agreement.supplier_id == Supplier.id, scope)
        .scalar_subquery()
    )


def counts(session: Session, rows: list[Any], column: Any) -> dict[int, int]:
    """``column`` (one of the counts above) for each row of a page, in one query."""
    if not rows:
        return {}
    model = type(rows[0])
    ids = [row.id for row in rows]
    found = session.execute(select(model.id, column).where(model.id.in_(ids)))
    return {row_id: count for row_id, count in found}


def metric_targets(metric: Metric, scope: ColumnElement[bool]) -> Select[Any]:
    return (
        select(Target)
        .join(Target.agreement)
        .where(Target.metric_id == metric.id, scope)
        .order_by(Agreement.ref, Target.id)
    )


def customer_slas(customer: Customer) -> Select[Any]:
    return select(Agreement).where(Agreement.customer_id == customer.id).order_by(Agreement.ref)


def service_agreements(service: Service, scope: ColumnElement[bool] | None = None) -> Select[Any]:
    statement = (
        select(Agreement)
        .join(agreement_services, agreement_services.c.agreement_id == Agreement.id)
        .where(agreement_services.c.service_id == service.id)
        .order_by(Agreement.kind, Agreement.ref)
    )
    return statement if scope is None else statement.where(scope)


def supplier_agreements(supplier: Supplier, scope: ColumnElement[bool]) -> Select[Any]:
    return (
        select(Agreement)
        .where(Agreement.supplier_id == supplier.id, scope)
        .order_by(Agreement.start.desc(), Agreement.ref)
    )


def subcontracts_under(supplier: Supplier, scope: ColumnElement[bool]) -> Select[Any]:
    """Sub-contracts placed under the supplier's own agreements: it is their lead supplier."""
    own = select(Agreement.id).where(Agreement.supplier_id == supplier.id)
    return (
        select(Agreement)
        .where(Agreement.parent_id.in_(own), scope)
        .order_by(Agreement.parent_id, Agreement.ref)
    )
