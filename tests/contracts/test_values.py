"""Input parsing shared by the imports (contracts.values); no app needed: messages are English."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest

from contracts.db import MONEY_DIGITS, PCT_DIGITS
from contracts.periods import bounds as period_bounds
from contracts.periods import parse_period
from contracts.values import (
    InvalidValue,
    check_in_range,
    format_decimal,
    format_money,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_money,
    parse_percentage,
    parse_timestamp,
    sane_range,
)

NOT_A_DECIMAL = 'must be a decimal number, such as "99.95"'


@dataclass
class FakeMetric:
    unit: str
    min_value: Decimal | None = None
    max_value: Decimal | None = None


def refusal(parse, raw, *args) -> str:
    with pytest.raises(InvalidValue) as caught:
        parse(raw, *args)
    return str(caught.value.message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("99.95", Decimal("99.95")),
        (" 4 ", Decimal("4")),
        (99.95, Decimal("99.95")),
        (4, Decimal("4")),
        ("-2.5", Decimal("-2.5")),
        ("1.500000000", Decimal("1.5")),  # trailing zeros lose nothing
        ("123456789.123456", Decimal("123456789.123456")),
        ("1e3", Decimal("1000")),
    ],
)
def test_decimal_accepted(raw, expected):
    assert parse_decimal(raw) == expected


def test_json_number_keeps_the_written_digits():
    assert str(parse_decimal(99.95)) == "99.95"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("NaN", "must be a finite number"),
        ("Infinity", "must be a finite number"),
        ("-inf", "must be a finite number"),
        (float("nan"), "must be a finite number"),
        (float("inf"), "must be a finite number"),
        (True, NOT_A_DECIMAL),
        (False, NOT_A_DECIMAL),
        (None, NOT_A_DECIMAL),
        ([1], NOT_A_DECIMAL),
        ("ninety", NOT_A_DECIMAL),
        ("1_000", NOT_A_DECIMAL),
        ("", NOT_A_DECIMAL),
        ("0.1234567", "must have at most 6 decimal places"),
        ("1234567890", "is too large: at most 9 digits before the point"),
    ],
)
def test_decimal_refused(raw, message):
    assert refusal(parse_decimal, raw) == message


def test_decimal_digits_follow_the_column():
    assert refusal(parse_decimal, "0.001", MONEY_DIGITS) == "must have at most 2 decimal places"
    assert refusal(parse_decimal, "123456", PCT_DIGITS) == (
        "is too large: at most 5 digits before the point"
    )
    assert parse_decimal("99999.9999", PCT_DIGITS) == Decimal("99999.9999")


def test_percentage_and_money():
    assert parse_percentage("100") == Decimal(100)
    assert parse_percentage("0") == Decimal(0)
    assert refusal(parse_percentage, "100.01") == "must be between 0 and 100"
    assert refusal(parse_percentage, "-1") == "must be between 0 and 100"
    assert parse_money("40000.00") == Decimal("40000")
    assert refusal(parse_money, "-0.01") == "must not be negative"


def test_integer():
    assert parse_integer(90) == 90
    assert refusal(parse_integer, -1) == "must be at least 0"
    assert refusal(parse_integer, True) == "must be a whole number"
    assert refusal(parse_integer, "90") == "must be a whole number"


@pytest.mark.parametrize("raw", ["2026-07", "2026-12", "1999-01"])
def test_period_accepted(raw):
    assert parse_period(raw) == raw


@pytest.mark.parametrize(
    "raw", ["2026-13", "2026-00", "July", "2026-1", "2026-07-01", 202607, None]
)
def test_period_refused(raw):
    assert refusal(parse_period, raw) == 'must be a month written YYYY-MM, such as "2026-07"'


def test_period_bounds():
    assert period_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert period_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))


def test_date():
    assert parse_date("2026-01-31") == date(2026, 1, 31)
    for raw in ("2026-02-30", "20260101", "2026-1-1", "31.01.2026", 20260101):
        assert refusal(parse_date, raw) == 'must be a date written YYYY-MM-DD, such as "2026-01-31"'


def test_timestamp_is_naive_utc():
    assert parse_timestamp("2026-01-28T09:00:00Z") == datetime(2026, 1, 28, 9)
    assert parse_timestamp("2026-01-28T17:00:00+08:00") == datetime(2026, 1, 28, 9)
    assert parse_timestamp("2026-01-28T09:00:00") == datetime(2026, 1, 28, 9)
    assert refusal(parse_timestamp, "yesterday") == (
        'must be a date and time in ISO 8601, such as "2026-01-28T09:00:00Z"'
    )


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (FakeMetric("%"), (Decimal(0), Decimal(100))),
        (FakeMetric("h"), (Decimal(0), None)),
        (FakeMetric("minutes"), (Decimal(0), None)),
        (FakeMetric("count"), (Decimal(0), None)),
        (FakeMetric("#"), (Decimal(0), None)),
        (FakeMetric("score"), (None, None)),
        (FakeMetric(""), (None, None)),
        (FakeMetric("score", Decimal(1), Decimal(5)), (Decimal(1), Decimal(5))),
        (FakeMetric("%", max_value=Decimal(50)), (Decimal(0), Decimal(50))),
    ],
)
def test_sane_range(metric, expected):
    assert sane_range(metric) == expected


def test_check_in_range():
    check_in_range(FakeMetric("%"), Decimal(100))
    check_in_range(FakeMetric("score"), Decimal(-5))
    assert refusal(check_in_range, FakeMetric("%"), Decimal("100.5")) == (
        "100.5 is outside the sane range 0 to 100 (unit %)"
    )
    assert refusal(check_in_range, FakeMetric("h"), Decimal("-2")) == (
        "-2 is below the lowest sane value 0 (unit h)"
    )
    assert refusal(check_in_range, FakeMetric("x", max_value=Decimal(5)), Decimal(6)) == (
        "6 is above the highest sane value 5 (unit x)"
    )


def test_format():
    assert format_decimal(Decimal("99.950000")) == "99.95"
    assert format_decimal(Decimal("40000.00")) == "40000"
    assert format_decimal(Decimal("-0.0")) == "0"
    assert format_money(Decimal("40000")) == "40000.00"
