"""Submitting monthly figures: one path for the web form, CSV/XLSX files, the CLI and the API.

``submit`` validates every figure and stores each as a new revision (never an overwrite),
all or nothing: when any figure is refused, ``SubmissionRefused`` lists every problem with its
location (row, list index) and field, and the caller rolls back. Figures are checked against a
catalogue of the targets the submitter may report on, loaded in a few queries; revisions are
numbered per batch with one query, so a 100,000-row file costs no query per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from contracts import due, periods
from contracts.db import bulk_insert
from contracts.errors import DomainError, Problem
from contracts.models import SUPPLIER_AGREEMENT_KINDS, Agreement, Metric, Service, Target
from contracts.values import InvalidValue, check_in_range, parse_decimal
from scorecards.models import Measurement

MAX_COMMENT = 4000
BATCH = 2000
FIELDS = ("agreement", "service", "metric", "period", "value", "comment")


@dataclass(frozen=True)
class Figure:
    """One figure as submitted: raw values, and where it came from (``row 3``, ``[2]``)."""

    location: str
    agreement: Any
    metric: Any
    service: Any
    period: Any
    value: Any
    comment: Any = ""
    evidence_id: int | None = None


@dataclass(frozen=True)
class FigureProblem(Problem):
    """A problem with one figure: ``location`` names the figure (a form row's target id, a
    file's row, a JSON body's ``[2]``), ``field`` the field of it."""

    location: str = ""
    not_found: bool = False  # the agreement is unknown or not the submitter's

    @property
    def key(self) -> str:
        if not self.location:
            return self.field or "_body"
        return f"{self.location}.{self.field}" if self.field else self.location

    def __str__(self) -> str:
        return f"{self.location}, {self.field}: {self.message}"


class SubmissionRefused(DomainError):
    """Figures refused, all or nothing: ``problems`` lists each one's problems."""

    def __init__(self, problems: list[FigureProblem]) -> None:
        super().__init__(problems=problems)
        self.figure_problems = problems


@dataclass(frozen=True)
class SaneRange:
    """What checking a value needs of its metric (``contracts.values.RangedMetric``)."""

    unit: str
    min_value: Decimal | None
    max_value: Decimal | None


@dataclass(frozen=True)
class Slot:
    """A target the submitter may report on, with what checking a figure needs."""

    target_id: int
    agreement: str
    status: str
    start: date
    end: date
    metric: SaneRange


@dataclass
class Catalogue:
    slots: dict[tuple[str, str, str], Slot] = field(default_factory=dict)
    services: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)


def load_catalogue(session: Session, supplier_id: int | None) -> Catalogue:
    """Targets of the supplier's own agreements (every supplier agreement for staff), in two
    statements of plain columns: a file may name any of thousands of targets."""
    agreements = select(Agreement.id).where(Agreement.kind.in_(SUPPLIER_AGREEMENT_KINDS))
    if supplier_id is not None:
        agreements = agreements.where(Agreement.supplier_id == supplier_id)
    catalogue = Catalogue()
    for ref, kind in session.execute(
        select(Agreement.ref, Agreement.kind).where(Agreement.id.in_(agreements))
    ):
        catalogue.kinds[ref] = kind
        catalogue.services[ref] = []
    rows = session.execute(
        select(
            Target.id,
            Agreement.ref,
            Agreement.status,
            Agreement.start,
            Agreement.end,
            Metric.code,
            Metric.unit,
            Metric.min_value,
            Metric.max_value,
            Service.code,
        )
        .join(Target.agreement)
        .join(Target.metric)
        .join(Target.service)
        .where(Agreement.id.in_(agreements))
    )
    ranges: dict[tuple[Any, ...], SaneRange] = {}
    for target_id, ref, status, start, end, metric, unit, low, high, service in rows:
        sane = ranges.setdefault((unit, low, high), SaneRange(unit, low, high))
        catalogue.slots[(ref, metric, service)] = Slot(target_id, ref, status, start, end, sane)
        if service not in catalogue.services[ref]:
            catalogue.services[ref].append(service)
    return catalogue


