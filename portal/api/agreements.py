"""``/api/v1/agreements``: the contracts register, scoped like the web pages."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from contracts.models import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    Agreement,
    Customer,
    Link,
    Supplier,
    Target,
)
from portal.api.parsing import ApiBlueprint as Blueprint
from portal.extensions import db
from portal.permissions import agreement_scope, can, visible_underpins

blp = Blueprint(
    "agreements_api",
    __name__,
    url_prefix="/api/v1/agreements",
    description="Customer SLAs, underpinning contracts, OLAs and sub-contracts",
)

Number = fields.Decimal(as_string=False, allow_nan=False)  # rounded by portal.jsonio


class AgreementQuerySchema(Schema):
    kind = fields.String(
        validate=validate.OneOf(AGREEMENT_KINDS, error=_l("must be one of {choices}"))
    )
    status = fields.String(
        validate=validate.OneOf(AGREEMENT_STATUSES, error=_l("must be one of {choices}"))
    )
    supplier = fields.String(metadata={"description": "Supplier code"})
    customer = fields.String(metadata={"description": "Customer code"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class AgreementSummarySchema(Schema):
    ref = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    supplier = fields.String(allow_none=True)
    customer = fields.String(allow_none=True)
    parent = fields.String(
        allow_none=True,
        metadata={"description": "The lead contract of a sub-contract; null if you cannot open it"},
    )
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    version = fields.Integer(required=True)


class AgreementPageSchema(Schema):
    items = fields.List(fields.Nested(AgreementSummarySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class UnderpinsSchema(Schema):
    agreement = fields.String(required=True)
    metric = fields.String(required=True)
    service = fields.String(required=True)
    group = fields.String(allow_none=True)


class TargetSchema(Schema):
    metric = fields.String(required=True)
    service = fields.String(required=True)
    direction = fields.String(required=True)
    unit = fields.String(required=True)
    target = fields.Decimal(required=True)
    weight = fields.Decimal(required=True)
    credit_pct = fields.Decimal(required=True)
    underpins = fields.List(
        fields.Nested(UnderpinsSchema),
        required=True,
        metadata={"description": "The targets above this one that you may open"},
    )
    underpins_hidden = fields.Integer(
        required=True,
        metadata={
            "description": "How many more targets this one underpins, on agreements you "
            "cannot open (a supplier's token: customer SLAs, a lead supplier's contract)"
        },
    )


class ReviewSchema(Schema):
    held_on = fields.Date(required=True)
    outcome = fields.String(required=True)
    notes = fields.String(required=True)


class DisputeSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    raised_on = fields.Date(required=True)


class ActionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    due_on = fields.Date(allow_none=True)


class AgreementSchema(AgreementSummarySchema):
    services = fields.List(fields.String(), required=True)
    owner = fields.String(allow_none=True)
    notice_days = fields.Integer(required=True)
    auto_renew = fields.Boolean(required=True)
    renewal_months = fields.Integer(allow_none=True)
    review_months = fields.Integer(allow_none=True)
    monthly_charge = fields.Decimal(required=True)
    currency = fields.String(required=True)
    credit_cap_pct = fields.Decimal(allow_none=True)
    targets = fields.List(fields.Nested(TargetSchema), required=True)
    reviews = fields.List(fields.Nested(ReviewSchema), required=True)
    open_disputes = fields.List(fields.Nested(DisputeSchema), required=True)
    open_actions = fields.List(fields.Nested(ActionSchema), required=True)


def _summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "ref": agreement.ref,
        "kind": agreement.kind,
        "title": agreement.title,
        "status": agreement.status,
        "supplier": agreement.supplier.code if agreement.supplier else None,
        "customer": agreement.customer.code if agreement.customer else None,
        "parent": (
            agreement.parent.ref
            if agreement.parent and can(current_user, "view_contracts", agreement.parent)
            else None
        ),
        "start": agreement.start,
        "end": agreement.end,
        "version": agreement.version,
    }


@blp.route("")
@blp.arguments(AgreementQuerySchema, location="query")
@blp.response(200, AgreementPageSchema)
def list_agreements(query: dict[str, Any]) -> dict[str, Any]:
    """Agreements the token's user may see, filtered, by ref."""
    statement = select(Agreement).where(agreement_scope(current_user))
    if "kind" in query:
        statement = statement.where(Agreement.kind == query["kind"])
    if "status" in query:
        statement = statement.where(Agreement.status == query["status"])
    if "supplier" in query:
        statement = statement.join(Supplier, Agreement.supplier).where(
            Supplier.code == query["supplier"]
        )
    if "customer" in query:
        statement = statement.join(Customer, Agreement.customer).where(
            Customer.code == query["customer"]
        )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page, per_page = query["page"], query["per_page"]
    agreements = db.session.scalars(
        statement.options(
            selectinload(Agreement.supplier),
            selectinload(Agreement.customer),
            selectinload(Agreement.parent),
        )
        .order_by(Agreement.ref)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return {
        "items": [_summary(agreement) for agreement in agreements],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


@blp.route("/<ref>")
@blp.response(200, AgreementSchema)
def get_agreement(ref: str) -> dict[str, Any]:
    """One agreement with its targets (and what each underpins), reviews, open disputes and
    actions."""
    # A supplier's token: targets on agreements it cannot open (customer SLAs; for a
    # sub-contractor, its lead supplier's contract) are counted in ``underpins_hidden``, not
    # named, and only the disputes of its own agreements are listed (as on the pages).
    agreement = db.session.scalar(
        select(Agreement)
        .where(Agreement.ref == ref, agreement_scope(current_user))
        .options(
            selectinload(Agreement.targets)
            .selectinload(Target.underpins)
            .selectinload(Link.upper)
            .selectinload(Target.agreement),
            selectinload(Agreement.services),
        )
    )
    if agreement is None:
        abort(404, description=f"No agreement {ref} that you may see.")
    return {
        **_summary(agreement),
        "services": [service.code for service in agreement.services],
        "owner": agreement.owner.email if agreement.owner else None,
        "notice_days": agreement.notice_days,
        "auto_renew": agreement.auto_renew,
        "renewal_months": agreement.renewal_months,
        "review_months": agreement.review_months,
        "monthly_charge": agreement.monthly_charge,
        "currency": agreement.currency,
        "credit_cap_pct": agreement.credit_cap_pct,
        "targets": [_target(target) for target in agreement.targets],
        "reviews": [
            {"held_on": r.held_on, "outcome": r.outcome, "notes": r.notes}
            for r in agreement.reviews
        ],
        "open_disputes": [
            {"id": d.id, "title": d.title, "status": d.status, "raised_on": d.raised_on}
            for d in agreement.disputes
            if d.is_open and can(current_user, "view_disputes", d)
        ],
        "open_actions": [
            {"id": a.id, "title": a.title, "status": a.status, "due_on": a.due_on}
            for a in agreement.actions
            if a.is_open and can(current_user, "view_contracts", a)
        ],
    }


def _target(target: Target) -> dict[str, Any]:
    shown, hidden = visible_underpins(current_user, target)
    return {
        "metric": target.metric.code,
        "service": target.service.code,
        "direction": target.metric.direction,
        "unit": target.metric.unit,
        "target": target.target,
        "weight": target.weight,
        "credit_pct": target.credit_pct,
        "underpins": sorted(
            (
                {
                    "agreement": link.upper.agreement.ref,
                    "metric": link.upper.metric.code,
                    "service": link.upper.service.code,
                    "group": link.group,
                }
                for link in shown
            ),
            key=lambda up: (up["agreement"], up["metric"], up["service"]),
        ),
        "underpins_hidden": hidden,
    }
