"""The API's one mapper of a domain refusal to its error shape,
``{"error": {"code", "message", "details"}}``, with every problem under ``details``."""

from __future__ import annotations

from typing import NoReturn

from flask_smorest import abort as api_abort

from contracts.errors import DomainError
from portal.extensions import db


def details_of(error: DomainError) -> dict[str, list[str]]:
    """Each problem's message under its field or path (``_body`` for the whole body)."""
    details: dict[str, list[str]] = {}
    for problem in error.problems:
        details.setdefault(problem.key, []).append(str(problem.message))
    return details


def refuse(error: DomainError, status: int = 422, message: object = None) -> NoReturn:
    """Undo the refused operation and answer ``status``; ``message`` sums the problems up (by
    default the first problem's message)."""
    db.session.rollback()
    api_abort(status, message=str(message or error.message), details=details_of(error))
