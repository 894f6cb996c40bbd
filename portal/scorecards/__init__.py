"""Scorecards: the portfolio overview, a supplier's scorecard page, its JSON and PDF downloads,
and the charts drawn on it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_login import current_user, login_required

from contracts import periods
from portal.config import thresholds
from portal.permissions import can

bp = Blueprint("scorecards", __name__)


@bp.before_request
@login_required
def _readers_only() -> None:
    if not can(current_user, "view_scorecards"):
        abort(403)


from portal.scorecards import charts, pdfs, views  # noqa: E402, F401  (the area's pages)


@bp.context_processor
def _scorecard_helpers() -> dict[str, Any]:
    return {
        "month_cells": charts.month_cells,
        "sparkline": charts.sparkline,
        "chart_values": charts.chart_values,
        "presets": views.presets(),
        "thresholds": thresholds(),
        "month_start": periods.first_day,
        "window_url": views.window_url,
    }
