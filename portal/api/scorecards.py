"""``/api/v1/scorecards/{supplier_code}``: a supplier's scorecard (SPEC section 5)."""

from __future__ import annotations

from flask import Response, abort, current_app
from flask_login import current_user
from marshmallow import Schema, fields

from contracts import clock, periods
from contracts.errors import DomainError
from portal import jsonio
from portal.api.errors import refuse
from portal.api.parsing import ApiBlueprint as Blueprint
from portal.config import thresholds
from portal.extensions import db
from portal.loaders import visible_supplier
from portal.permissions import visible_scorecard
from scorecards import scorecard

blp = Blueprint(
    "scorecards_api",
    __name__,
    url_prefix="/api/v1/scorecards",
    description="Supplier scorecards: scores, ratings, credits and customer impact",
)


class WindowSchema(Schema):
    # "from" is a Python keyword: data_key keeps the query argument's name.
    first = fields.String(data_key="from", metadata={"description": "First month, YYYY-MM"})
    last = fields.String(data_key="to", metadata={"description": "Last month, YYYY-MM"})


class MonthSchema(Schema):
    period = fields.String(required=True)
    value = fields.Decimal(allow_none=True)
    status = fields.String(required=True)


class TargetCardSchema(Schema):
    metric = fields.String(required=True)
    service = fields.String(required=True)
    target = fields.Decimal(required=True)
    direction = fields.String(required=True)
    unit = fields.String()
    weight = fields.Decimal(required=True)
    due = fields.Integer(required=True)
    met = fields.Integer(required=True)
    missed = fields.Integer(required=True)
    missing = fields.Integer(required=True)
    attainment = fields.Decimal(allow_none=True)
    months = fields.List(fields.Nested(MonthSchema), required=True)


class MonthCreditsSchema(Schema):
    period = fields.String(required=True)
    credits = fields.Decimal(required=True)


class AgreementCardSchema(Schema):
    ref = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String()
    status = fields.String()
    score = fields.Decimal(allow_none=True)
    rating = fields.String(required=True)
    credits = fields.Decimal(required=True)
    credits_by_month = fields.List(fields.Nested(MonthCreditsSchema))
    recommendation = fields.String(
        allow_none=True,
        metadata={"description": "Renewal recommendation; null for a supplier's token"},
    )
    targets = fields.List(fields.Nested(TargetCardSchema), required=True)


class ImpactSchema(Schema):
    sla = fields.String(required=True)
    metric = fields.String(required=True)
    service = fields.String(required=True)
    period = fields.String(required=True)
    chain_value = fields.Decimal(required=True)
    target = fields.Decimal(required=True)


class SupplierRefSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class ScorecardSchema(Schema):
    supplier = fields.Nested(SupplierRefSchema, required=True)
    first = fields.String(data_key="from", required=True)
    last = fields.String(data_key="to", required=True)
    score = fields.Decimal(allow_none=True)
    rating = fields.String(required=True)
    agreements = fields.List(fields.Nested(AgreementCardSchema), required=True)
    customer_impact = fields.List(
        fields.Nested(ImpactSchema),
        required=True,
        metadata={"description": "Customer commitments put at risk; empty for a supplier's token"},
    )
    credits = fields.Decimal(required=True)


@blp.route("/<supplier_code>")
@blp.arguments(WindowSchema, location="query")
@blp.response(200, ScorecardSchema)
def get_scorecard(window: dict[str, str], supplier_code: str) -> Response:
    """A supplier's scorecard over the months ``from``..``to`` (default: the last 12 complete
    months). A supplier's token sees only its own supplier."""
    # ... and not the provider's side of it: for a supplier's token ``customer_impact`` is
    # empty and every ``recommendation`` null (permissions.visible_scorecard).
    supplier = visible_supplier(current_user, supplier_code)
    if supplier is None:
        abort(404, description=f"No supplier {supplier_code} that you may see.")
    try:
        first, last = periods.window(window.get("first"), window.get("last"), clock.today())
    except DomainError as error:
        refuse(error, 422, f"{error.field}: {error.message}")
    card = visible_scorecard(
        current_user,
        scorecard.build(
            db.session, supplier, first, last, today=clock.today(), thresholds=thresholds()
        ),
    )
    # The schema documents the response; the document is already in its shape, so it goes out
    # as it is (a marshmallow dump of every month of every target would cost more than the
    # scorecard itself).
    return current_app.response_class(
        jsonio.dumps(scorecard.as_json(card)) + "\n", mimetype="application/json"
    )
