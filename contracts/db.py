"""The declarative base shared by every package, and the column types used for exact values.

Values and money are ``Numeric``. PostgreSQL stores them as NUMERIC; SQLite has no decimal
type, so SQLAlchemy stores a double and reads it back through ``"%.{scale}f"``. That is exact
for every value we accept, because input is validated against the column's precision and scale
(see ``contracts.values``): at most 15 significant digits always survive a double round trip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import MetaData, Numeric, Table, insert, select
from sqlalchemy.orm import DeclarativeBase, Session

from contracts import clock

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
    return clock.now()


# ── Bulk inserts ────────────────────────────────────────────────────────────────────────────
# Tens of thousands of rows (a measurements file) go in through Core, not the ORM's unit of
# work. Whatever must see every write (the audit log, in portal/) listens here: the domain
# packages know nothing of it.
BulkListener = Callable[[Session, Table, list[dict[str, Any]]], None]
_bulk_listeners: list[BulkListener] = []


def listen_bulk_inserts(listener: BulkListener) -> None:
    if listener not in _bulk_listeners:
        _bulk_listeners.append(listener)


def bulk_insert(
    session: Session, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> list[int]:
    """Insert ``rows`` (each with every column but ``id``) as one executemany; sets each row's
    ``id`` and returns the ids in the order of the rows.

    The new ids are read back by ``key``, a unique key of the table (a plain executemany is
    the drivers' fast path; INSERT … RETURNING many rows is not: SQLite promises no order for
    it, and psycopg converts its thousands of parameters one statement at a time).
    """
    if not rows:
        return []
    session.execute(insert(table), rows)
    columns = [table.c[name] for name in key]
    # Each key column among the values inserted: a superset of the new rows, matched exactly
    # below (the unique key identifies each).
    found = session.execute(
        select(table.c.id, *columns).where(
            *(column.in_(sorted({row[column.key] for row in rows})) for column in columns)
        )
    )
    ids = {tuple(values): id_ for id_, *values in found}
    for row in rows:
        row["id"] = ids[tuple(row[name] for name in key)]
    for listener in _bulk_listeners:
        listener(session, table, rows)
    return [row["id"] for row in rows]
