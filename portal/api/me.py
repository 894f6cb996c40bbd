"""``/api/v1/me``: who a token belongs to, so an integrator can check a token."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from portal.api.parsing import ApiBlueprint as Blueprint

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The token's user")


class MeSchema(Schema):
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    supplier = fields.String(allow_none=True, metadata={"description": "Supplier code"})


@blp.route("")
@blp.response(200, MeSchema)
def me() -> dict[str, object]:
    """The user the bearer token belongs to."""
    return {
        "email": current_user.email,
        "name": current_user.name,
        "role": current_user.role,
        "supplier": current_user.supplier.code if current_user.supplier else None,
    }
