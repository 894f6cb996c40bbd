"""Scorecard pages: the portfolio overview and a supplier's scorecard.

The numbers come from ``scorecards.overview`` and ``scorecards.scorecard`` (SPEC section 3);
this module only chooses the window, scopes the supplier to the user, sorts and filters the
overview, and shapes values for display (Decimal, half-up, 2 places: as the JSON edge).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from contracts.errors import DomainError
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Supplier
from contracts.values import format_decimal
from portal import scoring
from portal.extensions import db
from portal.listing import Listing
from portal.permissions import can, supplier_binding, visible_scorecard
from scorecards import periods, scorecard
from scorecards.overview import SupplierLine, portfolio_overview
from scorecards.scoring import MonthResult, TargetResult, rating

bp = Blueprint("scorecards", __name__)

LABELS: dict[str, dict[str, Any]] = {
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
    "recommendation": {
        "renew": _l("Renew"),
        "renew_with_conditions": _l("Renew with conditions"),
        "renegotiate_or_exit": _l("Renegotiate or exit"),
    },
}

# Sort keys of the overview; ``None`` (no score) always goes last, whatever the direction.
SORTS: dict[str, Callable[[SupplierLine], Any]] = {
    "score": lambda line: line.score,
    "name": lambda line: line.name.casefold(),
    "credits": lambda line: line.credits,
    "missing": lambda line: line.missing,
}
PRESETS = (3, 6, 12, 24)  # window lengths offered beside the picker, ending last month


@bp.before_request
@login_required
def _readers_only() -> None:
    if not can(current_user, "view_scorecards"):
        abort(403)


@bp.context_processor
def _scorecard_helpers() -> dict[str, object]:
    return {
        "labels": LABELS,
        "number": number,
        "value_text": value_text,
        "money": money,
        "sign": sign,
        "month_cells": month_cells,
        "sparkline": sparkline,
        "chart_values": chart_values,
        "presets": presets(),
        "thresholds": scoring.thresholds(),
        "month_start": periods.first_day,
        "precise": precise,
        "window_url": window_url,
    }


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
    lines = portfolio_overview(db.session, first, last, thresholds=scoring.thresholds())
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
    found = scoring.visible_supplier(current_user, code)
    if found is None or not can(current_user, "view_scorecards", found):
        abort(404)
    return found


def _window() -> tuple[str, str]:
    return scoring.window(request.args.get("from"), request.args.get("to"), date.today())


def _window_args() -> dict[str, str]:
    return {name: request.args[name] for name in ("from", "to") if request.args.get(name)}


def _build(found: Supplier, first: str, last: str) -> scorecard.Scorecard:
    """The scorecard as the current user may see it (a supplier's user: no customer impact,
    no renewal recommendation)."""
    card = scorecard.build(
        db.session, found, first, last, today=date.today(), thresholds=scoring.thresholds()
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
    last = periods.shift(periods.of(date.today()), -1)
    return [(months, periods.shift(last, 1 - months), last) for months in PRESETS]


# ── Display ───────────────────────────────────────────────────────────────────────────────
def number(value: Decimal | None, places: int = 2) -> str:
    """Half-up to ``places`` decimals, grouped by thousands; a dash for no value."""
    if value is None:
        return "—"
    return format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), ",f")


def value_text(value: Decimal | None) -> str:
    """A measured value as it was entered (``99.950`` → ``99.95``)."""
    return "—" if value is None else format_decimal(value)


def precise(value: Decimal) -> str:
    """A composed chain value to 4 places: 99.8995 must not read as the 99.9 it misses."""
    return format_decimal(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def money(value: Decimal, currencies: set[str] | None) -> str:
    if currencies and len(currencies) == 1:
        return f"{number(value)} {next(iter(currencies))}"
    return number(value)


def sign(direction: str) -> str:
    return "≥" if direction == "higher" else "≤"


@dataclass(frozen=True)
class Cell:
    period: str
    month: MonthResult | None  # None: the target is not due that month


def month_cells(result: TargetResult, months: list[str]) -> list[Cell]:
    by_period = {month.period: month for month in result.months}
    return [Cell(period, by_period.get(period)) for period in months]


def chart_values(result: TargetResult, months: list[str]) -> dict[str, str]:
    """The trend chart's data, as ``data-*`` attributes (CSP allows no inline script)."""
    cells = month_cells(result, months)
    return {
        "months": ",".join(months),
        "series": ",".join(
            value_text(cell.month.value) if cell.month and cell.month.value is not None else ""
            for cell in cells
        ),
        "statuses": ",".join(cell.month.status if cell.month else "" for cell in cells),
        "target": value_text(result.target.target),
    }


@dataclass(frozen=True)
class Spark:
    """A small inline SVG of the monthly scores (0–100), drawn on the server."""

    width: int
    height: int
    segments: list[str]  # polyline point lists, broken where a month has no score
    points: list[tuple[str, str, str, str, str]]  # x, y, month, rating, score
    green_y: str
    amber_y: str


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 112, 34, 4


def _floor(scores: Iterable[Decimal]) -> Decimal:
    """The bottom of the scale: 50, or lower in steps of 10 when a month scored lower, so the
    differences that matter (80–100) are not squeezed into a few pixels."""
    lowest = min(scores, default=Decimal(100))
    return min(Decimal(50), (lowest // 10) * 10)


def _y(score: Decimal, floor: Decimal) -> str:
    inner = Decimal(SPARK_HEIGHT - 2 * SPARK_PAD)
    clamped = min(max(score, floor), Decimal(100))
    return number(SPARK_PAD + (Decimal(100) - clamped) * inner / (100 - floor), 1).replace(",", "")


def sparkline(trend: list[tuple[str, Decimal | None]]) -> Spark:
    thresholds = scoring.thresholds()
    step = Decimal(SPARK_WIDTH - 2 * SPARK_PAD) / max(len(trend) - 1, 1)
    floor = _floor(score for _, score in trend if score is not None)
    segments: list[list[str]] = [[]]
    points = []
    for index, (month, score) in enumerate(trend):
        if score is None:
            segments.append([])
            continue
        x = number(SPARK_PAD + step * index, 1).replace(",", "")
        y = _y(score, floor)
        segments[-1].append(f"{x},{y}")
        points.append((x, y, month, rating(score, thresholds), number(score)))
    return Spark(
        SPARK_WIDTH,
        SPARK_HEIGHT,
        [" ".join(segment) for segment in segments if len(segment) > 1],
        points,
        _y(thresholds.green, floor),
        _y(thresholds.amber, floor),
    )
