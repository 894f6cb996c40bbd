"""Database binding: SQLite gets foreign keys and WAL; every request gets its audit actor."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.extensions import db


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def import_models() -> None:
    """Import every model module, so the metadata (and Alembic) sees every table."""
    import contracts.models  # noqa: F401
    import portal.audit.models  # noqa: F401
    import scorecards.models  # noqa: F401


def init_app(app: Flask) -> None:
    import_models()
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite" and not event.contains(
                engine, "connect", _sqlite_pragmas
            ):
                event.listen(engine, "connect", _sqlite_pragmas)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
