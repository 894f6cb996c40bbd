"""Contract reviews, disputes and improvement actions (the service improvement plan).

Every object is loaded through a scoped query (404 when the viewer may not see it), then
``can(...)`` decides whether the viewer may act on it (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, false, select

from contracts import agreements, governance
from contracts.errors import DomainError
from contracts.models import DISPUTE_STATUSES, Agreement, Dispute, Supplier
from portal.extensions import db
from portal.governance_forms import (
    REVIEW_OUTCOME_LABELS,
    DisputeForm,
    DisputeStatusForm,
    ReplyForm,
    ReviewForm,
)
from portal.listing import Listing
from portal.permissions import agreement_scope, can, supplier_binding, supplier_scope

bp = Blueprint("governance", __name__)

DISPUTE_SORTS = {
    "id": Dispute.id,
    "raised": Dispute.raised_on,
    "title": Dispute.title,
    "agreement": Agreement.ref,
    "status": Dispute.status,
}


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every page here needs a login (anonymous visitors go to the login page)."""


# ── Helpers shared by the views ──────────────────────────────────────────────────────────────
def actor() -> Any:
    return current_user._get_current_object()


def require(permission: str, obj: Any = None) -> None:
    if not can(current_user, permission, obj):
        abort(403)


def dispute_scope() -> ColumnElement[bool]:
    if not current_user.active:
        return false()
    return governance.dispute_scope(supplier_binding(current_user))


def agreement_or_404(ref: str) -> Agreement:
    agreement = db.session.scalar(
        select(Agreement).where(Agreement.ref == ref, agreement_scope(current_user))
    )
    if agreement is None or not can(current_user, "view_contracts", agreement):
        abort(404)
    return agreement


def dispute_or_404(dispute_id: int) -> Dispute:
    dispute = db.session.scalar(
        select(Dispute).join(Dispute.agreement).where(Dispute.id == dispute_id, dispute_scope())
    )
    if dispute is None or not can(current_user, "view_disputes", dispute):
        abort(404)
    return dispute


def refuse(form: Any, error: DomainError, default: str) -> None:
    """Show a refused operation's message beside its field; nothing of it is kept."""
    db.session.rollback()
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, str(error.message)]


def agreement_url(agreement: Agreement) -> str | None:
    """The agreement's page, once the agreements area provides it."""
    if "agreements.detail" in current_app.view_functions:
        return url_for("agreements.detail", ref=agreement.ref)
    return None


def visible_suppliers() -> list[Supplier]:
    return list(
        db.session.scalars(
            select(Supplier).where(supplier_scope(current_user)).order_by(Supplier.code)
        )
    )


def may_see_disputes_of(agreement: Agreement) -> bool:
    """Whether the viewer sees the disputes of ``agreement`` at all: a supplier's staff see
    those on its own agreements, not those on sub-contracts placed under them.
    """
    binding = supplier_binding(current_user)
    return can(current_user, "view_disputes") and binding in (None, agreement.supplier_id)


# ── The agreement page's panels ──────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class AgreementPanels:
    reviews: list[Any]
    next_review_due: date | None
    review_overdue: bool
    show_disputes: bool
    disputes: list[Dispute]
    actions: list[Any]
    today: date


@bp.app_template_global("governance_panels")
def governance_panels(agreement: Agreement) -> AgreementPanels:
    """What templates/governance/_agreement_panels.html shows for ``agreement``."""
    today = date.today()
    due = agreements.next_review_due(agreement)
    in_force = agreement.status in governance.REVIEWED_STATUSES
    return AgreementPanels(
        reviews=sorted(agreement.reviews, key=lambda r: (r.held_on, r.id), reverse=True),
        next_review_due=due,
        review_overdue=bool(due and in_force and due < today),
        show_disputes=may_see_disputes_of(agreement),
        disputes=[d for d in agreement.disputes if can(current_user, "view_disputes", d)],
        actions=[a for a in agreement.actions if can(current_user, "view_contracts", a)],
        today=today,
    )


@bp.app_template_global("action_overdue")
def action_overdue(action: Any, today: date | None = None) -> bool:
    return governance.is_overdue(action, today)


@bp.app_template_global("governance_agreement_url")
def governance_agreement_url(agreement: Agreement) -> str | None:
    return agreement_url(agreement)


# ── Reviews ──────────────────────────────────────────────────────────────────────────────────
@bp.route("/reviews")
def reviews() -> str:
    require("view_contracts")
    supplier_code = request.args.get("supplier", "").strip()
    overdue_only = request.args.get("overdue") == "1"
    rows = governance.reviews_due(
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
        outcome_labels=REVIEW_OUTCOME_LABELS,
    )


@bp.route("/agreements/<ref>/reviews/new", methods=["GET", "POST"])
def new_review(ref: str):  # noqa: ANN201
    agreement = agreement_or_404(ref)
    require("edit_contracts", agreement)
    form = ReviewForm()
    if request.method == "GET":
        form.held_on.data = date.today()
    elif form.validate_on_submit():
        try:
            governance.record_review(
                db.session, agreement, form.held_on.data, form.outcome.data or "",
                form.notes.data or "", actor=actor(),
            )  # fmt: skip
        except DomainError as error:
            refuse(form, error, "held_on")
        else:
            db.session.commit()
            flash(_("The review of %(ref)s has been recorded.", ref=agreement.ref), "success")
            return redirect(agreement_url(agreement) or url_for("governance.reviews"))
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
                actor=actor(),
            )  # fmt: skip
        except DomainError as error:
            refuse(form, error, "title")
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
            message = governance.reply(db.session, dispute, form.body.data or "", actor=actor())
        except DomainError as error:
            refuse(form, error, "body")
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
                actor=actor(),
            )  # fmt: skip
        except DomainError as error:
            refuse(form, error, "status")
        else:
            db.session.commit()
            flash(_("The dispute's status has been changed."), "success")
            return redirect(url_for("governance.dispute", dispute_id=dispute.id))
    return render_dispute(dispute, status_form=form, status=400)


from portal import governance_actions  # noqa: E402, F401  (the improvement plan's routes)
