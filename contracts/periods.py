"""Months as ``YYYY-MM`` periods: the unit of every figure, window and due date.

The one home of month arithmetic (``shift``, ``span``, ``add_months``), of the ``YYYY-MM``
check (``is_period`` / ``parse_period``) and of the window of months a scorecard covers.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from contracts.errors import DomainError
from contracts.values import InvalidValue

PATTERN = r"[12]\d{3}-(0[1-9]|1[0-2])"
_PERIOD = re.compile(PATTERN)
MONTH_MESSAGE = _l('must be a month written YYYY-MM, such as "2026-07"')
MAX_WINDOW = 120  # months a window may cover


def is_period(raw: object) -> bool:
    """Whether ``raw`` is a month written ``YYYY-MM`` (``2026-13``, ``2026-1`` are not)."""
    return isinstance(raw, str) and _PERIOD.fullmatch(raw) is not None


def parse_period(raw: object) -> str:
    """A month written ``YYYY-MM`` (surrounding spaces ignored), or ``InvalidValue``."""
    if not isinstance(raw, str) or not is_period(raw.strip()):
        raise InvalidValue(MONTH_MESSAGE)
    return raw.strip()


@lru_cache(maxsize=4096)
def parse(period: str) -> tuple[int, int]:
    year, month = period.split("-")
    return int(year), int(month)


def make(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _index(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) ``months`` after the given month (before it when negative)."""
    year, month_index = divmod(year * 12 + month - 1 + months, 12)
    return year, month_index + 1


@lru_cache(maxsize=16384)
def shift(period: str, months: int) -> str:
    return make(*_index(*parse(period), months))


@lru_cache(maxsize=4096)
def span(first: str, last: str) -> tuple[str, ...]:
    """Every month from ``first`` to ``last``, inclusive (empty when ``last`` < ``first``)."""
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = shift(current, 1)
    return tuple(months)


@lru_cache(maxsize=4096)
def first_day(period: str) -> date:
    year, month = parse(period)
    return date(year, month, 1)


@lru_cache(maxsize=4096)
def last_day(period: str) -> date:
    year, month = parse(period)
    return date(year, month, calendar.monthrange(year, month)[1])


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` month."""
    return first_day(period), last_day(period)


def of(day: date) -> str:
    return make(day.year, day.month)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    year, month = _index(day.year, day.month, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(first: str | None, last: str | None, today: date) -> tuple[str, str]:
    """The months ``from``..``to``; by default the twelve complete months before today.

    Refuses with a ``DomainError`` on the field ``from`` or ``to``.
    """
    try:
        last = parse_period(last) if last else shift(of(today), -1)
    except InvalidValue as error:
        raise DomainError(error.message, "to") from error
    try:
        first = parse_period(first) if first else shift(last, -11)
    except InvalidValue as error:
        raise DomainError(error.message, "from") from error
    if first > last:
        raise DomainError(_l("must not be after the end of the window"), "from")
    if len(span(first, last)) > MAX_WINDOW:
        raise DomainError(_l("a window covers at most 120 months"), "from")
    return first, last
