"""Configuration from the environment (SPEC section 4), cookies, SQLite settings, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal import create_app
from portal.config import ConfigError
from portal.extensions import db
from tests.conftest import login
from tests.factories import Factory

# Settings in the developer's or CI's shell must not leak into these tests.
ENVIRONMENT = (
    "SECRET_KEY",
    "FLASK_SECRET_KEY",
    "DATABASE_URL",
    "FLASK_DEBUG",
    "FLASK_TESTING",
    "FLASK_DUE_DAY",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def build(tmp_path: Path) -> Iterator[Any]:
    """create_app() with a throw-away SQLite file unless the environment names a database."""
    apps: list[Flask] = []

    def _build(**config: Any) -> Flask:
        config.setdefault("SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(tmp_path / "c.sqlite"))
        app = create_app(config)
        apps.append(app)
        return app

    yield _build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_refuses_to_start_without_secret_key_outside_development(environment, build) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build(TESTING=False, DEBUG=False)


@pytest.mark.parametrize("variable", ["SECRET_KEY", "FLASK_SECRET_KEY"])
def test_secret_key_comes_from_the_environment(environment, build, variable: str) -> None:
    environment.setenv(variable, "s3cret-from-env")
    app = build(TESTING=False, DEBUG=False)
    assert app.config["SECRET_KEY"] == "s3cret-from-env"


def test_development_runs_without_secret_key(environment, build) -> None:
    app = build(TESTING=False, DEBUG=True)
    assert app.config["SECRET_KEY"]


def test_database_url_comes_from_the_environment(environment, tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "from-env.sqlite")
    environment.setenv("DATABASE_URL", url)
    app = create_app({"TESTING": True})
    with app.app_context():
        assert app.config["SQLALCHEMY_DATABASE_URI"] == url
        assert db.engine.url.database == str(tmp_path / "from-env.sqlite")
        db.engine.dispose()


def test_database_url_defaults_to_sqlite_in_the_instance_folder(environment) -> None:
    app = create_app({"TESTING": True})
    with app.app_context():
        expected = "sqlite:///" + str(Path(app.instance_path) / "underpin.sqlite")
        assert app.config["SQLALCHEMY_DATABASE_URI"] == expected
        db.engine.dispose()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_urls_use_psycopg_3(environment, scheme: str) -> None:
    environment.setenv("DATABASE_URL", f"{scheme}://underpin:pw@db.example:5432/underpin")
    app = create_app({"TESTING": True})
    with app.app_context():
        assert (
            app.config["SQLALCHEMY_DATABASE_URI"]
            == "postgresql+psycopg://underpin:pw@db.example:5432/underpin"
        )
        assert db.engine.dialect.driver == "psycopg"
        db.engine.dispose()


def test_flask_prefixed_settings_are_read(environment, build) -> None:
    environment.setenv("FLASK_DUE_DAY", "12")
    environment.setenv("FLASK_RATELIMIT_STORAGE_URI", "memory://")
    app = build(TESTING=True)
    assert app.config["DUE_DAY"] == 12
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_session_cookie_is_http_only_and_same_site_lax(client: FlaskClient, make: Factory) -> None:
    user = make.user("auditor")
    response = login(client, user.email)
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    attributes = {part.strip().lower() for part in cookies[0].split(";")[1:]}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_sqlite_enforces_foreign_keys_and_uses_wal(build) -> None:
    # Checked on a SQLite file of its own, so the PostgreSQL run proves it too.
    app = build(TESTING=True)
    with app.app_context(), db.engine.connect() as connection:
        assert db.engine.dialect.name == "sqlite"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_migrations_match_the_models(app: Flask) -> None:
    """What ``flask --app wsgi db check`` does: autogenerate finds nothing to add."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": connection.dialect.name == "sqlite",
            },
        )
        assert compare_metadata(context, db.metadata) == []
