"""The edge's view of scoring: thresholds from the configuration, windows from user input,
and loading a supplier the current user may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contracts.errors import DomainError
from contracts.models import Supplier
from contracts.values import InvalidValue, parse_period
from portal.extensions import db
from portal.permissions import supplier_scope
from scorecards import periods
from scorecards.scoring import Thresholds


def thresholds() -> Thresholds:
    """Rating thresholds; configurable as FLASK_RATING_GREEN / FLASK_RATING_AMBER."""
    try:
        green = Decimal(str(current_app.config["RATING_GREEN"]))
        amber = Decimal(str(current_app.config["RATING_AMBER"]))
    except InvalidOperation as error:
        raise RuntimeError("RATING_GREEN and RATING_AMBER must be numbers") from error
    return Thresholds(green, amber)


def window(first: str | None, last: str | None, today: date) -> tuple[str, str]:
    """The months ``from``..``to``; by default the twelve complete months before today."""
    default_last = periods.shift(periods.of(today), -1)
    try:
        last = parse_period(last) if last else default_last
    except InvalidValue as error:
        raise DomainError(error.message, "to") from error
    try:
        first = parse_period(first) if first else periods.shift(last, -11)
    except InvalidValue as error:
        raise DomainError(error.message, "from") from error
    if first > last:
        raise DomainError(_l("must not be after the end of the window"), "from")
    if len(periods.span(first, last)) > 120:
        raise DomainError(_l("a window covers at most 120 months"), "from")
    return first, last


def visible_supplier(user: object, code: str) -> Supplier | None:
    """The supplier with this code, if the user may see it (``None`` otherwise)."""
    return db.session.scalar(select(Supplier).where(Supplier.code == code, supplier_scope(user)))
