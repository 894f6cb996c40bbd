"""Configuration: defaults, then the environment (SPEC section 4), then explicit overrides."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from scorecards.scoring import Thresholds


class ConfigError(RuntimeError):
    pass


DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "LANGUAGES": {"en": "English", "zh_Hans_CN": "简体中文"},
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "DUE_DAY": 10,  # figures are due by this day of the following month
    "EVIDENCE_MAX_BYTES": 10 * 1024 * 1024,
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "RATING_GREEN": "95",
    "RATING_AMBER": "80",
    "PAGE_SIZE": 50,
    "WTF_CSRF_TIME_LIMIT": None,
}


def default_database_url(app: Flask) -> str:
    return "sqlite:///" + str(Path(app.instance_path) / "underpin.sqlite")


def configure(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env()  # FLASK_DEBUG, FLASK_DUE_DAY, FLASK_SECRET_KEY, ...
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = (
        os.environ.get("DATABASE_URL")
        or app.config.get("SQLALCHEMY_DATABASE_URI")
        or default_database_url(app)
    )
    if overrides:
        app.config.update(overrides)
    _normalise_database_url(app)
    _require_secret_key(app)


def _normalise_database_url(app: Flask) -> None:
    url: str = app.config["SQLALCHEMY_DATABASE_URI"]
    # Plain postgres:// URLs (as many hosts hand them out) mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def is_development(app: Flask) -> bool:
    return bool(app.debug or app.testing or app.config.get("ENV_DEVELOPMENT"))


def _require_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if is_development(app):
        # Development only: a fixed, clearly-named key so `make run` needs no setup.
        app.config["SECRET_KEY"] = "development-only-not-secret"
        return
    raise ConfigError(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
        "(or FLASK_SECRET_KEY) before starting Underpin outside development."
    )


def thresholds() -> Thresholds:
    """Rating thresholds; configurable as FLASK_RATING_GREEN / FLASK_RATING_AMBER."""
    try:
        green = Decimal(str(current_app.config["RATING_GREEN"]))
        amber = Decimal(str(current_app.config["RATING_AMBER"]))
    except InvalidOperation as error:
        raise RuntimeError("RATING_GREEN and RATING_AMBER must be numbers") from error
    return Thresholds(green, amber)
