"""`flask seed-demo`: a realistic demo portfolio, built through the app's own code paths.

The users come from :func:`portal.accounts.create_user`, the portfolio (reference data,
suppliers, agreements, targets, links and 18 months of figures) from the portfolio importer,
so it is valid by construction; reviews, disputes, improvement actions and change records,
which the portfolio format does not carry, are added afterwards (:mod:`portal.demo_records`).
A seeded random generator makes the data the same for the same ``today``.
"""

from __future__ import annotations

import copy
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from contracts import accounts, clock, periods
from portal.demo import data as demo_data
from portal.demo import governance as demo_governance
from portal.demo import records as demo_records
from scorecards import portfolio

MONTHS = 18
DUE_DAY = 10  # the app's default; its DUE_DAY setting wins inside the app
SEED = 20000  # ISO/IEC 20000

DEMO_LOGINS: list[tuple[str, str, str]] = [
    (role, email, password) for role, email, password, _name, _supplier in demo_data.LOGINS
]


@dataclass(frozen=True)
class Revision:
    value: str
    status: str
    comment: str = ""
    reject_reason: str = ""


@dataclass(frozen=True)
class Profile:
    """How a supplier reports: % of months missed and late, gaps, last month's status."""

    miss_pct: int
    late_pct: int
    last_status: str | None = "accepted"  # None: last month not submitted yet
    skipped: frozenset[tuple[str | None, int]] = field(default_factory=frozenset)


PROFILES = {
    "UC-HUAWEI-NET": Profile(8, 10, "submitted"),
    "SUB-SHWL-FIELD": Profile(15, 30, "submitted", frozenset({("FTF", 7)})),
    "OLA-NETOPS": Profile(12, 5, "submitted"),
    "UC-CLOUDCO-CRM": Profile(6, 5),
    "SUB-SZDC-COLO": Profile(3, 10),
    "UC-SZDC-DC": Profile(5, 10, "submitted"),
    "UC-CLOUDCO-DR": Profile(4, 0),
    "UC-NORTHWIND-SD-1": Profile(25, 50, skipped=frozenset({(None, 4)})),
    "UC-NORTHWIND-SD-2": Profile(30, 50, None, frozenset({(None, 13)})),
}

# Scripted revisions of (agreement, metric, window month): rejections, corrections, the
# outage that breached a customer commitment.
EVENTS: dict[tuple[str, str, int], list[Revision]] = {
    ("UC-HUAWEI-NET", "AVAIL", 14): [
        Revision("99.93", "rejected", "Planned maintenance on the 14th excluded.",
                 "The outage on the 14th was not an approved maintenance window (no change "
                 "record); resubmit including it."),
        Revision("99.71", "accepted", "Corrected: includes the 3.5 h core switch outage "
                 "(INC-20417), which was not a planned window."),
    ],
    ("UC-CLOUDCO-CRM", "P1_RESOLVE", 12): [
        Revision("6.5", "accepted", "Database failover took longer than the runbook states."),
        Revision("3.8", "rejected", "Clock stopped while waiting for the customer's approval.",
                 "The contract has no clock-stop for customer approval; the 6.5 h figure "
                 "stands."),
    ],
    ("UC-SZDC-DC", "BACKUP_OK", 10): [
        Revision("97.80", "accepted", "存储阵列故障导致 12 个作业失败。"),
        Revision("99.62", "accepted", "更正：12 个失败作业已在备份窗口内重跑成功 (CHG-2231)。"),
    ],
    ("SUB-SHWL-FIELD", "FTF", 11): [
        Revision("91.0", "rejected", "按派工单统计。",
                 "Figure counts dispatches, not tickets; repeat visits are missing. Please "
                 "recount from the ticket system."),
        Revision("83.5", "accepted", "更正：按工单系统重新统计，含二次上门。"),
    ],
}  # fmt: skip


