"""The current value of a figure: its latest revision that is not rejected (SPEC section 2).

A figure is a (target, month); each submission of it is a new revision, never overwritten. A
rejected revision never counts: the revision before it stays (or becomes) current again. This
module is the rule's one home, in Python (``stands``) and in SQL (``standing``), with the two
ways it is read in bulk (``current_values``, ``current_revisions``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, tuple_
from sqlalchemy.orm import Session

from scorecards.models import Measurement

REJECTED = "rejected"


def stands(status: str) -> bool:
    """Whether a revision with ``status`` can be its figure's current value."""
    return status != REJECTED


def standing(revision: Any = Measurement) -> ColumnElement[bool]:
    """SQL: the revision (``Measurement`` or an alias of it) can be its figure's current value."""
    return revision.status != REJECTED


def current_values(
    session: Session, target_ids: Select[Any], first: str, last: str
) -> dict[tuple[int, str], Decimal]:
    """The current value of each (target, month) in ``first``..``last``, for the targets
    selected by ``target_ids`` (a one-column SELECT).

    The revisions are read in (target, month, revision) order, which is the order of the
    unique index the scan walks; the last one read of each (target, month) is its current
    value. Cheaper than a window function over the same rows, on SQLite and on PostgreSQL.
    """
    rows = session.execute(
        select(Measurement.target_id, Measurement.period, Measurement.value)
        .where(
            standing(),
            Measurement.period >= first,
            Measurement.period <= last,
            Measurement.target_id.in_(target_ids),
        )
        .order_by(Measurement.target_id, Measurement.period, Measurement.revision)
    )
    # Later revisions overwrite earlier ones: the highest that is not rejected stays.
    return {(target_id, period): value for target_id, period, value in rows}


def current_revisions(
    session: Session, measurements: Iterable[Measurement]
) -> dict[tuple[int, str], int]:
    """For each (target, period) of ``measurements``, the number of its current revision, in
    one query."""
    keys = {(measurement.target_id, measurement.period) for measurement in measurements}
    if not keys:
        return {}
    return {
        (target_id, period): revision
        for target_id, period, revision in session.execute(
            select(Measurement.target_id, Measurement.period, func.max(Measurement.revision))
            .where(tuple_(Measurement.target_id, Measurement.period).in_(keys), standing())
            .group_by(Measurement.target_id, Measurement.period)
        )
    }
