"""``/api/v1/measurements``: submit monthly figures (one or a list, all or nothing), list them
with their evidence files, and review them.

Figures go through ``scorecards.submissions.submit``, the path the form and the spreadsheets
use; the marshmallow schemas here document the body, the checks are the shared path's. A
query or body that its schema refuses answers 422 naming each bad field (portal.api.parsing).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort as api_abort
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload, undefer
from werkzeug.wrappers import Response

from contracts.db import utcnow
from contracts.errors import DomainError
from contracts.models import Agreement, Metric, Service, Target
from portal.api.errors import refuse
from portal.api.measurement_schemas import (
    EVIDENCE_FILE,
    SUBMIT_BODY,
    DecisionSchema,
    MeasurementPageSchema,
    MeasurementQuerySchema,
    MeasurementSchema,
    RejectSchema,
    ReviewedSchema,
    SubmittedSchema,
)
from portal.api.parsing import ApiBlueprint as Blueprint
from portal.extensions import db
from portal.pages import send_private_file
from portal.permissions import agreement_scope, can, supplier_binding
from scorecards import review
from scorecards.evidence import served_type
from scorecards.models import Evidence, Measurement
from scorecards.submissions import Figure, SubmissionRefused, submit

blp = Blueprint(
    "measurements_api",
    __name__,
    url_prefix="/api/v1/measurements",
    description="Monthly figures: submit (suppliers), list, accept or reject (vendor managers)",
)

TEXT_FIELDS = ("agreement", "metric", "service", "period", "comment")
FIELDS = frozenset((*TEXT_FIELDS, "value"))


# ── Helpers ─────────────────────────────────────────────────────────────────────────────────
def represent(measurements: list[Measurement]) -> list[dict[str, Any]]:
    """Measurements as the API shows them, with whether each is superseded (one query)."""
    superseded = review.superseded_ids(db.session, measurements)
    return [as_json(measurement, measurement.id in superseded) for measurement in measurements]


def as_json(measurement: Measurement, superseded: bool) -> dict[str, Any]:
    target = measurement.target
    return {
        "id": measurement.id,
        "agreement": target.agreement.ref,
        "metric": target.metric.code,
        "service": target.service.code,
        "period": measurement.period,
        "revision": measurement.revision,
        "value": measurement.value,
        "comment": measurement.comment,
        "status": measurement.status,
        "reject_reason": measurement.reject_reason,
        "late": measurement.late,
        "submitted_at": measurement.submitted_at,
        "reviewed_at": measurement.reviewed_at,
        "superseded": superseded,
        "evidence": _evidence(measurement),
    }


def _evidence(measurement: Measurement) -> dict[str, Any] | None:
    evidence = measurement.evidence
    if evidence is None:
        return None
    return {
        "filename": evidence.filename,
        "size": evidence.size,
        "content_type": served_type(evidence)[0],
        "url": url_for(
            "measurements_api.measurement_evidence",
            measurement_id=measurement.id,
            _external=True,
        ),
    }


def _visible() -> Any:
    return (
        select(Measurement)
        .join(Measurement.target)
        .join(Target.agreement)
        .join(Target.metric)
        .join(Target.service)
        .where(agreement_scope(current_user))
        .options(
            contains_eager(Measurement.target).options(
                contains_eager(Target.agreement),
                contains_eager(Target.metric),
                contains_eager(Target.service),
            ),
            selectinload(Measurement.evidence),
        )
    )


def _loaded(ids: list[int]) -> list[Measurement]:
    by_id = {m.id: m for m in db.session.scalars(_visible().where(Measurement.id.in_(ids)))}
    return [by_id[measurement_id] for measurement_id in ids if measurement_id in by_id]


def _read_body() -> Any:
    """The JSON body, decimals kept exact; ``NaN``/``Infinity`` stay text for the checks."""
    try:
        return json.loads(
            request.get_data(cache=False) or b"", parse_float=Decimal, parse_constant=str
        )
    except (ValueError, UnicodeDecodeError):
        api_abort(400, message=_("The body is not JSON."), details={"_body": [_("not JSON")]})


def _figures(body: Any) -> list[Figure]:
    if isinstance(body, dict):
        entries, single = [body], True
    elif isinstance(body, list):
        entries, single = body, False
    else:
        api_abort(
            422,
            message=_("Send one figure (an object) or a list of figures."),
            details={"_body": [_("must be an object or a list of objects")]},
        )
    if not entries:
        api_abort(
            422,
            message=_("The list is empty: send at least one figure."),
            details={"_body": [_("must contain at least one figure")]},
        )
    details: dict[str, list[str]] = {}
    figures = []
    for index, entry in enumerate(entries):
        location = "" if single else f"[{index}]"
        if not isinstance(entry, dict):
            details[location or "_body"] = [_("must be an object")]
            continue
        for name in sorted(set(entry) - FIELDS):
            details[_key(location, name)] = [_("unknown field")]
        for name in TEXT_FIELDS:
            if entry.get(name) is not None and not isinstance(entry[name], str):
                details[_key(location, name)] = [_("must be a string")]
        figures.append(
            Figure(
                location,
                *(
                    entry.get(name)
                    for name in ("agreement", "metric", "service", "period", "value", "comment")
                ),
            )
        )
    if details:
        api_abort(
            422, message=_("Some figures are not valid; nothing was stored."), details=details
        )
    return figures


def _key(location: str, name: str) -> str:
    return f"{location}.{name}" if location else name


def _refused(error: SubmissionRefused) -> None:
    if any(getattr(problem, "not_found", False) for problem in error.problems):
        refuse(
            error,
            404,
            _("No such agreement that you may submit figures for; nothing was stored."),
        )
    refuse(error, 422, _("Some figures are not valid; nothing was stored."))


def _review_refused(error: DomainError) -> None:
    status = 404 if isinstance(error, review.UnknownFigure) else 422
    if isinstance(error, review.NotReviewable):
        status = 409
    refuse(error, status)


# ── Endpoints ───────────────────────────────────────────────────────────────────────────────
@blp.route("", methods=["POST"])
@blp.doc(requestBody=SUBMIT_BODY)
@blp.response(201, SubmittedSchema)
@blp.alt_response(400, response="BAD_REQUEST")
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def submit_measurements() -> dict[str, Any]:
    """Submit one figure or a list, all or nothing; each is stored as a new revision.

    A supplier's token reaches only its own agreements: any other answers 404, nothing stored."""
    # One line per paragraph: the API page translates each paragraph as one msgid.
    if not can(current_user, "submit_measurements"):
        api_abort(403, message=_("Only a supplier's users and administrators submit figures."))
    figures = _figures(_read_body())
    try:
        result = submit(
            db.session,
            figures,
            supplier_id=supplier_binding(current_user),
            user_id=current_user.id,
            now=utcnow(),
            due_day=current_app.config["DUE_DAY"],
        )
    except SubmissionRefused as error:
        _refused(error)
    items = represent(_loaded(result.measurement_ids))
    db.session.commit()
    return {"items": items, "count": result.count, "late": result.late}