@dataclass(frozen=True)
class MetricShape:
    """How demo values of a metric look: step (precision), spread of good and bad months."""

    step: Decimal
    good: Decimal  # higher: up to target + good (max 100); lower: down to target × good
    bad: Decimal  # higher: down to target − bad; lower: up to target × bad


SHAPES = {
    "AVAIL": MetricShape(Decimal("0.01"), Decimal("1"), Decimal("0.5")),
    "BACKUP_OK": MetricShape(Decimal("0.01"), Decimal("1"), Decimal("2.5")),
    "FTF": MetricShape(Decimal("0.1"), Decimal("9"), Decimal("9")),
    "P1_RESOLVE": MetricShape(Decimal("0.1"), Decimal("0.35"), Decimal("2")),
    "RESPONSE": MetricShape(Decimal("1"), Decimal("0.3"), Decimal("2")),
}
DIRECTIONS = {metric["code"]: metric["direction"] for metric in demo_data.METRICS}

MISS_COMMENTS = {
    "AVAIL": ["Unplanned outage, see incident report.", "电源切换故障，已提交根因分析。"],
    "BACKUP_OK": ["Storage array fault; failed jobs re-run next night.", "备份窗口超时。"],
    "FTF": ["Parts shortage for access switches.", "New staff in training this month."],
    "P1_RESOLVE": ["Vendor escalation needed for one P1.", "一次 P1 需等待备件。"],
    "RESPONSE": ["Call volume spike after the CRM release.", "Telephony outage for 2 h."],
}


def seed_demo(session: Session, *, today: date | None = None) -> list[tuple[str, str, str]]:
    """Load the demo portfolio and its users; flushes, never commits. Returns DEMO_LOGINS."""
    today = today or clock.today()
    first = demo_data.month_start(today.replace(day=1), -MONTHS)
    rng = random.Random(SEED)
    _create_staff(session)
    portfolio.import_portfolio(session, build_document(first, today, rng), due_day=_due_day())
    _create_supplier_users(session)
    _add_records(session, first, today)
    session.flush()
    return DEMO_LOGINS


def _due_day() -> int:
    return current_app.config["DUE_DAY"] if has_app_context() else DUE_DAY


def _create_staff(session: Session) -> None:
    """The provider's own users; they own suppliers and agreements in the portfolio."""
    for role, email, password, name, _supplier in demo_data.LOGINS:
        if role == "supplier":
            continue  # bound to a supplier: created once the suppliers exist
        accounts.create_user(session, email, role, password, name=name)


def _create_supplier_users(session: Session) -> None:
    """The supplier login and the suppliers' other staff (who have no printed password)."""
    for role, email, password, name, supplier_code in demo_data.LOGINS:
        if role == "supplier":
            accounts.create_user(
                session, email, role, password, supplier_code=supplier_code, name=name
            )
    for email, name, supplier_code in demo_data.SUPPLIER_STAFF:
        accounts.create_user(
            session, email, "supplier", secrets.token_urlsafe(18),
            supplier_code=supplier_code, name=name,
        )  # fmt: skip


def build_document(first: date, today: date, rng: random.Random) -> dict[str, Any]:
    """The demo portfolio in the SPEC section 5 format, figures in submission order."""
    agreements = demo_data.agreements(first)
    # Figures are drawn around the targets as they stand today; the agreements then go in
    # with their values before the demo's changes, which the seed makes afterwards.
    measurements = _measurements(agreements, first, today, rng)
    demo_records.before_changes(agreements)
    return {
        "format": "underpin-portfolio/1",
        "metrics": copy.deepcopy(demo_data.METRICS),
        "customers": copy.deepcopy(demo_data.CUSTOMERS),
        "services": copy.deepcopy(demo_data.SERVICES),
        "suppliers": copy.deepcopy(demo_data.SUPPLIERS),
        "agreements": agreements,
        "measurements": measurements,
    }


