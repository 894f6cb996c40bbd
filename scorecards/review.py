"""Reviewing submitted figures: accept, or reject with a reason; the review queue.

A figure is a (target, month); each submission of it is a revision, never overwritten. The
revision under review is the figure's current one (SPEC section 2: its latest revision that is
not rejected). A ``submitted`` revision with a later revision that is not rejected is
*superseded*: the supplier has replaced it, so it is neither accepted nor rejected on its own
and the queue shows it only in its figure's history. That is decided when the data is read;
stored statuses stay as they were, so the record of what was submitted stays untouched. When a
correction is rejected, the revision it would have replaced is current again and waits for
review again.

Only a revision whose status is ``submitted`` and that is not superseded can be reviewed. A
request reviews one or many revisions all or nothing: any refused revision refuses the whole
batch before anything is changed. Functions flush, never commit; the audit log records each
change by itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, exists, func, select, tuple_
from sqlalchemy.orm import Session, aliased, contains_eager, selectinload

from contracts.errors import DomainError
from contracts.models import Agreement, Metric, Supplier, Target
from scorecards.measurements import current_revisions, standing, stands
from scorecards.models import Measurement

REASON_MAX = 2000


class NotReviewable(DomainError):
    """A revision that does not wait for review (already accepted or rejected, or superseded)."""


class Superseded(NotReviewable):
    """A submitted revision that a later revision (not rejected) of the same figure replaces."""


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
    measurements = [found[measurement_id] for measurement_id in ids]
    newer = current_revisions(session, measurements)
    for measurement in measurements:
        newest = newer.get((measurement.target_id, measurement.period), 0)
        if newest > measurement.revision:
            raise Superseded(
                _l(
                    "Figure %(id)s is revision %(revision)d of its target and month, and "
                    "revision %(newest)d has replaced it; review revision %(newest)d instead.",
                    id=measurement.id,
                    revision=measurement.revision,
                    newest=newest,
                ),
                "ids",
            )
    return measurements


def superseded_ids(session: Session, measurements: Sequence[Measurement]) -> set[int]:
    """The ids of the submitted revisions among ``measurements`` that are superseded."""
    standing = current_revisions(session, measurements)
    return {
        measurement.id
        for measurement in measurements
        if measurement.status == "submitted"
        and standing.get((measurement.target_id, measurement.period), 0) > measurement.revision
    }


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
    """Accept submitted revisions; refuses the whole batch if any is not ``submitted`` or is
    superseded."""
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


def _waiting() -> ColumnElement[bool]:
    """A revision that waits for review: submitted, and no later revision of its figure that
    is not rejected (so at most one per target and month)."""
    later = aliased(Measurement)
    return and_(
        Measurement.status == "submitted",
        ~exists().where(
            later.target_id == Measurement.target_id,
            later.period == Measurement.period,
            later.revision > Measurement.revision,
            standing(later),
        ),
    )


def queue(filters: QueueFilters | None = None) -> Select[Any]:
    """One item per figure waiting for review: its current revision, with its target,
    agreement, supplier, metric and service loaded in the same statement (sortable by the
    columns of ``QUEUE_SORTS``)."""
    statement = (
        select(Measurement)
        .join(Measurement.target)
        .join(Target.agreement)
        .join(Supplier, Agreement.supplier)
        .join(Target.metric)
        .join(Target.service)
        .where(_waiting())
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


@dataclass(frozen=True)
class PastRevision:
    """Another revision of a queued figure, with its status as shown: ``superseded`` for a
    submitted revision that a later one replaced."""

    id: int
    revision: int
    value: Decimal
    status: str  # submitted, accepted, rejected or superseded
    reject_reason: str
    late: bool
    submitted_at: datetime


def shown_statuses(revisions: Sequence[Measurement]) -> dict[int, str]:
    """The status of each revision of one figure as people see it: a submitted revision with a
    later revision that is not rejected is ``superseded``."""
    shown: dict[int, str] = {}
    replaced = False
    for revision in sorted(revisions, key=lambda measurement: -measurement.revision):
        shown[revision.id] = (
            "superseded" if replaced and revision.status == "submitted" else (revision.status)
        )
        replaced = replaced or stands(revision.status)
    return shown


def history(session: Session, measurements: Sequence[Measurement]) -> dict[int, list[PastRevision]]:
    """For each queued revision, the other revisions of the same (target, period), newest
    first (earlier ones, and later corrections that were rejected); one query for the page."""
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
    result = {}
    for measurement in measurements:
        revisions = by_key[(measurement.target_id, measurement.period)]
        shown = shown_statuses(revisions)
        result[measurement.id] = [
            PastRevision(
                revision.id,
                revision.revision,
                revision.value,
                shown[revision.id],
                revision.reject_reason,
                revision.late,
                revision.submitted_at,
            )
            for revision in revisions
            if revision.id != measurement.id
        ]
    return result


def waiting_count(session: Session) -> int:
    """How many figures wait for review (one per target and month)."""
    return session.scalar(select(func.count()).select_from(Measurement).where(_waiting())) or 0
