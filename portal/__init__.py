"""The Flask application: factory, extensions, auth, blueprints and the API."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal.config import configure


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
    )
    configure(app, config)

    from portal import audit, database, i18n
    from portal.extensions import csrf, db, limiter, login_manager, migrate

    database.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    audit.install()

    from portal import api, auth, cli, errors, jsonio, security, web

    jsonio.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app