def _measurements(
    agreements: list[dict[str, Any]], first: date, today: date, rng: random.Random
) -> list[dict[str, Any]]:
    rows: list[tuple[datetime, dict[str, Any]]] = []
    for agreement in agreements:
        profile = PROFILES.get(agreement["ref"])
        if profile is None or agreement["status"] == "draft":
            continue
        for offset in _months_in_term(agreement, first):
            for target in agreement["targets"]:
                rows += _figures(agreement["ref"], target, offset, profile, first, today, rng)
    rows.sort(key=lambda row: row[0])  # stable: a month's revisions keep their order
    return [row for _at, row in rows]


def _months_in_term(agreement: dict[str, Any], first: date) -> list[int]:
    start, end = date.fromisoformat(agreement["start"]), date.fromisoformat(agreement["end"])
    return [
        offset
        for offset in range(MONTHS)
        if start <= demo_data.month_end(first, offset)
        and end >= demo_data.month_start(first, offset)
    ]


def _figures(
    ref: str,
    target: dict[str, Any],
    offset: int,
    profile: Profile,
    first: date,
    today: date,
    rng: random.Random,
) -> list[tuple[datetime, dict[str, Any]]]:
    metric = target["metric"]
    last = offset == MONTHS - 1
    # Draw every month, used or not, so one scripted change does not reshuffle the rest.
    met = rng.randrange(100) >= profile.miss_pct
    late = rng.randrange(100) < profile.late_pct
    value = _value(rng, metric, Decimal(target["target"]), met)
    comment = "" if met else rng.choice(MISS_COMMENTS[metric])
    at = _submitted_at(demo_data.month_start(first, offset + 1), late, today, rng)
    if (metric, offset) in profile.skipped or (None, offset) in profile.skipped:
        return []
    if last and profile.last_status is None:
        return []
    revisions = EVENTS.get((ref, metric, offset))
    if revisions is None:
        status = profile.last_status if last else "accepted"
        revisions = [Revision(str(value), status or "accepted", comment)]
    rows = []
    for revision in revisions:
        row = {
            "agreement": ref,
            "metric": metric,
            "service": target["service"],
            "period": periods.shift(periods.of(first), offset),
            "value": revision.value,
            "comment": revision.comment,
            "status": revision.status,
            "reject_reason": revision.reject_reason,
            "submitted_at": at.isoformat() + "Z",
        }
        rows.append((at, row))
        at += timedelta(days=4, hours=3)  # the next revision follows the review
    return rows


def _submitted_at(due_month: date, late: bool, today: date, rng: random.Random) -> datetime:
    """A submission time in the month after the period: by the 10th, or later when late."""
    day = rng.randrange(13, 25) if late else rng.randrange(2, 10)
    moment = time(rng.randrange(8, 18), rng.randrange(60))
    if due_month >= today.replace(day=1):  # the month in progress: nothing from the future
        if today.day == 1:
            day, moment = 1, moment.replace(hour=0)
        day = max(1, min(day, today.day - 1))
    return datetime.combine(due_month.replace(day=day), moment)


def _value(rng: random.Random, metric: str, target: Decimal, met: bool) -> Decimal:
    shape = SHAPES[metric]
    if DIRECTIONS[metric] == "higher":
        ceiling = min(Decimal("100"), target + shape.good)
        low, high = (target, ceiling) if met else (target - shape.bad, target - shape.step)
    else:
        low, high = (
            (target * shape.good, target) if met else (target + shape.step, target * shape.bad)
        )
    low = max(Decimal("0"), low.quantize(shape.step, ROUND_UP))
    high = high.quantize(shape.step, ROUND_DOWN)
    steps = int((high - low) / shape.step)
    return low + shape.step * rng.randint(0, max(0, steps))


def _add_records(session: Session, first: date, today: date) -> None:
    """What the portfolio format does not carry: reviews of figures, contract reviews, change
    records, evidence files, disputes and improvement actions."""
    records = demo_records.Records(session, first, today)
    records.review_figures()
    records.reviews()
    records.changes()
    records.evidence()
    demo_governance.disputes(records)
    demo_governance.actions(records)
    session.flush()
