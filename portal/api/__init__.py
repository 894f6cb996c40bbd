"""The REST API under /api/v1: flask-smorest (OpenAPI 3 from the code), bearer tokens only,
and one error shape, ``{"error": {"code", "message", "details"}}``, for every failure.

Each resource is a module with its own flask-smorest Blueprint; ``RESOURCES`` registers them.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user
from flask_smorest import Api
from marshmallow import Schema, fields
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from portal.extensions import csrf

API_PREFIX = "/api/v1"


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "e.g. not_found, forbidden"})
    message = fields.String(required=True)
    details = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": 'Each bad field or list index, e.g. {"[2].value": [...]}'},
    )


class ErrorSchema(Schema):
    """Every error of the API: ``{"error": {"code", "message", "details"}}`` (SPEC 4)."""

    error = fields.Nested(ErrorBodySchema, required=True)


class UnderpinApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        # flask-smorest would answer every HTTP error of the whole app in its own JSON shape;
        # portal.errors answers JSON under /api/ (in the spec's shape) and HTML elsewhere.
        pass


api = UnderpinApi()

API_CONFIG = {
    "API_TITLE": "Underpin API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Supplier agreements, monthly figures, scorecards and chain alignment. "
            "Authenticate with `Authorization: Bearer <token>`; tokens are created on the "
            "account page or with `flask --app wsgi create-token`.",
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
    },
}

PUBLIC_ENDPOINTS = {"api-docs.openapi_json"}


def _require_token() -> None:
    """Token only: a browser's session cookie must not reach a CSRF-exempt API."""
    if not request.path.startswith(API_PREFIX + "/") or request.endpoint in PUBLIC_ENDPOINTS:
        return
    if g.get("api_token") is None or not current_user.is_authenticated:
        raise Unauthorized(
            description="A valid bearer token is required.",
            www_authenticate=WWWAuthenticate("Bearer", {"realm": "underpin"}),
        )


def init_app(app: Flask) -> None:
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api.init_app(app)
    from portal.api import agreements, alignment, me, measurements, scorecards

    for resource in (me, agreements, alignment, scorecards, measurements):
        csrf.exempt(resource.blp)  # bearer tokens, not cookies: nothing to forge
        api.register_blueprint(resource.blp)
    app.before_request(_require_token)
