"""What governance shows around an agreement and a dispute: the agreement page's panels, and
the scoped loading of disputes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, false, select

from contracts import clock, governance, reviews
from contracts.models import Agreement, Dispute, Supplier
from portal.extensions import db
from portal.governance import bp
from portal.permissions import can, supplier_binding, supplier_scope


def dispute_scope() -> ColumnElement[bool]:
    if not current_user.active:
        return false()
    return governance.dispute_scope(supplier_binding(current_user))


def dispute_or_404(dispute_id: int) -> Dispute:
    dispute = db.session.scalar(
        select(Dispute).join(Dispute.agreement).where(Dispute.id == dispute_id, dispute_scope())
    )
    if dispute is None or not can(current_user, "view_disputes", dispute):
        abort(404)
    return dispute


def visible_suppliers() -> list[Supplier]:
    return list(
        db.session.scalars(
            select(Supplier).where(supplier_scope(current_user)).order_by(Supplier.code)
        )
    )


def may_see_disputes_of(agreement: Agreement) -> bool:
    """Whether the viewer sees the disputes of ``agreement`` at all: a supplier's staff see
    those on its own agreements, not those on sub-contracts placed under them.
    """
    binding = supplier_binding(current_user)
    return can(current_user, "view_disputes") and binding in (None, agreement.supplier_id)


@dataclass(frozen=True)
class AgreementPanels:
    reviews: list[Any]
    next_review_due: date | None
    review_overdue: bool
    show_disputes: bool
    disputes: list[Dispute]
    actions: list[Any]
    today: date


@bp.app_template_global("governance_panels")
def governance_panels(agreement: Agreement) -> AgreementPanels:
    """What templates/governance/_agreement_panels.html shows for ``agreement``."""
    today = clock.today()
    return AgreementPanels(
        reviews=sorted(agreement.reviews, key=lambda r: (r.held_on, r.id), reverse=True),
        next_review_due=reviews.next_review_due(agreement),
        review_overdue=reviews.review_overdue(agreement, today),
        show_disputes=may_see_disputes_of(agreement),
        disputes=[d for d in agreement.disputes if can(current_user, "view_disputes", d)],
        actions=[a for a in agreement.actions if can(current_user, "view_contracts", a)],
        today=today,
    )


@bp.app_template_global("action_overdue")
def action_overdue(action: Any, today: date | None = None) -> bool:
    return governance.is_overdue(action, today)