@dataclass
class Checked:
    slot: Slot
    period: str
    value: Decimal
    comment: str
    evidence_id: int | None


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


class _Checker:
    def __init__(self, catalogue: Catalogue, now: datetime) -> None:
        self.catalogue = catalogue
        self.this_month = periods.of(now.date())
        self.seen: dict[tuple[int, str], str] = {}
        self.problems: list[FigureProblem] = []

    def fail(self, figure: Figure, name: str, message: Any, not_found: bool = False) -> None:
        self.problems.append(FigureProblem(str(message), name, figure.location, not_found))

    def check(self, figure: Figure) -> Checked | None:
        ref, metric, service = _text(figure.agreement), _text(figure.metric), _text(figure.service)
        slot = self._slot(figure, ref, metric, service)
        period = self._period(figure, slot)
        value = self._value(figure, slot)
        comment = "" if figure.comment is None else str(figure.comment)
        if len(comment) > MAX_COMMENT:
            self.fail(
                figure, "comment", _l("must be at most %(count)d characters", count=MAX_COMMENT)
            )
            return None
        if slot is None or period is None or value is None:
            return None
        first = self.seen.setdefault((slot.target_id, period), figure.location)
        if first != figure.location:
            self.fail(
                figure,
                "period",
                _l("repeats the figure of %(location)s for this target and month", location=first),
            )
            return None
        return Checked(slot, period, value, comment.strip(), figure.evidence_id)

    def _slot(self, figure: Figure, ref: str, metric: str, service: str) -> Slot | None:
        if not ref:
            self.fail(figure, "agreement", _l("is required"))
            return None
        kind = self.catalogue.kinds.get(ref)
        if kind is None:
            self.fail(figure, "agreement", _l("unknown agreement %(ref)s", ref=ref), True)
            return None
        if not metric:
            self.fail(figure, "metric", _l("is required"))
            return None
        services = self.catalogue.services[ref]
        if not service:
            if len(services) != 1:
                self.fail(
                    figure,
                    "service",
                    _l(
                        "is required: %(ref)s covers several services (%(services)s)",
                        ref=ref,
                        services=", ".join(sorted(services)),
                    ),
                )
                return None
            service = services[0]
        slot = self.catalogue.slots.get((ref, metric, service))
        if slot is None:
            if not any(key[0] == ref and key[1] == metric for key in self.catalogue.slots):
                self.fail(
                    figure,
                    "metric",
                    _l("%(ref)s has no target for metric %(metric)s", ref=ref, metric=metric),
                )
            else:
                self.fail(
                    figure,
                    "service",
                    _l(
                        "%(ref)s has no %(metric)s target for service %(service)s",
                        ref=ref,
                        metric=metric,
                        service=service,
                    ),
                )
            return None
        if not due.owes_figures(slot.status):
            self.fail(figure, "agreement", _l("%(ref)s is a draft: no figures are due", ref=ref))
            return None
        return slot

    def _period(self, figure: Figure, slot: Slot | None) -> str | None:
        try:
            period = periods.parse_period(_text(figure.period))
        except InvalidValue as error:
            self.fail(figure, "period", error.message)
            return None
        if period > self.this_month:
            self.fail(figure, "period", _l("%(period)s has not begun yet", period=period))
            return None
        if slot is not None and not due.term_covers(slot.start, slot.end, period):
            self.fail(
                figure,
                "period",
                _l(
                    "%(period)s is outside the term of %(ref)s (%(start)s to %(end)s)",
                    period=period,
                    ref=slot.agreement,
                    start=slot.start.isoformat(),
                    end=slot.end.isoformat(),
                ),
            )
            return None
        return period

    def _value(self, figure: Figure, slot: Slot | None) -> Decimal | None:
        raw = figure.value
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            self.fail(figure, "value", _l("is required"))
            return None
        try:
            value = parse_decimal(raw)
            if slot is not None:
                check_in_range(slot.metric, value)
        except InvalidValue as error:
            self.fail(figure, "value", error.message)
            return None
        return value


