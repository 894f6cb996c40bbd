"""Scorecard pages: the portfolio overview and a supplier's scorecard.

The numbers come from ``scorecards.overview`` and ``scorecards.scorecard`` (SPEC section 3);
this module only chooses the window, scopes the supplier to the user, sorts and filters the
overview, and shapes values for display (Decimal, half-up, 2 places: as the JSON edge).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from contracts import clock, periods
from contracts.errors import DomainError
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Supplier
from portal.config import thresholds
from portal.extensions import db
from portal.loaders import visible_supplier
from portal.pages import Listing
from portal.permissions import can, supplier_binding, visible_scorecard
from portal.scorecards import bp
from scorecards import scorecard
from scorecards.overview import SupplierLine, portfolio_overview

# Sort keys of the overview; ``None`` (no score) always goes last, whatever the direction.
SORTS: dict[str, Callable[[SupplierLine], Any]] = {
    "score": lambda line: line.score,
    "name": lambda line: line.name.casefold(),
    "credits": lambda line: line.credits,
    "missing": lambda line: line.missing,
}
PRESETS = (3, 6, 12, 24)  # window lengths offered beside the picker, ending last month


# ── Pages ─────────────────────────────────────────────────────────────────────────────────
@bp.route("/scorecards")
def overview() -> Response | tuple[str, int]:
    if supplier_binding(current_user) is not None:
        return redirect(url_for(".supplier", code=current_user.supplier.code, **_window_args()))
    listing = Listing.from_request(SORTS, "score", filter_names=("category", "kind", "from", "to"))
    try:
        first, last = _window()
    except DomainError as error:
        return _render_overview(listing, [], None, None, error, 400)
    lines = portfolio_overview(db.session, first, last, thresholds=thresholds())
    shown = sorted_lines([line for line in lines if _matches(line, listing)], listing.sort)
    currencies = _currencies(
        select(Supplier.code).join(Agreement, Agreement.supplier_id == Supplier.id)
    )
    return _render_overview(listing, shown, (first, last), currencies, None, 200, len(lines))


@bp.route("/scorecards/<code>")
def supplier(code: str) -> tuple[str, int]:
    found = _visible_or_404(code)
    try:
        first, last = _window()
    except DomainError as error:
        return render_template("scorecards/supplier.html", supplier=found, error=error), 400
    card = _build(found, first, last)
    currencies = _currencies(select(Agreement.ref).where(Agreement.supplier_id == found.id))
    return render_template(
        "scorecards/supplier.html",
        supplier=found,
        card=card,
        window_months=periods.span(first, last),
        currencies=currencies,
        all_currencies=set().union(*currencies.values()),
        missing=_missing(card),
        error=None,
    ), 200


@bp.route("/scorecards/<code>.json")
def supplier_json(code: str) -> Response | tuple[Response, int]:
    """The scorecard JSON of SPEC section 5 for the signed-in user (the API needs a token)."""
    found = _visible_or_404(code)
    try:
        first, last = _window()
    except DomainError as error:
        body = {"error": {"code": "bad_window", "message": f"{error.field}: {error.message}"}}
        return jsonify(body), 400
    return jsonify(scorecard.as_json(_build(found, first, last)))


def _render_overview(
    listing: Listing,
    lines: list[SupplierLine],
    window: tuple[str, str] | None,
    currencies: dict[str, set[str]] | None,
    error: DomainError | None,
    status: int,
    total: int = 0,
) -> tuple[str, int]:
    page = render_template(
        "scorecards/overview.html",
        listing=listing,
        lines=lines,
        window=window,
        currencies=currencies or {},
        ratings=_rating_counts(lines),
        total=total,
        error=error,
    )
    return page, status


# ── Loading ───────────────────────────────────────────────────────────────────────────────
def _visible_or_404(code: str) -> Supplier:
    """Staff see every supplier; a supplier's user only its own (404 for any other code)."""
    found = visible_supplier(current_user, code)
    if found is None or not can(current_user, "view_scorecards", found):
        abort(404)
    return found


def _window() -> tuple[str, str]:
    return periods.window(request.args.get("from"), request.args.get("to"), clock.today())


def _window_args() -> dict[str, str]:
    return {name: request.args[name] for name in ("from", "to") if request.args.get(name)}


def _build(found: Supplier, first: str, last: str) -> scorecard.Scorecard:
    """The scorecard as the current user may see it (a supplier's user: no customer impact,
    no renewal recommendation)."""
    card = scorecard.build(
        db.session, found, first, last, today=clock.today(), thresholds=thresholds()
    )
    return visible_scorecard(current_user, card)


def _currencies(key_column: Any) -> dict[str, set[str]]:
    """Currency of each supplier agreement, grouped by ``key_column`` (supplier code or ref):
    credits are shown with their currency where there is only one."""
    rows = db.session.execute(
        key_column.add_columns(Agreement.currency)
        .where(Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS))
        .distinct()
    )
    grouped: dict[str, set[str]] = {}
    for key, currency in rows:
        grouped.setdefault(key, set()).add(currency)
    return grouped


def _missing(card: scorecard.Scorecard) -> int:
    return sum(
        result.count("missing") for agreement in card.agreements for result in agreement.targets
    )


def _matches(line: SupplierLine, listing: Listing) -> bool:
    filters = listing.filters
    if filters.get("category") and line.category != filters["category"]:
        return False
    if filters.get("kind") and line.kind != filters["kind"]:
        return False
    query = listing.q.casefold()
    return not query or query in line.name.casefold() or query in line.code.casefold()


def sorted_lines(lines: list[SupplierLine], sort: str) -> list[SupplierLine]:
    """Sorted by ``sort`` (``-key`` descending), then by name; lines without a value last."""
    key = SORTS[sort.lstrip("-")]
    by_name = sorted(lines, key=lambda line: (line.name.casefold(), line.code))
    present = [line for line in by_name if key(line) is not None]
    absent = [line for line in by_name if key(line) is None]
    return sorted(present, key=key, reverse=sort.startswith("-")) + absent


def _rating_counts(lines: Iterable[SupplierLine]) -> dict[str, int]:
    counts = dict.fromkeys(("red", "amber", "green", "none"), 0)
    for line in lines:
        counts[line.rating] += 1
    return counts


def window_url(endpoint: str, first: str, last: str, **values: Any) -> str:
    return url_for(endpoint, **values, **{"from": first, "to": last})


def presets() -> list[tuple[int, str, str]]:
    last = periods.shift(periods.of(clock.today()), -1)
    return [(months, periods.shift(last, 1 - months), last) for months in PRESETS]
