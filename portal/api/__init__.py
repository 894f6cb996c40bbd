"""The REST API under /api/v1: bearer tokens, JSON, one error shape."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, g, jsonify
from flask_login import current_user
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.wrappers import Response

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _require_token() -> None:
    # Token only: a browser's session cookie must not reach a CSRF-exempt API.
    if g.get("api_token") is None or not current_user.is_authenticated:
        abort(401, www_authenticate=WWWAuthenticate("Bearer", {"realm": "underpin"}))


@bp.get("/me")
def me() -> Response:
    """Who the token belongs to: lets an integrator check a token."""
    return jsonify(
        {
            "email": current_user.email,
            "name": current_user.name,
            "role": current_user.role,
            "supplier": current_user.supplier.code if current_user.supplier else None,
        }
    )


def init_app(app: Flask) -> None:
    csrf.exempt(bp)  # bearer tokens, not cookies: no cross-site request to forge
    app.register_blueprint(bp)
