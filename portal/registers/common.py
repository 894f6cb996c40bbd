"""What every register page shares: the blueprint, its guard, labels and the save pattern."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from sqlalchemy import Select

from contracts.errors import DomainError
from contracts.values import format_decimal, sane_range
from portal.extensions import db
from portal.listing import Listing
from portal.permissions import can

bp = Blueprint("registers", __name__)

T = TypeVar("T")
F = TypeVar("F", bound=FlaskForm)

LABELS: dict[str, dict[str, Any]] = {
    "direction": {"higher": _l("Higher is better"), "lower": _l("Lower is better")},
    "composition": {
        "product": _l("Product (availability-like percentages)"),
        "sum": _l("Sum (durations of serial hand-offs)"),
        "weakest": _l("Weakest link"),
    },
    "kind": {"external": _l("External"), "internal": _l("Internal")},
    "category": {
        "strategic": _l("Strategic"),
        "tactical": _l("Tactical"),
        "operational": _l("Operational"),
        "commodity": _l("Commodity"),
    },
    "agreement_kind": {
        "sla": _l("Customer SLA"),
        "underpinning": _l("Underpinning contract"),
        "ola": _l("OLA"),
        "subcontract": _l("Sub-contract"),
    },
    "status": {
        "draft": _l("Draft"),
        "active": _l("Active"),
        "under_review": _l("Under review"),
        "expired": _l("Expired"),
        "terminated": _l("Terminated"),
    },
}


@bp.before_request
@login_required
def _readers_only() -> None:
    if not can(current_user, "view_contracts"):
        abort(403)


@bp.context_processor
def _register_helpers() -> dict[str, object]:
    return {
        "labels": LABELS,
        # Agreement pages are another area's; link to them once they exist.
        "agreement_pages": "agreements.detail" in current_app.view_functions,
        "sane_range": sane_range,
        "format_decimal": format_decimal,
    }


def require(permission: str, obj: object = None) -> None:
    if not can(current_user, permission, obj):
        abort(403)


def first_or_404(statement: Select[Any]) -> Any:
    found = db.session.scalar(statement)
    if found is None:
        abort(404)
    return found


def saved(form: FlaskForm, operation: Callable[[], T]) -> T | None:
    """Run ``operation`` for a valid posted form and commit; a refusal goes beside its field."""
    if not form.validate_on_submit():
        return None
    try:
        result = operation()
    except DomainError as error:
        db.session.rollback()
        for problem in error.problems:
            field = getattr(form, problem.field or "", None)
            if field is None:
                form.form_errors.append(str(problem.message))
            else:
                field.errors = [*field.errors, str(problem.message)]
        return None
    db.session.commit()
    return result


def prefilled(form_class: type[F], data: dict[str, Any]) -> F:
    """An edit form: the record's values to start with, what was posted once it is sent."""
    return form_class() if request.method == "POST" else form_class(data=data)


def status_of(form: FlaskForm) -> int:
    return 400 if form.is_submitted() else 200


def page_of(listing: Listing, statement: Select[Any], tiebreak: Any) -> Pagination:
    """The listing's page; ``tiebreak`` (a unique column) keeps pages stable under equal keys."""
    ordered = listing.ordered(listing.search(statement)).order_by(tiebreak)
    return db.paginate(
        ordered, page=listing.page, per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
