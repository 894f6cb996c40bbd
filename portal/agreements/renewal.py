"""``/agreements/<ref>/renewal-pack.pdf``: an agreement's renewal pack, in the user's language,
for the provider's staff (403 for a supplier's user, 404 out of sight)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms.fields.core import UnboundField

from contracts import clock
from contracts.models import Agreement
from portal.agreements import bp
from portal.agreements.forms import AgreementForm, LinkForm, TargetForm
from portal.config import thresholds
from portal.extensions import db
from portal.fonts import FONT_PATH
from portal.labels import AGREEMENT_STATUS, pdf_words
from portal.pages import send_pdf
from portal.permissions import agreement_scope, can
from scorecards import renewal
from scorecards.pdf.changes import ChangeLabels
from scorecards.pdf.renewal_pdf import render_renewal_pack


def renewal_pack_pdf(session: Session, agreement: Agreement, language: str) -> bytes:
    facts = renewal.build(session, agreement, today=clock.today(), thresholds=thresholds())
    with force_locale(language):
        return render_renewal_pack(
            facts,
            font_path=FONT_PATH,
            generated_at=datetime.now(UTC),
            labels=change_labels(),
            words=pdf_words(),
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
    return ChangeLabels(fields, AGREEMENT_STATUS)


@bp.route("/agreements/<ref>/renewal-pack.pdf")
def renewal_pack(ref: str) -> Response:
    agreement = db.session.scalar(
        select(Agreement).where(Agreement.ref == ref, agreement_scope(current_user))
    )
    if agreement is None or not agreement.is_supplier_agreement:
        abort(404)
    if not can(current_user, "view_renewals", agreement):
        abort(403)  # the renewal judgement is the provider's: staff only
    content = renewal_pack_pdf(db.session, agreement, str(get_locale()))
    return send_pdf(content, f"renewal-pack-{agreement.ref}.pdf")
