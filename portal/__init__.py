"""The Flask application: factory, extensions, auth, blueprints and the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from portal.config import configure

MIGRATIONS = Path(__file__).parent / "migrations"


def blueprints() -> list[Blueprint]:
    """Every area's pages, in one visible list (the API's resources register in portal.api)."""
    from portal import (
        accounts,
        agreements,
        audit,
        chain,
        dashboard,
        governance,
        health,
        measurements,
        registers,
        scorecards,
    )
    from portal.api import docs

    return [
        accounts.auth,
        accounts.account,
        accounts.admin,
        dashboard.bp,
        registers.bp,
        agreements.bp,
        governance.bp,
        chain.bp,
        audit.bp,
        measurements.submissions,
        measurements.review,
        scorecards.bp,
        health.bp,
        docs.bp,
    ]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config)

    from portal import accounts, api, audit, cli, database, display, errors, i18n, jsonio, security
    from portal.extensions import csrf, db, limiter, login_manager, migrate

    database.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    audit.install()

    jsonio.init_app(app)
    security.init_app(app)
    accounts.init_app(app)
    errors.init_app(app)
    display.init_app(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    api.init_app(app)
    cli.init_app(app)
    return app
