"""``/``: the dashboard, with the panels of the signed-in user's role."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_login import current_user, login_required

from contracts import clock, periods
from portal.dashboard import bp, panels
from portal.extensions import db
from portal.permissions import can
from scorecards import notices
from scorecards.review import waiting_count


@bp.route("/")
@login_required
def index() -> str:
    today = clock.today()
    shown = (
        panels.supplier(current_user, today)
        if current_user.role == "supplier"
        else panels.staff(current_user, today)
    )
    return render_template("dashboard.html", today=today, **_due_notices(today), **shown)


def _due_notices(today: date) -> dict[str, object]:
    """What is due: a supplier's own figures, or per supplier what last month still lacks."""
    if current_user.role == "supplier":
        months = notices.figures_due(
            db.session,
            current_user.supplier_id,
            today=today,
            due_day=current_app.config["DUE_DAY"],
        )
        return {"due_months": months}
    last_month = periods.shift(periods.of(today), -1)
    return {
        "missing_month": last_month,
        "missing_by_supplier": notices.missing_by_supplier(db.session, last_month),
        "waiting_review": (
            waiting_count(db.session) if can(current_user, "review_measurements") else None
        ),
    }
