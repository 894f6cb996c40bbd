"""The audit log page for administrators and auditors: who changed what, before and after."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from contracts.models import User
from contracts.periods import parse_period
from contracts.values import InvalidValue, format_decimal
from portal.audit import bp
from portal.audit import keys as audit_keys
from portal.audit import presenter as audit_view
from portal.audit.models import AuditEntry
from portal.audit.presenter import yes_no
from portal.extensions import db
from portal.labels import MEASUREMENT_STATUS
from portal.pages import Listing
from portal.permissions import can
from scorecards.sampling import MAX_SAMPLE, HistoryEntry, SampledFigure, draw


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _filtered(filters: dict[str, str]) -> Select[tuple[AuditEntry]]:
    """The entries the filters ask for. A key given by number is replaced by the key itself."""
    statement = select(AuditEntry)
    if "entity" in filters:
        statement = statement.where(AuditEntry.entity == filters["entity"])
    if "entity_id" in filters:
        found = audit_keys.find(db.session, filters["entity_id"], filters.get("entity"))
        statement = statement.where(found.condition())
        if found.key:
            filters["entity_id"] = found.key
    if filters.get("user", "").isdigit():
        statement = statement.where(AuditEntry.actor_user_id == int(filters["user"]))
    start, end = _day(filters.get("from")), _day(filters.get("to"))
    if start:
        statement = statement.where(AuditEntry.at >= datetime.combine(start, time.min))
    if end:
        statement = statement.where(AuditEntry.at < datetime.combine(end + timedelta(1), time.min))
    return statement


def _entity_choices() -> list[tuple[str, str]]:
    entities = db.session.scalars(select(AuditEntry.entity).distinct())
    return sorted(
        ((entity, audit_view.entity_label(entity)) for entity in entities),
        key=lambda choice: choice[1],
    )


@bp.route("/audit")
@login_required
def index() -> str:
    if not can(current_user, "view_audit"):
        abort(403)
    listing = Listing.from_request(
        sorts={"seq": AuditEntry.seq},
        default_sort="-seq",
        filter_names=("entity", "entity_id", "user", "from", "to"),
    )
    page = listing.paginate(_filtered(listing.filters))
    actors = db.session.scalars(
        select(User).where(User.id.in_(select(AuditEntry.actor_user_id))).order_by(User.email)
    ).all()
    return render_template(
        "auditlog/index.html",
        listing=listing,
        page=page,
        entries=audit_view.describe(db.session, page.items),
        entities=_entity_choices(),
        actors=actors,
        bad_dates=[
            name
            for name in ("from", "to")
            if listing.filters.get(name) and _day(listing.filters.get(name)) is None
        ],
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


SAMPLE_FIELDS = {
    "seed": _l("Seed"),
    "size": _l("Size"),
    "from": _l("From month"),
    "to": _l("To month"),
}


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


def status_label(status: str) -> str:
    return str(MEASUREMENT_STATUS.get(status, status))


def revision_text(revision: HistoryEntry) -> str:
    """One revision as the page and the CSV show it: ``r2 Rejected 99.9 (reason)``."""
    values = {
        "revision": revision.revision,
        "status": status_label(revision.status),
        "value": format_decimal(revision.value),
    }
    if revision.reject_reason:
        return _(
            "r%(revision)d %(status)s %(value)s (%(reason)s)",
            **values,
            reason=revision.reject_reason,
        )
    return _("r%(revision)d %(status)s %(value)s", **values)


def _sample_row(figure: SampledFigure) -> list[object]:
    """A CSV row: column names and codes stay as they are; words follow the user's language."""
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
        status_label(m.status),
        yes_no(m.late),
        m.submitted_at.isoformat(timespec="seconds"),
        m.submitted_by.email if m.submitted_by else "",
        m.reviewed_at.isoformat(timespec="seconds") if m.reviewed_at else "",
        m.reviewed_by.email if m.reviewed_by else "",
        m.evidence.filename if m.evidence else "",
        m.evidence.sha256 if m.evidence else "",
        "; ".join(revision_text(revision) for revision in figure.history),
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
        fields=SAMPLE_FIELDS,
        bad_labels=[str(SAMPLE_FIELDS[name]) for name in bad],
        typed={name: request.args.get(name, "") for name in SAMPLE_FIELDS},
        status_label=status_label,
        csv_url=csv_url,
        decimal=format_decimal,
    ), status
