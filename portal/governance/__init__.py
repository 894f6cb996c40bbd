"""Governance: contract reviews, disputes and the service improvement plan (actions), and the
panels they add to an agreement's page."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("governance", __name__)


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every page here needs a login (anonymous visitors go to the login page)."""


from portal.governance import actions, panels, views  # noqa: E402, F401  (the area's pages)
