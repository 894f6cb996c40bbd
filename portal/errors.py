"""Error pages in the portal's look, or JSON for the API; user input never gives a 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def error_body(code: str, message: str, details: object = None) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        401: _("Please log in"),
        403: _("You may not open this page"),
        404: _("Not found"),
        405: _("Method not allowed"),
        413: _("The upload is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }


def _explanations() -> dict[int, str]:
    return {
        403: _("Your role does not give access to this page or object."),
        404: _("There is nothing at this address, or you may not see it."),
        413: _("The file is larger than the portal accepts."),
        429: _("Please wait a minute before you try again."),
        500: _("The error has been logged. Nothing you entered was stored; please try again."),
    }


# webargs/flask-smorest put validation messages under the request location; clients only
# need the field names (SPEC: ``details`` names each bad field or list index).
_LOCATIONS = ("json", "query", "querystring", "form", "files", "headers", "view_args")


def _details(error: HTTPException) -> object:
    data = getattr(error, "data", None) or {}
    details = data.get("details", data.get("messages", {}))
    if isinstance(details, dict) and details and set(details) <= set(_LOCATIONS):
        merged: dict[str, object] = {}
        for messages in details.values():
            merged.update(messages if isinstance(messages, dict) else {"_body": messages})
        return merged
    return details


def handle_http_error(error: HTTPException) -> tuple[object, int]:
    status = error.code or 500
    title = _titles().get(status, error.name)
    if wants_json():
        data = getattr(error, "data", None) or {}
        code = data.get("code") or (error.name or "error").lower().replace(" ", "_")
        custom = error.description and error.description != type(error).description
        message = data.get("message") or (error.description if custom and status < 500 else title)
        response = jsonify(error_body(code, str(message), _details(error)))
        for challenge in getattr(error, "www_authenticate", None) or ():
            response.headers.add("WWW-Authenticate", challenge.to_header())
        return response, status
    explanation = _explanations().get(status, "")
    return render_template(
        "error.html", status=status, title=title, explanation=explanation
    ), status


def handle_unexpected(error: Exception) -> tuple[object, int]:
    db.session.rollback()
    logging.getLogger("underpin").exception("Unhandled error", exc_info=error)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
