"""The declarative base shared by every package, and the column types used for exact values.

Values and money are ``Numeric``. PostgreSQL stores them as NUMERIC; SQLite has no decimal
type, so SQLAlchemy stores a double and reads it back through ``"%.{scale}f"``. That is exact
for every value we accept, because input is validated against the column's precision and scale
(see ``contracts.values``): at most 15 significant digits always survive a double round trip.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# (precision, scale) of each kind of decimal; input validation reads these too.
VALUE_DIGITS = (15, 6)  # measurement and target values
MONEY_DIGITS = (14, 2)  # monthly charges and credits
PCT_DIGITS = (9, 4)  # percentages such as credit_pct and credit_cap_pct
WEIGHT_DIGITS = (9, 4)


def value_type() -> Numeric:
    return Numeric(*VALUE_DIGITS, asdecimal=True)


def money_type() -> Numeric:
    return Numeric(*MONEY_DIGITS, asdecimal=True)


def pct_type() -> Numeric:
    return Numeric(*PCT_DIGITS, asdecimal=True)


def weight_type() -> Numeric:
    return Numeric(*WEIGHT_DIGITS, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {Decimal: Numeric(*VALUE_DIGITS, asdecimal=True)}


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo: every timestamp in the database is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
