"""What a supplier must submit for a month: its due targets with what is known about each.

Which targets are due is ``contracts.due``'s rule; which revision is current,
``scorecards.measurements``'. Two queries, whatever the number of targets: the due targets,
then every revision of this month and last month. The monthly form, the dashboard's tile and
the notices all read ``DueFigure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts import due, periods
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Metric, Service, Target
from scorecards.measurements import stands
from scorecards.models import Evidence, Measurement


@dataclass(frozen=True)
class SubmittedFigure:
    """The latest revision of a figure, whatever its status."""

    id: int
    revision: int
    value: Decimal
    comment: str
    status: str
    reject_reason: str
    late: bool
    submitted_at: datetime
    evidence_id: int | None
    evidence_name: str | None


@dataclass(frozen=True)
class DueFigure:
    target_id: int
    agreement: str
    agreement_title: str
    service: str
    service_name: str
    metric: str
    metric_name: str
    unit: str
    direction: str  # higher | lower is better
    target: Decimal
    last_month: Decimal | None  # last month's current value
    current: Decimal | None  # this month's current value (latest revision not rejected)
    latest: SubmittedFigure | None  # this month's latest revision
    overdue: bool = False  # nothing has arrived and the due date has passed

    @property
    def key(self) -> str:
        return f"{self.agreement}/{self.metric}/{self.service}"

    @property
    def status(self) -> str:
        """The latest revision's: submitted, accepted, rejected; or ``missing``."""
        return self.latest.status if self.latest else "missing"

    @property
    def reject_reason(self) -> str:
        return self.latest.reject_reason if self.latest else ""

    @property
    def late(self) -> bool:
        """The latest revision arrived after the due date, or none arrived by then."""
        return self.latest.late if self.latest else self.overdue

    @property
    def needs_action(self) -> bool:
        """No current value (nothing sent, or every revision rejected): the supplier has to
        send a figure. A rejected correction leaves the earlier value current."""
        return self.current is None

    @property
    def correction_rejected(self) -> bool:
        return self.status == "rejected" and self.current is not None

    @property
    def flagged(self) -> bool:
        """Worth showing although nothing is owed: late, or a correction was rejected."""
        return self.late or self.correction_rejected


@dataclass(frozen=True)
class MonthDue:
    period: str
    due_on: date
    figures: list[DueFigure]

    @property
    def missing(self) -> int:
        """Figures still without a current value: what the supplier has to send."""
        return sum(1 for figure in self.figures if figure.needs_action)

    @property
    def late(self) -> int:
        return sum(1 for figure in self.figures if figure.late)


def due_figures(
    session: Session,
    supplier_id: int,
    period: str,
    *,
    due_day: int = 10,
    today: date | None = None,
) -> MonthDue:
    """Every target of the supplier's own agreements that is due in ``period``; with ``today``,
    a figure that has not arrived by its due date is ``late``."""
    due_on = due.figure_due_on(period, due_day)
    overdue = today is not None and today > due_on
    targets = (
        select(Target.id)
        .join(Target.agreement)
        .where(
            Agreement.supplier_id == supplier_id,
            Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS),
            due.due_in(period),
        )
    )
    rows = session.execute(
        select(Target, Agreement, Metric, Service)
        .join(Target.agreement)
        .join(Target.metric)
        .join(Target.service)
        .where(Target.id.in_(targets))
        .order_by(Agreement.ref, Metric.code, Service.code)
    ).all()
    previous = periods.shift(period, -1)
    revisions = session.execute(
        select(Measurement, Evidence.filename)
        .outerjoin(Evidence, Measurement.evidence_id == Evidence.id)
        .where(Measurement.target_id.in_(targets), Measurement.period.in_((previous, period)))
        .order_by(Measurement.revision)
    ).all()
    latest: dict[tuple[int, str], tuple[Measurement, str | None]] = {}
    current: dict[tuple[int, str], Decimal] = {}
    for measurement, filename in revisions:  # ascending revisions: the last one wins
        key = (measurement.target_id, measurement.period)
        latest[key] = (measurement, filename)
        if stands(measurement.status):
            current[key] = measurement.value
    figures = [
        DueFigure(
            target_id=target.id,
            agreement=agreement.ref,
            agreement_title=agreement.title,
            service=service.code,
            service_name=service.name,
            metric=metric.code,
            metric_name=metric.name,
            unit=metric.unit,
            direction=metric.direction,
            target=target.target,
            last_month=current.get((target.id, previous)),
            current=current.get((target.id, period)),
            latest=_submitted(latest.get((target.id, period))),
            overdue=overdue,
        )
        for target, agreement, metric, service in rows
    ]
    return MonthDue(period, due_on, figures)


def _submitted(found: tuple[Measurement, str | None] | None) -> SubmittedFigure | None:
    if found is None:
        return None
    measurement, filename = found
    return SubmittedFigure(
        id=measurement.id,
        revision=measurement.revision,
        value=measurement.value,
        comment=measurement.comment,
        status=measurement.status,
        reject_reason=measurement.reject_reason,
        late=measurement.late,
        submitted_at=measurement.submitted_at,
        evidence_id=measurement.evidence_id,
        evidence_name=filename,
    )
