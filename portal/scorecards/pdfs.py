"""``/scorecards/<code>.pdf``: a supplier's scorecard as PDF, in the user's language.

Same visibility as the page: a supplier's user reaches only its own supplier (404 otherwise,
never a hint that it exists). The CLI commands build their PDFs through ``scorecard_pdf``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, request
from flask_babel import force_locale, get_locale
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from contracts import clock, periods
from contracts.errors import DomainError
from contracts.models import Supplier, User
from portal.config import thresholds as rating_thresholds
from portal.extensions import db
from portal.fonts import FONT_PATH
from portal.labels import pdf_words
from portal.loaders import visible_supplier
from portal.pages import send_pdf
from portal.permissions import can, visible_scorecard
from portal.scorecards import bp
from scorecards import scorecard as scorecards
from scorecards.pdf.scorecard_pdf import render_scorecard


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
    thresholds = rating_thresholds()
    card = scorecards.build(
        session, supplier, first, last, today=clock.today(), thresholds=thresholds
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
            words=pdf_words(),
        )


@bp.route("/scorecards/<code>.pdf")
def pdf(code: str) -> Response:
    supplier = visible_supplier(current_user, code)
    if supplier is None or not can(current_user, "view_scorecards", supplier):
        abort(404)
    try:
        first, last = periods.window(
            request.args.get("from"), request.args.get("to"), clock.today()
        )
    except DomainError:
        abort(400)
    content = scorecard_pdf(db.session, supplier, first, last, str(get_locale()), current_user)
    return send_pdf(content, f"scorecard-{supplier.code}-{first}-{last}.pdf")
