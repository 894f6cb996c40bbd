"""Agreements: register, page, forms, status moves, change records, targets and links, and the
renewal pack download."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("agreements", __name__)


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every page of this area needs a login; what it shows is scoped per view."""


from portal.agreements import renewal, targets, views  # noqa: E402, F401  (the area's pages)
