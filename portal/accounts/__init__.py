"""Accounts: signing in and out, the language switch, one's own account and API tokens, and the
administrator's pages for users and their tokens."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from portal.extensions import login_manager

auth = Blueprint("auth", __name__)
account = Blueprint("account", __name__)
admin = Blueprint("admin", __name__, url_prefix="/admin")

from portal.accounts import login, own, users  # noqa: E402, F401  (the views of the three)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(login.set_request_actor)
