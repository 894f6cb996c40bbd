"""PDF downloads: a supplier's scorecard and an agreement's renewal pack, in the user's language.

Same visibility as the pages: a supplier's user reaches only its own supplier and its own
agreements (404 otherwise, never a hint that the object exists). The CLI commands build their
PDFs through the same two functions.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Blueprint, abort, request, send_file
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms.fields.core import UnboundField

from contracts.errors import DomainError
from contracts.models import Agreement, Supplier
from portal import scoring
from portal.agreement_forms import STATUS_LABELS, AgreementForm, LinkForm, TargetForm
from portal.extensions import db
from portal.models import User
from portal.permissions import agreement_scope, can, visible_scorecard
from scorecards import renewal
from scorecards import scorecard as scorecards
from scorecards.pdf.changes import ChangeLabels
from scorecards.pdf.renewal_pdf import render_renewal_pack
from scorecards.pdf.scorecard_pdf import render_scorecard

FONT_PATH = Path(__file__).parent / "fonts" / "wqy-microhei.ttc"
PDF = "application/pdf"

bp = Blueprint("pdfs", __name__)


def scorecard_pdf(
    session: Session,
    supplier: Supplier,
    first: str,
    last: str,
    language: str,
    viewer: User | None = None,
) -> bytes:
    """The supplier's scorecard over the window as PDF bytes, in ``language``; with a
    ``viewer``, only what that user may see of it (the CLI renders it whole)."""
    thresholds = scoring.thresholds()
    card = scorecards.build(
        session, supplier, first, last, today=date.today(), thresholds=thresholds
    )
    internal = viewer is None or can(viewer, "view_renewals")
    if viewer is not None:
        card = visible_scorecard(viewer, card)
    with force_locale(language):
        return render_scorecard(
            card,
            font_path=FONT_PATH,
            generated_at=datetime.now(UTC),
            thresholds=thresholds,
            internal=internal,
        )


def renewal_pack_pdf(session: Session, agreement: Agreement, language: str) -> bytes:
    facts = renewal.build(session, agreement, today=date.today(), thresholds=scoring.thresholds())
    with force_locale(language):
        return render_renewal_pack(
            facts, font_path=FONT_PATH, generated_at=datetime.now(UTC), labels=change_labels()
        )


def change_labels() -> ChangeLabels:
    """The change history in the words of the pages: each field under the label of its field
    on the agreement, target or link form, each status under its word."""
    fields: dict[str, object] = {}
    for form in (AgreementForm, TargetForm):
        for name in dir(form):
            field = getattr(form, name)
            if isinstance(field, UnboundField) and field.args:
                fields.setdefault(name, field.args[0])
    fields["underpins"] = LinkForm.upper.args[0]
    fields["status"] = _l("Status")
    return ChangeLabels(fields, STATUS_LABELS)


def _download(content: bytes, name: str) -> Response:
    return send_file(io.BytesIO(content), mimetype=PDF, as_attachment=True, download_name=name)


@bp.route("/scorecards/<code>.pdf")
@login_required
def scorecard(code: str) -> Response:
    supplier = scoring.visible_supplier(current_user, code)
    if supplier is None or not can(current_user, "view_scorecards", supplier):
        abort(404)
    try:
        first, last = scoring.window(request.args.get("from"), request.args.get("to"), date.today())
    except DomainError:
        abort(400)
    content = scorecard_pdf(db.session, supplier, first, last, str(get_locale()), current_user)
    return _download(content, f"scorecard-{supplier.code}-{first}-{last}.pdf")


@bp.route("/agreements/<ref>/renewal-pack.pdf")
@login_required
def renewal_pack(ref: str) -> Response:
    agreement = db.session.scalar(
        select(Agreement).where(Agreement.ref == ref, agreement_scope(current_user))
    )
    if agreement is None or not agreement.is_supplier_agreement:
        abort(404)
    if not can(current_user, "view_renewals", agreement):
        abort(403)  # the renewal judgement is the provider's: staff only
    content = renewal_pack_pdf(db.session, agreement, str(get_locale()))
    return _download(content, f"renewal-pack-{agreement.ref}.pdf")
