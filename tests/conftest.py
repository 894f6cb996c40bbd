"""Fixtures: one app per test run, and per test a database transaction that is rolled back.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set.
The schema comes from the Alembic migrations, so the tests also prove the migrations work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from portal import MIGRATIONS, create_app
from portal.extensions import db
from tests.factories import Factory


def _fresh_database_url(tmp_path_factory: pytest.TempPathFactory, worker: str) -> str:
    """A database of this test process's own: a SQLite file in its temporary directory, or on
    PostgreSQL a database per pytest-xdist worker (``<name>_gw0``…) beside TEST_DATABASE_URL's,
    created here and dropped by ``database_url`` at the end of the run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    if worker == "master":  # not under xdist: the named database itself, schema renewed
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return url.render_as_string(hide_password=False)
    own = url.set(database=f"{url.database}_{worker}")
    _run_on(url, f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
    _run_on(url, f'CREATE DATABASE "{own.database}"')
    return own.render_as_string(hide_password=False)


def _run_on(url: URL, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _drop_worker_database(url: str, worker: str) -> None:
    if worker == "master" or url.startswith("sqlite"):
        return
    own = make_url(url)
    base = own.set(database=own.database.removesuffix(f"_{worker}"))
    _run_on(base, f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')


def make_app(database_url: str, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "underpin.test",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # scrypt is slow on purpose; tests hash hundreds of passwords.
    monkeypatch.setattr("contracts.accounts.PASSWORD_METHOD", "pbkdf2:sha256:1")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    url = _fresh_database_url(tmp_path_factory, worker_id)
    app = make_app(url)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.engine.dispose()
    yield url
    _drop_worker_database(url, worker_id)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The test's own session, inside one outer transaction that is rolled back at the end.

    Requests and CLI commands get their own sessions (``db.session``, one per app context) on
    the same connection, so they see what the test wrote, and their commits become savepoints.
    No app context stays pushed during the test: Flask would reuse it, and with it ``g`` and
    the logged-in user, for every request.
    """
    with app.app_context():
        connection = db.engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite only begins a transaction at the first write, so SAVEPOINTs would commit
        # for real; open the outer transaction explicitly (SQLAlchemy's documented recipe).
        connection.connection.driver_connection.isolation_level = None
    transaction = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    # Plain Sessions: Flask-SQLAlchemy's own would pick the engine over this connection.
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    original = db.session
    db.session = scoped_session(factory, scopefunc=_app_ctx_id)
    test_session = factory()
    try:
        yield test_session
    finally:
        test_session.close()
        db.session = original
        transaction.rollback()
        if sqlite:
            connection.connection.driver_connection.isolation_level = ""
        connection.close()


@pytest.fixture
def client(app: Flask, session: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask, session: Session):  # noqa: ANN201
    return app.test_cli_runner()


@pytest.fixture
def make(session: Session) -> Factory:
    return Factory(session)


def login(client: FlaskClient, email: str, password: str = Factory.PASSWORD):  # noqa: ANN201
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Keep test-results/ (browser screenshots); pytest-playwright would empty it every run."""


def fix_clock(monkeypatch: pytest.MonkeyPatch, day: date, hour: int = 9) -> None:
    """Today is ``day`` (and now ``hour`` o'clock UTC on it) for the code under test."""
    monkeypatch.setattr("contracts.clock.today", lambda: day)
    monkeypatch.setattr("contracts.clock.now", lambda: datetime.combine(day, time(hour)))
