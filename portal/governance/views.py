"""Contract reviews, disputes and improvement actions (the service improvement plan).

Every object is loaded through a scoped query (404 when the viewer may not see it), then
``can(...)`` decides whether the viewer may act on it (403).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contracts import clock, governance
from contracts import reviews as review_rules
from contracts.errors import DomainError
from contracts.models import DISPUTE_STATUSES, Agreement, Dispute
from portal.extensions import db
from portal.governance import bp
from portal.governance.forms import DisputeForm, DisputeStatusForm, ReplyForm, ReviewForm
from portal.governance.panels import dispute_or_404, dispute_scope, visible_suppliers
from portal.loaders import acting_user, agreement_or_404, require
from portal.pages import Listing, show_refusal
from portal.permissions import agreement_scope, can

DISPUTE_SORTS = {
    "id": Dispute.id,
    "raised": Dispute.raised_on,
    "title": Dispute.title,
    "agreement": Agreement.ref,
    "status": Dispute.status,
}


# ── Reviews ──────────────────────────────────────────────────────────────────────────────────
@bp.route("/reviews")
def reviews() -> str:
    require("view_contracts")
    supplier_code = request.args.get("supplier", "").strip()
    overdue_only = request.args.get("overdue") == "1"
    rows = review_rules.reviews_due(
        db.session,
        agreement_scope(current_user),
        supplier_code=supplier_code or None,
        overdue_only=overdue_only,
    )
    return render_template(
        "governance/reviews.html",
        rows=rows,
        suppliers=visible_suppliers(),
        supplier_code=supplier_code,
        overdue_only=overdue_only,
    )


@bp.route("/agreements/<ref>/reviews/new", methods=["GET", "POST"])
def new_review(ref: str):  # noqa: ANN201
    agreement = agreement_or_404(ref)
    require("edit_contracts", agreement)
    form = ReviewForm()
    if request.method == "GET":
        form.held_on.data = clock.today()
    elif form.validate_on_submit():
        try:
            review_rules.record_review(
                db.session, agreement, form.held_on.data, form.outcome.data or "",
                form.notes.data or "", actor=acting_user(),
            )  # fmt: skip
        except DomainError as error:
            show_refusal(form, error, "held_on")
        else:
            db.session.commit()
            flash(_("The review of %(ref)s has been recorded.", ref=agreement.ref), "success")
            return redirect(url_for("agreements.detail", ref=agreement.ref))
    status = 400 if form.is_submitted() else 200
    return render_template("governance/review_new.html", form=form, agreement=agreement), status


# ── Disputes ─────────────────────────────────────────────────────────────────────────────────
@bp.route("/disputes")
def disputes() -> str:
    require("view_disputes")
    listing = Listing.from_request(
        DISPUTE_SORTS,
        "-raised",
        (Dispute.title, Agreement.ref),
        ("status", "supplier", "agreement"),
    )
    statement = governance.disputes_query(
        dispute_scope(),
        status=listing.filters.get("status"),
        supplier_code=listing.filters.get("supplier"),
        agreement_ref=listing.filters.get("agreement"),
    )
    return render_template(
        "governance/disputes.html",
        listing=listing,
        page=listing.paginate(statement),
        suppliers=visible_suppliers(),
        statuses=DISPUTE_STATUSES,
    )


@bp.route("/agreements/<ref>/disputes/new", methods=["GET", "POST"])
def new_dispute(ref: str):  # noqa: ANN201
    agreement = agreement_or_404(ref)
    require("manage_disputes", agreement)
    form = DisputeForm()
    if form.validate_on_submit():
        try:
            dispute = governance.raise_dispute(
                db.session, agreement, form.title.data, form.description.data or "",
                actor=acting_user(),
            )  # fmt: skip
        except DomainError as error:
            show_refusal(form, error, "title")
        else:
            db.session.commit()
            flash(_("The dispute has been raised."), "success")
            return redirect(url_for("governance.dispute", dispute_id=dispute.id))
    status = 400 if form.is_submitted() else 200
    return render_template("governance/dispute_new.html", form=form, agreement=agreement), status


@bp.route("/disputes/<int:dispute_id>")
def dispute(dispute_id: int):  # noqa: ANN201
    return render_dispute(dispute_or_404(dispute_id))


def render_dispute(  # noqa: ANN201
    dispute: Dispute,
    reply_form: ReplyForm | None = None,
    status_form: DisputeStatusForm | None = None,
    status: int = 200,
):
    if status_form is None:
        status_form = DisputeStatusForm(formdata=None, resolution=dispute.resolution)
    status_form.offer(governance.next_dispute_statuses(dispute))
    return render_template(
        "governance/dispute.html",
        dispute=dispute,
        reply_form=reply_form or ReplyForm(formdata=None),
        status_form=status_form,
        may_reply=dispute.status != "closed" and can(current_user, "reply_dispute", dispute),
        may_manage=can(current_user, "manage_disputes", dispute),
    ), status


@bp.route("/disputes/<int:dispute_id>/replies", methods=["POST"])
def reply(dispute_id: int):  # noqa: ANN201
    dispute = dispute_or_404(dispute_id)
    require("reply_dispute", dispute)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            message = governance.reply(
                db.session, dispute, form.body.data or "", actor=acting_user()
            )
        except DomainError as error:
            show_refusal(form, error, "body")
        else:
            db.session.commit()
            flash(_("Your reply has been added."), "success")
            return redirect(
                url_for("governance.dispute", dispute_id=dispute.id, _anchor=f"m{message.id}")
            )
    return render_dispute(dispute, reply_form=form, status=400)


@bp.route("/disputes/<int:dispute_id>/status", methods=["POST"])
def dispute_status(dispute_id: int):  # noqa: ANN201
    dispute = dispute_or_404(dispute_id)
    require("manage_disputes", dispute)
    form = DisputeStatusForm()
    if form.validate_on_submit():
        try:
            governance.change_dispute_status(
                db.session, dispute, form.status.data or "", form.resolution.data or "",
                actor=acting_user(),
            )  # fmt: skip
        except DomainError as error:
            show_refusal(form, error, "status")
        else:
            db.session.commit()
            flash(_("The dispute's status has been changed."), "success")
            return redirect(url_for("governance.dispute", dispute_id=dispute.id))
    return render_dispute(dispute, status_form=form, status=400)