@blp.route("", methods=["GET"])
@blp.arguments(MeasurementQuerySchema, location="query")
@blp.response(200, MeasurementPageSchema)
def list_measurements(query: dict[str, Any]) -> dict[str, Any]:
    """Every revision the token's user may see, in order; filter by agreement, period, status."""
    statement = _visible()
    if "agreement" in query:
        statement = statement.where(Agreement.ref == query["agreement"])
    if "period" in query:
        statement = statement.where(Measurement.period == query["period"])
    if "status" in query:
        statement = statement.where(Measurement.status == query["status"])
    total = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(Measurement.id).subquery())
    )
    page, per_page = query["page"], query["per_page"]
    measurements = db.session.scalars(
        statement.order_by(
            Agreement.ref, Metric.code, Service.code, Measurement.period, Measurement.revision
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return {
        "items": represent(list(measurements)),
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def _decide(ids: list[int], decision: str, reason: str | None) -> list[dict[str, Any]]:
    if not can(current_user, "review_measurements"):
        api_abort(403, message=_("Only vendor managers and administrators review figures."))
    visible = [m.id for m in _loaded(ids)]
    try:
        missing = [str(i) for i in ids if i not in visible]
        if missing:
            raise review.UnknownFigure(
                _("No figure %(ids)s to review.", ids=", ".join(missing)), "ids"
            )
        actor = current_user._get_current_object()
        if decision == "accept":
            review.accept(db.session, ids, actor=actor, now=utcnow())
        else:
            review.reject(db.session, ids, reason, actor=actor, now=utcnow())
    except DomainError as error:
        _review_refused(error)
    items = represent(_loaded(ids))
    db.session.commit()
    return items


@blp.route("/<int:measurement_id>/evidence", methods=["GET"])
@blp.doc(responses={"200": EVIDENCE_FILE})
@blp.alt_response(404, response="NOT_FOUND")
def measurement_evidence(measurement_id: int) -> Response:
    """Download a figure's evidence file; 404 for anyone who may not see the figure."""
    # Each measurement's ``evidence.url`` points here; the rule is the one of the web page's
    # /evidence/<id>: the figure's agreement must be in the user's scope.
    measurement = db.session.scalar(_visible().where(Measurement.id == measurement_id))
    if (
        measurement is None
        or measurement.evidence_id is None
        or not can(current_user, "view_contracts", measurement)
    ):
        api_abort(404, message=_("No evidence file for figure %(id)d.", id=measurement_id))
    stored = db.session.scalar(
        select(Evidence)
        .options(undefer(Evidence.data))
        .where(Evidence.id == measurement.evidence_id)
    )
    content_type, inline = served_type(stored)
    return send_private_file(stored.data, content_type, stored.filename, not inline)


@blp.route("/<int:measurement_id>/accept", methods=["POST"])
@blp.response(200, MeasurementSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def accept_measurement(measurement_id: int) -> dict[str, Any]:
    """Accept a submitted revision (vendor managers); 409 if reviewed already or superseded."""
    return _decide([measurement_id], "accept", None)[0]


@blp.route("/<int:measurement_id>/reject", methods=["POST"])
@blp.arguments(RejectSchema)
@blp.response(200, MeasurementSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def reject_measurement(body: dict[str, Any], measurement_id: int) -> dict[str, Any]:
    """Reject a submitted revision with a reason (required); the earlier value stays current."""
    return _decide([measurement_id], "reject", body["reason"])[0]


@blp.route("/review", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(200, ReviewedSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def review_measurements(body: dict[str, Any]) -> dict[str, Any]:
    """Accept or reject many submitted revisions at once, all or nothing (one reason to reject)."""
    ids = list(dict.fromkeys(body["ids"]))
    return {"items": _decide(ids, body["decision"], body.get("reason"))}