@dataclass(frozen=True)
class Submitted:
    count: int
    late: int
    measurement_ids: list[int]


def submit(
    session: Session,
    figures: Iterable[Figure],
    *,
    supplier_id: int | None,
    user_id: int | None,
    now: datetime,
    due_day: int = 10,
) -> Submitted:
    """Check every figure and store each as a new revision; all or nothing.

    ``supplier_id`` confines the figures to that supplier's own agreements (a supplier's user);
    ``None`` allows any supplier agreement (an administrator, or the CLI without ``--as``).
    """
    checker = _Checker(load_catalogue(session, supplier_id), now)
    count = late = 0
    ids: list[int] = []
    for batch in _batches(figures):
        checked = [row for row in map(checker.check, batch) if row is not None]
        if checker.problems or not checked:
            continue  # go on checking, to report every problem; store nothing more
        stored = _store(session, checked, user_id=user_id, now=now, due_day=due_day)
        count += len(stored)
        late += sum(1 for _id, is_late in stored if is_late)
        ids.extend(id_ for id_, _late in stored)
    if checker.problems:
        raise SubmissionRefused(checker.problems)
    if count == 0:
        raise SubmissionRefused([FigureProblem(str(_l("there are no figures")), "figures")])
    return Submitted(count, late, ids)


def _batches(figures: Iterable[Figure]) -> Iterator[list[Figure]]:
    batch: list[Figure] = []
    for figure in figures:
        batch.append(figure)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(
    session: Session, checked: list[Checked], *, user_id: int | None, now: datetime, due_day: int
) -> list[tuple[int, bool]]:
    """Store the checked figures as new revisions; (id, late) of each, in order."""
    keys = [(row.slot.target_id, row.period) for row in checked]
    # Two submissions for the same target at once would both read the same highest revision.
    # A no-op write to the targets' rows locks them first (row locks on PostgreSQL, the write
    # lock on SQLite), so the second waits and then reads the first one's revision.
    targets = cast(Table, Target.__table__)
    session.execute(
        update(targets)
        .where(targets.c.id.in_(sorted({target_id for target_id, _ in keys})))
        .values(weight=targets.c.weight)
    )
    # The highest revision of each figure: targets IN (…) and months IN (…), which both
    # databases answer from the (target, period) index, then only the wanted pairs kept
    # (a row-value IN list of thousands of pairs is scanned, not looked up).
    wanted = set(keys)
    latest = {
        (target_id, period): revision
        for target_id, period, revision in session.execute(
            select(Measurement.target_id, Measurement.period, func.max(Measurement.revision))
            .where(
                Measurement.target_id.in_(sorted({target_id for target_id, _ in keys})),
                Measurement.period.in_(sorted({period for _, period in keys})),
            )
            .group_by(Measurement.target_id, Measurement.period)
        )
        if (target_id, period) in wanted
    }
    today = now.date()
    rows = [
        {
            "target_id": row.slot.target_id,
            "period": row.period,
            "revision": latest.get((row.slot.target_id, row.period), 0) + 1,
            "value": row.value,
            "comment": row.comment,
            "status": "submitted",
            "reject_reason": "",
            "late": today > due.figure_due_on(row.period, due_day),
            "submitted_at": now,
            "submitted_by_id": user_id,
            "reviewed_at": None,
            "reviewed_by_id": None,
            "evidence_id": row.evidence_id,
        }
        for row in checked
    ]
    # Through Core in a few multi-row statements (the audit log hears of them through
    # contracts.db's bulk listeners), not one ORM object per figure.
    table = cast(Table, Measurement.__table__)
    ids = bulk_insert(session, table, rows, key=("target_id", "period", "revision"))
    return [(id_, bool(row["late"])) for id_, row in zip(ids, rows, strict=True)]
