"""Lookups and list queries for the contracts domain.

Every list starts from what the viewer may see: ``supplier_id`` is the supplier a viewer is
bound to (a supplier's staff), or ``None`` for staff of the provider, who see everything.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session, selectinload

from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Supplier


def agreement_scope(supplier_id: int | None) -> ColumnElement[bool]:
    """Agreements whose party is the supplier, and the sub-contracts placed under those."""
    if supplier_id is None:
        return true()
    own = select(Agreement.id).where(Agreement.supplier_id == supplier_id)
    return or_(Agreement.supplier_id == supplier_id, Agreement.parent_id.in_(own))


def supplier_scope(supplier_id: int | None) -> ColumnElement[bool]:
    if supplier_id is None:
        return true()
    return Supplier.id == supplier_id


def in_force_agreements(session: Session, scope: ColumnElement[bool]) -> list[Agreement]:
    """The supplier agreements in force within ``scope``, by ref."""
    return list(
        session.scalars(
            select(Agreement)
            .where(scope, Agreement.in_force, Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS))
            .options(selectinload(Agreement.supplier))
            .order_by(Agreement.ref)
        )
    )
