"""``/api/v1/alignment``: the chain alignment report (SPEC sections 3 and 5)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields

from contracts.chain import alignment_document, load_chain
from portal.api.parsing import ApiBlueprint as Blueprint
from portal.extensions import db
from portal.permissions import can

blp = Blueprint(
    "alignment",
    __name__,
    url_prefix="/api/v1/alignment",
    description="Does the supplier chain carry the customer commitments?",
)

_NUMBER = {"description": "Rounded half-up to 2 decimals"}


class AlignedLinkSchema(Schema):
    agreement = fields.String(required=True)
    metric = fields.String(required=True)
    service = fields.String(required=True)
    group = fields.String(allow_none=True, metadata={"description": "Redundancy group"})
    target = fields.Decimal(required=True, metadata=_NUMBER)


class AlignmentItemSchema(Schema):
    agreement = fields.String(required=True)
    metric = fields.String(required=True)
    service = fields.String(required=True)
    target = fields.Decimal(required=True, metadata=_NUMBER)
    composed = fields.Decimal(allow_none=True, metadata=_NUMBER)
    status = fields.String(required=True, metadata={"enum": ["aligned", "gap", "not_underpinned"]})
    shortfall = fields.Decimal(allow_none=True, metadata=_NUMBER)
    links = fields.List(fields.Nested(AlignedLinkSchema), required=True)


class AlignmentSchema(Schema):
    items = fields.List(fields.Nested(AlignmentItemSchema), required=True)


@blp.route("")
@blp.response(200, AlignmentSchema)
def alignment() -> dict[str, object]:
    """Every linked target and every customer SLA target, with what underpins it.

    The provider's staff only: the report spans every supplier's agreements.
    """
    if not can(current_user, "view_chain"):
        abort(403, description="The alignment report is open to the provider's staff only.")
    return alignment_document(load_chain(db.session).alignment())
