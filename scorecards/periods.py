"""Months as ``YYYY-MM`` periods: the unit of every figure, window and due date."""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache


@lru_cache(maxsize=4096)
def parse(period: str) -> tuple[int, int]:
    year, month = period.split("-")
    return int(year), int(month)


def make(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@lru_cache(maxsize=16384)
def shift(period: str, months: int) -> str:
    year, month = parse(period)
    year, index = divmod(year * 12 + month - 1 + months, 12)
    return make(year, index + 1)


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


def of(day: date) -> str:
    return make(day.year, day.month)
