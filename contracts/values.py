"""Input parsing shared by every way data comes in: portfolio JSON, measurements CSV, the API.

Each ``parse_…`` function returns the value or raises ``InvalidValue`` with a translatable
message. ``Entry`` reads one JSON object key by key and records every problem with its path in
the file instead of stopping at the first, so an import can report all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from flask_babel import lazy_gettext as _l

from contracts.db import MONEY_DIGITS, PCT_DIGITS, VALUE_DIGITS
from contracts.errors import Problem

T = TypeVar("T")

_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")

PERCENT_UNITS = frozenset({"%"})
# Durations and counts cannot be negative; any other unit (a score, a ratio) may be.
NON_NEGATIVE_UNITS = frozenset(
    {"h", "hours", "min", "minutes", "s", "ms", "d", "days", "count", "#"}
)
HUNDRED = Decimal(100)


class InvalidValue(ValueError):
    """A refused input value; ``message`` is a lazy, translatable sentence."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


class RangedMetric(Protocol):
    @property
    def unit(self) -> str: ...

    @property
    def min_value(self) -> Decimal | None: ...

    @property
    def max_value(self) -> Decimal | None: ...


def format_decimal(value: Decimal) -> str:
    """The shortest plain text of ``value``: ``99.950000`` → ``99.95``, ``4E+1`` → ``40``."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def format_money(value: Decimal) -> str:
    """Money always with its two decimals, as people write it: ``40000.00``."""
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


def parse_decimal(raw: object, digits: tuple[int, int] = VALUE_DIGITS) -> Decimal:
    """A JSON number or decimal string that fits ``digits`` (precision, scale) exactly."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidValue(_l('must be a decimal number, such as "99.95"'))
    # For a float, repr is the shortest text that reads back as the same double: 99.95, not
    # 99.9499999999999957…, which is what the author of the JSON number meant.
    text = repr(raw) if isinstance(raw, float) else str(raw).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidValue(_l('must be a decimal number, such as "99.95"')) from None
    if not value.is_finite():
        raise InvalidValue(_l("must be a finite number"))
    if isinstance(raw, str) and not _DECIMAL_TEXT.fullmatch(text):
        # Decimal() also takes "1_000" and other forms people do not mean as numbers.
        raise InvalidValue(_l('must be a decimal number, such as "99.95"'))
    _check_digits(value, digits)
    return value


def _check_digits(value: Decimal, digits: tuple[int, int]) -> None:
    """Refuse what the column would round or could not hold (trailing zeros do not count)."""
    precision, scale = digits
    significant = value.normalize() if value else Decimal(0)
    exponent = significant.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked by the caller
    if -exponent > scale:
        raise InvalidValue(_l("must have at most %(scale)d decimal places", scale=scale))
    if significant.adjusted() + 1 > precision - scale:
        raise InvalidValue(
            _l("is too large: at most %(count)d digits before the point", count=precision - scale)
        )


def parse_percentage(raw: object) -> Decimal:
    value = parse_decimal(raw, PCT_DIGITS)
    if not 0 <= value <= HUNDRED:
        raise InvalidValue(_l("must be between 0 and 100"))
    return value


def parse_money(raw: object) -> Decimal:
    value = parse_decimal(raw, MONEY_DIGITS)
    if value < 0:
        raise InvalidValue(_l("must not be negative"))
    return value


def parse_integer(raw: object, minimum: int = 0) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidValue(_l("must be a whole number"))
    if raw < minimum:
        raise InvalidValue(_l("must be at least %(minimum)d", minimum=minimum))
    return raw


