"""Today and now, read in one place: every rule that depends on the date asks here, so a test
can fix the clock to a given date (``tests.conftest.fix_clock``)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    return date.today()


def now() -> datetime:
    """Now, in UTC, without tzinfo: every timestamp in the database is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
