"""The vendor manager's review queue: accept or reject submitted figures, one or many at once.

The queue has one item per figure (target and month): its current revision, with the other
revisions as its history (``scorecards.review``). Each request is all or nothing: a refused
figure (already reviewed, superseded by a newer revision, or a rejection without a reason)
leaves every figure of the request as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length

from contracts import periods
from contracts.alignment import meets
from contracts.db import utcnow
from contracts.errors import DomainError
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Supplier
from portal.extensions import db
from portal.measurements import review as bp
from portal.pages import Listing
from portal.permissions import can
from scorecards import review
from scorecards.models import Measurement


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=review.REASON_MAX)])


class BulkForm(FlaskForm):
    ids = SelectMultipleField(_l("Figures"), coerce=int, validate_choice=False)
    reason = TextAreaField(
        _l("Reason for rejecting the chosen figures"),
        validators=[Length(max=review.REASON_MAX)],
    )
    accept = SubmitField(_l("Accept chosen"))
    reject = SubmitField(_l("Reject chosen"))


@bp.before_request
@login_required
def _reviewers_only() -> None:
    if not can(current_user, "review_measurements"):
        abort(403)


def _back() -> str:
    """Back to the queue as it was filtered and sorted (only ever a /review address)."""
    target = request.form.get("next", "")
    if target.startswith(url_for("review.queue")) and not target.startswith("//"):
        return target
    return url_for("review.queue")


def _decide(action: Callable[..., list[Measurement]], ids: list[int], **extra: Any) -> int:
    try:
        reviewed = action(
            db.session, ids, actor=current_user._get_current_object(), now=utcnow(), **extra
        )
    except DomainError as error:
        db.session.rollback()
        flash(_("Nothing was changed: %(problem)s", problem=str(error.message)), "error")
        return 0
    db.session.commit()
    return len(reviewed)


@bp.route("/review")
def queue() -> str:
    listing = Listing.from_request(
        review.QUEUE_SORTS, "submitted", filter_names=("supplier", "agreement", "period")
    )
    period = listing.filters.get("period")
    period_error = bool(period and not periods.is_period(period))
    if period_error:
        listing.filters.pop("period")
    filters = review.QueueFilters(**listing.filters)
    page = listing.paginate(review.queue(filters))
    suppliers = db.session.scalars(select(Supplier).order_by(Supplier.code)).all()
    agreements = select(Agreement.ref).where(Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS))
    if filters.supplier:
        agreements = agreements.join(Supplier, Agreement.supplier).where(
            Supplier.code == filters.supplier
        )
    return render_template(
        "review/queue.html",
        listing=listing,
        page=page,
        history=review.history(db.session, page.items),
        suppliers=suppliers,
        agreements=db.session.scalars(agreements.order_by(Agreement.ref)).all(),
        period_error=period_error,
        bulk_form=BulkForm(formdata=None),
        reject_form=RejectForm(formdata=None),
        meets=meets,
        evidence_url=_evidence_url,
    )


def _evidence_url(measurement: Measurement) -> str | None:
    """The evidence file's address (none without a file)."""
    if measurement.evidence_id is None:
        return None
    return url_for("submissions.evidence", evidence_id=measurement.evidence_id)


@bp.route("/review/<int:measurement_id>/accept", methods=["POST"])
def accept(measurement_id: int) -> Response:
    if not FlaskForm().validate_on_submit():
        abort(400)
    if _decide(review.accept, [measurement_id]):
        flash(_("Figure %(id)d accepted.", id=measurement_id), "success")
    return redirect(_back())


@bp.route("/review/<int:measurement_id>/reject", methods=["POST"])
def reject(measurement_id: int) -> Response:
    form = RejectForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(problem)s", problem=_first_error(form)), "error")
    elif _decide(review.reject, [measurement_id], reason=form.reason.data):
        flash(
            _("Figure %(id)d rejected; the supplier sees your reason.", id=measurement_id),
            "success",
        )
    return redirect(_back())


@bp.route("/review/bulk", methods=["POST"])
def bulk() -> Response:
    form = BulkForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed: %(problem)s", problem=_first_error(form)), "error")
    elif form.reject.data:
        count = _decide(review.reject, form.ids.data or [], reason=form.reason.data)
        if count:
            flash(_("%(count)d figures rejected.", count=count), "success")
    else:
        count = _decide(review.accept, form.ids.data or [])
        if count:
            flash(_("%(count)d figures accepted.", count=count), "success")
    return redirect(_back())


def _first_error(form: FlaskForm) -> str:
    for name, errors in form.errors.items():
        if errors:
            label = getattr(getattr(form, name, None), "label", None)
            prefix = f"{label.text}: " if label else ""
            return prefix + str(errors[0])
    return _("the form could not be read; please try again.")
