"""The audit log page for administrators and auditors: who changed what, before and after."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from contracts.values import InvalidValue, format_decimal, parse_period
from portal.extensions import db
from portal.listing import Listing
from portal.models import AuditEntry, User
from portal.permissions import can
from scorecards.sampling import MAX_SAMPLE, SampledFigure, draw

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
        bad_dates=[
            name for name in ("from", "to") if filters.get(name) and _day(filters.get(name)) is None
        ],
        args=request.args,
    )


SAMPLE_COLUMNS = (
    "sample_no",
    "measurement_id",
    "supplier",
    "agreement",
    "metric",
    "service",
    "period",
    "revision",
    "value",
    "status",
    "late",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "evidence_file",
    "evidence_sha256",
    "history",
)


def _sample_arguments() -> tuple[dict[str, object], list[str]]:
    """Seed, size and optional months from the query string, with the names of bad ones."""
    args, bad = request.args, []
    seed_raw, size_raw = args.get("seed", "").strip(), args.get("size", "25").strip()
    seed = int(seed_raw) if seed_raw.isdigit() else None
    if seed_raw and seed is None:
        bad.append("seed")
    size = int(size_raw) if size_raw.isdigit() and 0 < int(size_raw) <= MAX_SAMPLE else None
    if size is None:
        bad.append("size")
    months = {}
    for name in ("from", "to"):
        raw = args.get(name, "").strip()
        try:
            months[name] = parse_period(raw) if raw else None
        except InvalidValue:
            bad.append(name)
            months[name] = None
    return {"seed": seed, "size": size or 25, **months}, bad


def _history(figure: SampledFigure) -> str:
    return "; ".join(
        f"r{h.revision} {h.status} {format_decimal(h.value)}"
        + (f" ({h.reject_reason})" if h.reject_reason else "")
        for h in figure.history
    )


def _sample_row(figure: SampledFigure) -> list[object]:
    m = figure.measurement
    target = m.target
    return [
        figure.number,
        m.id,
        target.agreement.supplier.code if target.agreement.supplier else "",
        target.agreement.ref,
        target.metric.code,
        target.service.code,
        m.period,
        m.revision,
        format_decimal(m.value),
        m.status,
        "yes" if m.late else "no",
        m.submitted_at.isoformat(timespec="seconds"),
        m.submitted_by.email if m.submitted_by else "",
        m.reviewed_at.isoformat(timespec="seconds") if m.reviewed_at else "",
        m.reviewed_by.email if m.reviewed_by else "",
        m.evidence.filename if m.evidence else "",
        m.evidence.sha256 if m.evidence else "",
        _history(figure),
    ]


@bp.route("/audit/sample")
@login_required
def sample():  # noqa: ANN201
    if not can(current_user, "view_audit"):
        abort(403)
    options, bad = _sample_arguments()
    population_size, figures = 0, []
    if options["seed"] is not None and not bad:
        population_size, figures = draw(
            db.session,
            seed=options["seed"],
            size=options["size"],
            first=options["from"],
            last=options["to"],
        )
    wants_csv = request.args.get("format") == "csv"
    if wants_csv and options["seed"] is not None and not bad:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(SAMPLE_COLUMNS)
        writer.writerows(_sample_row(figure) for figure in figures)
        name = f"audit-sample-seed{options['seed']}-n{options['size']}.csv"
        # UTF-8 with BOM: Excel (also Chinese Excel) opens it with the right encoding.
        return Response(
            "\ufeff" + buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    status = 400 if bad else 200
    months = {name: options[name] for name in ("from", "to") if options[name]}
    csv_url = url_for(
        "auditlog.sample", seed=options["seed"], size=options["size"], format="csv", **months
    )
    return render_template(
        "auditlog/sample.html",
        options=options,
        bad=bad,
        figures=figures,
        population_size=population_size,
        max_sample=MAX_SAMPLE,
        history=_history,
        csv_url=csv_url,
        decimal=format_decimal,
    ), status
