"""The portfolio JSON (SPEC section 5): import all or nothing, and export.

``import_portfolio`` checks the whole file first (the contracts part in ``contracts.portfolio``,
the measurements here) and raises ``PortfolioError`` with every problem and its path before
anything is added to the session. It flushes but never commits: the caller commits, or rolls
back after an error.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts import due, periods
from contracts.db import utcnow
from contracts.errors import DomainError, Problem
from contracts.models import Agreement, Metric, Service, Target
from contracts.portfolio import (
    FORMAT,
    SECTIONS,
    ContractsImport,
    TargetKey,
    export_contracts,
    read_contracts,
)
from contracts.values import (
    Entry,
    InvalidValue,
    check_in_range,
    format_decimal,
    format_timestamp,
    parse_decimal,
    parse_timestamp,
)
from scorecards.models import MEASUREMENT_STATUSES, Measurement

__all__ = ["PortfolioError", "Problem", "export_portfolio", "import_portfolio"]

MEASUREMENT_KEYS: tuple[str, ...] = (
    "agreement",
    "metric",
    "service",
    "period",
    "value",
    "comment",
    "status",
)
MEASUREMENT_KEYS += ("reject_reason", "submitted_at")
# "users" is written by the export for reference; import leaves accounts to the portal.
DOCUMENT_KEYS = ("format", *SECTIONS, "users")


class PortfolioError(DomainError):
    """A refused portfolio file; ``problems`` lists every error found, each with its path."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems=problems)


def import_portfolio(session: Session, document: Any, *, due_day: int = 10) -> str:
    """Import ``document`` and return a short summary of what was added.

    ``due_day`` is the day of the following month by which a figure is due (config DUE_DAY).
    """
    if not isinstance(document, dict):
        raise PortfolioError([Problem(str(_l("the portfolio must be one JSON object")), "")])
    problems: list[Problem] = []
    top = Entry(document, "", problems, DOCUMENT_KEYS)
    if top.given("format") and top.raw["format"] != FORMAT:
        top.problem("format", _l("must be %(format)s", format=FORMAT))
    contracts = read_contracts(session, top, problems)
    measurements = _read_measurements(session, contracts, top, due_day)
    if problems:
        raise PortfolioError(problems)
    counts = contracts.write(session)
    session.add_all(measurements)
    session.flush()
    counts["measurements"] = len(measurements)
    return _summary(counts)


def _summary(counts: dict[str, int]) -> str:
    labels = {
        "metrics": _ln("%(num)d metric", "%(num)d metrics", counts["metrics"]),
        "customers": _ln("%(num)d customer", "%(num)d customers", counts["customers"]),
        "services": _ln("%(num)d service", "%(num)d services", counts["services"]),
        "suppliers": _ln("%(num)d supplier", "%(num)d suppliers", counts["suppliers"]),
        "agreements": _ln("%(num)d agreement", "%(num)d agreements", counts["agreements"]),
        "targets": _ln("%(num)d target", "%(num)d targets", counts["targets"]),
        "links": _ln("%(num)d link", "%(num)d links", counts["links"]),
        "measurements": _ln("%(num)d measurement", "%(num)d measurements", counts["measurements"]),
    }
    return ", ".join(str(label) for label in labels.values())


def _read_measurements(
    session: Session, contracts: ContractsImport, top: Entry, due_day: int
) -> list[Measurement]:
    """Measurements in file order; that order numbers the revisions of a (target, period)."""
    latest_revision = _latest_revisions(session, contracts)
    now = utcnow()
    measurements = []
    for index, raw in enumerate(top.items("measurements")):
        entry = Entry(raw, f"measurements[{index}]", contracts.problems, MEASUREMENT_KEYS)
        key = contracts.find_target(entry)
        period = entry.value("period", periods.parse_period)
        value = entry.value("value", parse_decimal)
        submitted_at = entry.value("submitted_at", parse_timestamp, required=False, default=now)
        measurement = Measurement(
            period=period,
            value=value,
            comment=entry.text("comment", required=False, max_length=None, default=""),
            status=entry.choice("status", MEASUREMENT_STATUSES, default="submitted"),
            reject_reason=entry.text("reject_reason", required=False, max_length=None, default=""),
            submitted_at=submitted_at,
        )
        if key is None or not _fits_target(entry, contracts, key, period, value):
            continue
        measurement.target = contracts.targets[key]
        if period is not None:
            latest_revision[(key, period)] += 1
            measurement.revision = latest_revision[(key, period)]
            if submitted_at is not None:
                measurement.late = submitted_at.date() > due.figure_due_on(period, due_day)
        measurements.append(measurement)
    return measurements


def _latest_revisions(
    session: Session, contracts: ContractsImport
) -> dict[tuple[TargetKey, str], int]:
    """The highest revision stored per (target, period), so the file's revisions follow it."""
    latest: dict[tuple[TargetKey, str], int] = defaultdict(int)
    rows = session.execute(
        select(Measurement.target_id, Measurement.period, func.max(Measurement.revision)).group_by(
            Measurement.target_id, Measurement.period
        )
    )
    for target_id, period, revision in rows:
        latest[(contracts.existing_target_keys[target_id], period)] = revision
    return latest


def _fits_target(
    entry: Entry,
    contracts: ContractsImport,
    key: TargetKey,
    period: str | None,
    value: Decimal | None,
) -> bool:
    agreement = contracts.agreements[key[0]]
    fits = True
    if agreement.kind == "sla":
        entry.problem(
            "agreement",
            _l(
                "%(ref)s is a customer SLA; figures are submitted for supplier agreements",
                ref=key[0],
            ),
        )
        fits = False
    if value is not None:
        try:
            check_in_range(contracts.metrics[key[1]], value)
        except InvalidValue as error:
            entry.problem("value", error.message)
            fits = False
    start, end = agreement.start, agreement.end
    if period and start and end and not due.term_covers(start, end, period):
        entry.problem(
            "period",
            _l(
                "%(period)s is outside the term of %(ref)s (%(start)s to %(end)s)",
                period=period,
                ref=key[0],
                start=start.isoformat(),
                end=end.isoformat(),
            ),
        )
        fits = False
    return fits


def export_portfolio(session: Session) -> dict[str, Any]:
    """The whole portfolio, in a stable order; the portal adds ``users``."""
    document: dict[str, Any] = {"format": FORMAT, **export_contracts(session)}
    document["measurements"] = _export_measurements(session)
    return document


def _export_measurements(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Measurement, Agreement.ref, Metric.code, Service.code)
        .join(Measurement.target)
        .join(Target.agreement)
        .join(Target.metric)
        .join(Target.service)
        .order_by(
            Agreement.ref, Metric.code, Service.code, Measurement.period, Measurement.revision
        )
    )
    return [
        {
            "agreement": ref,
            "metric": metric,
            "service": service,
            "period": measurement.period,
            "value": format_decimal(measurement.value),
            "comment": measurement.comment,
            "status": measurement.status,
            "reject_reason": measurement.reject_reason,
            "submitted_at": format_timestamp(measurement.submitted_at),
        }
        for measurement, ref, metric, service in rows
    ]
