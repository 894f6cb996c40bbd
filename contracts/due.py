"""When figures are owed: the one home of "due in month M" and of a figure's due date.

A target is due in month M when its agreement owes figures at all (it is not a draft) and its
term overlaps M (SPEC section 3, "Due months"); so an agreement that has since expired still
owes the months of its term. ``is_due`` / ``due_months`` say it in Python, ``due_in`` in SQL;
a figure for M is due by ``due_day`` of the following month (``figure_due_on``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import ColumnElement, and_

from contracts import periods
from contracts.models import Agreement

NOT_DUE_STATUS = "draft"  # a draft owes nothing until it is signed


def owes_figures(status: str) -> bool:
    return status != NOT_DUE_STATUS


def term_covers(start: date, end: date, period: str) -> bool:
    """Whether the term ``start``..``end`` overlaps the month ``period``."""
    first, last = periods.bounds(period)
    return start <= last and end >= first


def is_due(status: str, start: date, end: date, period: str) -> bool:
    return owes_figures(status) and term_covers(start, end, period)


@lru_cache(maxsize=8192)
def due_months(status: str, start: date, end: date, first: str, last: str) -> tuple[str, ...]:
    """The months ``first``..``last`` in which the agreement is due (cached: a scorecard asks
    the same question of every target and chain link of a term)."""
    if not owes_figures(status):
        return ()
    return tuple(month for month in periods.span(first, last) if term_covers(start, end, month))


def due_in(first: str, last: str | None = None) -> ColumnElement[bool]:
    """SQL on ``Agreement``: due in some month of ``first``..``last`` (one month by default)."""
    return and_(
        Agreement.status != NOT_DUE_STATUS,
        Agreement.start <= periods.last_day(last or first),
        Agreement.end >= periods.first_day(first),
    )


def figure_due_on(period: str, due_day: int) -> date:
    """The day a figure for ``period`` is due: ``due_day`` of the following month (or its end)."""
    following = periods.shift(period, 1)
    return periods.first_day(following).replace(day=min(due_day, periods.last_day(following).day))
