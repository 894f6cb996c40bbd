"""The audit log page for administrators and auditors: who changed what, before and after."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.listing import Listing
from portal.models import AuditEntry, User
from portal.permissions import can

bp = Blueprint("auditlog", __name__)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.route("/audit")
@login_required
def index() -> str:
    if not can(current_user, "view_audit"):
        abort(403)
    listing = Listing.from_request(
        sorts={"seq": AuditEntry.seq},
        default_sort="-seq",
        search_columns=(AuditEntry.actor, AuditEntry.entity_id),
        filter_names=("entity", "entity_id", "user", "from", "to"),
    )
    statement = select(AuditEntry)
    filters = listing.filters
    if "entity" in filters:
        statement = statement.where(AuditEntry.entity == filters["entity"])
    if "entity_id" in filters:
        statement = statement.where(AuditEntry.entity_id == filters["entity_id"])
    if filters.get("user", "").isdigit():
        statement = statement.where(AuditEntry.actor_user_id == int(filters["user"]))
    start, end = _day(filters.get("from")), _day(filters.get("to"))
    if start:
        statement = statement.where(AuditEntry.at >= datetime.combine(start, time.min))
    if end:
        statement = statement.where(AuditEntry.at < datetime.combine(end + timedelta(1), time.min))
    page = listing.paginate(statement)
    entities = db.session.scalars(
        select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)
    ).all()
    actors = db.session.scalars(
        select(User).where(User.id.in_(select(AuditEntry.actor_user_id))).order_by(User.email)
    ).all()
    return render_template(
        "auditlog/index.html",
        listing=listing,
        page=page,
        entities=entities,
        actors=actors,
        bad_dates=[name for name in ("from", "to")
                   if filters.get(name) and _day(filters.get(name)) is None],
        args=request.args,
    )
