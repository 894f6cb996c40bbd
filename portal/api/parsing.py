"""The API's argument parser: a query or body that its schema refuses answers 422 with a
``message`` naming each bad field and why ("Invalid query parameter period: must be a month
…"), where webargs said only "Unprocessable Entity"; ``details`` keeps the fields as
portal.errors shapes them. Every API blueprint is an ``ApiBlueprint``."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint
from flask_smorest import abort as api_abort
from marshmallow import ValidationError
from webargs.flaskparser import FlaskParser


class NamingParser(FlaskParser):
    """Refusals whose ``message`` names each bad field and why ("Invalid query parameter
    period: must be a month …"), where the default said only "Unprocessable Entity";
    ``details`` keeps the fields as portal.errors shapes them. (Every API blueprint wants this:
    it belongs in portal.errors, see there.)"""

    def handle_error(self, error: ValidationError, req: Any, schema: Any, **kwargs: Any) -> Any:
        messages = _texts(error.messages)
        api_abort(
            kwargs.get("error_status_code") or self.DEFAULT_VALIDATION_STATUS,
            message=invalid_message(messages),
            messages=messages,
            headers=kwargs.get("error_headers"),
        )


def invalid_message(messages: Any) -> str:
    """One sentence per bad field, from webargs' ``{location: {field: [reasons]}}``."""
    sentences = []
    for location, named in messages.items() if isinstance(messages, dict) else ():
        for name, reason in _flatten(named if isinstance(named, dict) else {"": named}):
            if location in ("query", "querystring"):
                sentence = _(
                    "Invalid query parameter %(name)s: %(reason)s.", name=name, reason=reason
                )
            elif name in ("", "_schema"):
                sentence = _("Invalid body: %(reason)s.", reason=reason)
            else:
                sentence = _("Invalid field %(name)s: %(reason)s.", name=name, reason=reason)
            sentences.append(sentence)
    return " ".join(sentences) or _("The request is not valid.")


def _flatten(messages: dict[Any, Any], prefix: str = "") -> list[tuple[str, str]]:
    """(``ids[0]``, first reason) for each bad field, nested lists and objects included."""
    found = []
    for key, value in messages.items():
        if isinstance(key, int) or str(key).isdigit():
            name = f"{prefix}[{key}]"
        else:
            name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            found.extend(_flatten(value, name))
        else:
            reasons = value if isinstance(value, list) else [value]
            found.append((name, str(reasons[0]).rstrip(".")))
    return found


def _texts(messages: Any) -> Any:
    """Messages as text (a field's translated message arrives as one lazy string, not in a
    list: marshmallow wraps only ``str``), so that they are JSON lists of strings."""
    if isinstance(messages, dict):
        return {key: _texts(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [str(message) for message in messages]
    return [str(messages)]


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = NamingParser()
