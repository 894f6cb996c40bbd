"""Login, logout, bearer tokens, and the audit actor of each request."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from contracts import accounts
from contracts.models import User
from portal import audit
from portal.accounts import auth
from portal.accounts.forms import LoginForm
from portal.extensions import db, limiter, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:  # noqa: ANN001 - Flask-Login's signature
    if not req.path.startswith("/api/"):
        return None  # pages use the session cookie; tokens are for the API only
    header = req.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    found = accounts.user_for_token(db.session, secret.strip())
    if found is None:
        return None
    user, token = found
    g.api_token = token
    return user


def _safe_next(target: str | None) -> str:
    # Only a local path: never redirect off-site after login.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.index")


@auth.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password, or the account is inactive."))
            return render_template("auth/login.html", form=form), 401
        audit.set_actor(db.session, audit.Actor(f"{user.email} (web)", user.id))
        db.session.commit()
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@auth.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def set_request_actor() -> None:
    """Name who writes in this request, for the audit log."""
    if not current_user.is_authenticated:
        return
    token = g.get("api_token")
    if token is not None:
        label = f"{current_user.email} (token {token.name!r} {token.prefix}…)"
    else:
        label = f"{current_user.email} (web)"
    audit.set_actor(db.session, audit.Actor(label, current_user.id))
