"""Languages: English and Simplified Chinese, chosen by the user, the session or the browser."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from portal.extensions import babel

TRANSLATIONS_DIR = Path(__file__).parent.parent / "translations"


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # CLI output is in English
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    # Browsers send zh-CN / zh-Hans; Babel matches those to our zh_Hans_CN catalogue.
    best = request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans", "zh-Hans-CN"])
    return "zh_Hans_CN" if best and best.startswith("zh") else "en"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
