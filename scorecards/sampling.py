"""Audit sampling: a reproducible random sample of accepted figures, with their evidence and
revision history, for an ISO/IEC 20000 auditor to test.

The same seed, size and population always give the same sample: the population is the accepted
revisions in a stable order (by id), and ``random.Random(seed)`` picks from it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session, selectinload

from contracts.models import Agreement, Target
from scorecards.models import Measurement

MAX_SAMPLE = 1000


@dataclass(frozen=True)
class HistoryEntry:
    revision: int
    status: str
    value: Decimal
    submitted_at: datetime
    reject_reason: str


@dataclass(frozen=True)
class SampledFigure:
    number: int  # 1-based position in the sample
    measurement: Measurement
    history: list[HistoryEntry]


def population(first: str | None = None, last: str | None = None) -> Select[int]:
    statement = select(Measurement.id).where(Measurement.status == "accepted")
    if first:
        statement = statement.where(Measurement.period >= first)
    if last:
        statement = statement.where(Measurement.period <= last)
    return statement.order_by(Measurement.id)


def draw(
    session: Session, *, seed: int, size: int, first: str | None = None, last: str | None = None
) -> tuple[int, list[SampledFigure]]:
    """The population's size and the sample (in the order drawn)."""
    ids = list(session.scalars(population(first, last)))
    chosen = random.Random(seed).sample(ids, min(size, len(ids), MAX_SAMPLE))
    if not chosen:
        return len(ids), []
    figures = {
        m.id: m
        for m in session.scalars(
            select(Measurement)
            .where(Measurement.id.in_(chosen))
            .options(
                selectinload(Measurement.target).options(
                    selectinload(Target.agreement).selectinload(Agreement.supplier),
                    selectinload(Target.metric),
                    selectinload(Target.service),
                ),
                selectinload(Measurement.evidence),
                selectinload(Measurement.submitted_by),
                selectinload(Measurement.reviewed_by),
            )
        )
    }
    keys = {(m.target_id, m.period) for m in figures.values()}
    history: dict[tuple[int, str], list[HistoryEntry]] = defaultdict(list)
    for revision in session.scalars(
        select(Measurement)
        .where(tuple_(Measurement.target_id, Measurement.period).in_(list(keys)))
        .order_by(Measurement.revision)
    ):
        history[(revision.target_id, revision.period)].append(
            HistoryEntry(
                revision.revision,
                revision.status,
                revision.value,
                revision.submitted_at,
                revision.reject_reason,
            )
        )
    return len(ids), [
        SampledFigure(
            number,
            figures[measurement_id],
            history[(figures[measurement_id].target_id, figures[measurement_id].period)],
        )
        for number, measurement_id in enumerate(chosen, start=1)
    ]