def parse_boolean(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise InvalidValue(_l("must be true or false"))
    return raw


def parse_date(raw: object) -> date:
    """An ISO 8601 calendar date, ``YYYY-MM-DD``."""
    if isinstance(raw, str) and _DATE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise InvalidValue(_l('must be a date written YYYY-MM-DD, such as "2026-01-31"'))


def parse_timestamp(raw: object) -> datetime:
    """An ISO 8601 date and time, as naive UTC (how the database keeps every timestamp).

    A time without an offset is taken as UTC.
    """
    if isinstance(raw, str) and _DATE.match(raw.strip()):
        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            return moment
    raise InvalidValue(_l('must be a date and time in ISO 8601, such as "2026-01-28T09:00:00Z"'))


def format_timestamp(moment: datetime) -> str:
    return moment.isoformat() + "Z"


def parse_currency(raw: object) -> str:
    if not isinstance(raw, str) or not _CURRENCY.fullmatch(raw):
        raise InvalidValue(_l('must be a three-letter ISO 4217 currency code, such as "USD"'))
    return raw


def sane_range(metric: RangedMetric) -> tuple[Decimal | None, Decimal | None]:
    """(lowest, highest) sane value; the metric's own bounds win over what its unit implies."""
    unit = (metric.unit or "").strip().lower()
    low: Decimal | None = None
    high: Decimal | None = None
    if unit in PERCENT_UNITS:
        low, high = Decimal(0), HUNDRED
    elif unit in NON_NEGATIVE_UNITS:
        low = Decimal(0)
    if metric.min_value is not None:
        low = metric.min_value
    if metric.max_value is not None:
        high = metric.max_value
    return low, high


def check_in_range(metric: RangedMetric, value: Decimal) -> None:
    low, high = sane_range(metric)
    unit = metric.unit or ""
    if low is not None and high is not None and not low <= value <= high:
        raise InvalidValue(
            _l(
                "%(value)s is outside the sane range %(low)s to %(high)s (unit %(unit)s)",
                value=format_decimal(value),
                low=format_decimal(low),
                high=format_decimal(high),
                unit=unit,
            )
        )
    if low is not None and value < low:
        raise InvalidValue(
            _l(
                "%(value)s is below the lowest sane value %(low)s (unit %(unit)s)",
                value=format_decimal(value),
                low=format_decimal(low),
                unit=unit,
            )
        )
    if high is not None and value > high:
        raise InvalidValue(
            _l(
                "%(value)s is above the highest sane value %(high)s (unit %(unit)s)",
                value=format_decimal(value),
                high=format_decimal(high),
                unit=unit,
            )
        )


_ABSENT = object()


class Entry:
    """One JSON object being read: each problem is recorded with its path, never raised.

    Readers return ``None`` for a value that is missing or refused; the caller goes on so that
    every problem of the file is found in one pass.
    """

    def __init__(
        self, raw: object, path: str, problems: list[Problem], keys: Iterable[str]
    ) -> None:
        self.path = path
        self.problems = problems
        self.is_object = isinstance(raw, dict)
        self.raw: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if not self.is_object:
            self.problem(None, _l("must be an object"))
            return
        known = set(keys)
        for key in self.raw:
            if key not in known:
                self.problem(str(key), _l("unknown key"))

    def at(self, key: str | None) -> str:
        if key is None:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str | None, message: Any) -> None:
        if not self.is_object and key is not None:
            return  # what is not an object has that one problem; its keys would repeat it
        self.problems.append(Problem(str(message), self.at(key)))

    def given(self, key: str) -> bool:
        return self.raw.get(key) is not None

    def value(
        self,
        key: str,
        parse: Callable[[Any], T],
        *,
        required: bool = True,
        default: T | None = None,
    ) -> T | None:
        raw = self.raw.get(key)
        if raw is None:
            if required:
                self.problem(key, _l("is required"))
            return default
        try:
            return parse(raw)
        except InvalidValue as error:
            self.problem(key, error.message)
            return None

    def text(
        self,
        key: str,
        *,
        required: bool = True,
        max_length: int | None = 200,
        default: str | None = None,
    ) -> str | None:
        def parse(raw: object) -> str:
            if not isinstance(raw, str):
                raise InvalidValue(_l("must be text"))
            if required and not raw.strip():
                raise InvalidValue(_l("must not be empty"))
            if max_length is not None and len(raw) > max_length:
                raise InvalidValue(_l("must be at most %(count)d characters", count=max_length))
            return raw.strip() if max_length is not None else raw

        return self.value(key, parse, required=required, default=default)

    def choice(
        self, key: str, choices: tuple[str, ...], *, default: str | None = None
    ) -> str | None:
        def parse(raw: object) -> str:
            if raw not in choices:
                raise InvalidValue(_l("must be one of: %(choices)s", choices=", ".join(choices)))
            return str(raw)

        return self.value(key, parse, required=default is None, default=default)

    def items(self, key: str) -> list[Any]:
        """An optional list; absent means empty."""
        raw = self.raw.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(key, _l("must be a list"))
            return []
        return raw
