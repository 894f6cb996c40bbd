"""The dashboard: each role's panels on one page (``/``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from portal.dashboard import views  # noqa: E402, F401  (the dashboard page)
