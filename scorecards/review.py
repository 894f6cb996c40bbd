"""Reviewing submitted figures: accept, or reject with a reason; the review queue.

Only a revision whose status is ``submitted`` can be reviewed. A request reviews one or many
revisions all or nothing: any refused revision refuses the whole batch before anything is
changed. Functions flush, never commit; the audit log records each change by itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session, contains_eager, selectinload

from contracts.errors import DomainError
from contracts.models import Agreement, Metric, Supplier, Target
from scorecards.models import Measurement

REASON_MAX = 2000


class NotReviewable(DomainError):
    """A revision that does not wait for review (already accepted or rejected)."""


class UnknownFigure(DomainError):
    """A revision id that does not exist, or that the reviewer may not see."""


def _load(session: Session, measurement_ids: Sequence[int]) -> list[Measurement]:
    ids = list(dict.fromkeys(measurement_ids))
    if not ids:
        raise DomainError(_l("Choose at least one figure."), "ids")
    found = {
        measurement.id: measurement
        for measurement in session.scalars(
            select(Measurement).where(Measurement.id.in_(ids)).with_for_update()
        )
    }
    missing = [str(measurement_id) for measurement_id in ids if measurement_id not in found]
    if missing:
        raise UnknownFigure(_l("No figure %(ids)s to review.", ids=", ".join(missing)), "ids")
    done = [found[i] for i in ids if found[i].status != "submitted"]
    if done:
        raise NotReviewable(
            _l(
                "Figure %(id)s is already %(status)s; only submitted figures can be reviewed.",
                id=done[0].id,
                status=done[0].status,
            ),
            "ids",
        )
    return [found[measurement_id] for measurement_id in ids]


def _record(
    measurements: Iterable[Measurement], status: str, reason: str, actor: Any, now: datetime
) -> None:
    for measurement in measurements:
        measurement.status = status
        measurement.reject_reason = reason
        measurement.reviewed_by_id = actor.id
        measurement.reviewed_at = now


def accept(
    session: Session, measurement_ids: Sequence[int], *, actor: Any, now: datetime
) -> list[Measurement]:
    """Accept submitted revisions; refuses the whole batch if any is not ``submitted``."""
    measurements = _load(session, measurement_ids)
    _record(measurements, "accepted", "", actor, now)
    session.flush()
    return measurements


def reject(
    session: Session,
    measurement_ids: Sequence[int],
    reason: str | None,
    *,
    actor: Any,
    now: datetime,
) -> list[Measurement]:
    """Reject submitted revisions with a reason (required); the earlier value stays current."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for rejecting: the supplier sees it."), "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _l("The reason must be at most %(count)d characters.", count=REASON_MAX), "reason"
        )
    measurements = _load(session, measurement_ids)
    _record(measurements, "rejected", reason, actor, now)
    session.flush()
    return measurements


# ── The queue ────────────────────────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class QueueFilters:
    supplier: str | None = None  # supplier code
    agreement: str | None = None  # agreement ref
    period: str | None = None  # YYYY-MM


QUEUE_SORTS: dict[str, Any] = {
    "submitted": Measurement.submitted_at,
    "period": Measurement.period,
    "supplier": Supplier.code,
    "agreement": Agreement.ref,
    "metric": Metric.code,
    "late": Measurement.late,
}


def queue(filters: QueueFilters | None = None) -> Select[Any]:
    """Revisions waiting for review, with their target, agreement, supplier, metric and service
    loaded in the same statement (sortable by the columns of ``QUEUE_SORTS``)."""
    statement = (
        select(Measurement)
        .join(Measurement.target)
        .join(Target.agreement)
        .join(Supplier, Agreement.supplier)
        .join(Target.metric)
        .join(Target.service)
        .where(Measurement.status == "submitted")
        .options(
            contains_eager(Measurement.target).options(
                contains_eager(Target.agreement).contains_eager(Agreement.supplier),
                contains_eager(Target.metric),
                contains_eager(Target.service),
            ),
            selectinload(Measurement.evidence),
            selectinload(Measurement.submitted_by),
        )
    )
    filters = filters or QueueFilters()
    if filters.supplier:
        statement = statement.where(Supplier.code == filters.supplier)
    if filters.agreement:
        statement = statement.where(Agreement.ref == filters.agreement)
    if filters.period:
        statement = statement.where(Measurement.period == filters.period)
    return statement


def previous_revisions(
    session: Session, measurements: Sequence[Measurement]
) -> dict[int, list[Measurement]]:
    """For each revision, the earlier revisions of the same (target, period), newest first;
    one query for the whole page."""
    keys = {(measurement.target_id, measurement.period) for measurement in measurements}
    if not keys:
        return {}
    by_key: dict[tuple[int, str], list[Measurement]] = defaultdict(list)
    for revision in session.scalars(
        select(Measurement)
        .where(tuple_(Measurement.target_id, Measurement.period).in_(keys))
        .order_by(Measurement.revision.desc())
    ):
        by_key[(revision.target_id, revision.period)].append(revision)
    return {
        measurement.id: [
            revision
            for revision in by_key[(measurement.target_id, measurement.period)]
            if revision.revision < measurement.revision
        ]
        for measurement in measurements
    }


def waiting_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Measurement).where(Measurement.status == "submitted")
        )
        or 0
    )
