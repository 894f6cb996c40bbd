"""One's own account (password, language, API tokens) and the language switch."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from contracts import accounts
from contracts.errors import DomainError
from contracts.models import ApiToken
from portal.accounts import account
from portal.accounts.forms import PasswordForm, TokenForm
from portal.extensions import db
from portal.pages import EmptyForm, LanguageForm
from portal.permissions import can


@account.route("/language", methods=["POST"])
def language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    flask_session["language"] = form.language.data
    if current_user.is_authenticated:
        accounts.set_language(db.session, current_user, form.language.data)
        db.session.commit()
    return redirect(_back())


def _back() -> str:
    target = request.form.get("next") or request.referrer or ""
    host = request.host_url
    if target.startswith(host):
        target = "/" + target[len(host) :]
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


@account.route("/account", methods=["GET"])
@login_required
def index() -> str:
    return _render_account()


def _render_account(
    password_form: PasswordForm | None = None,
    token_form: TokenForm | None = None,
    new_secret: str | None = None,
    status: int = 200,
):  # noqa: ANN202
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
    ).all()
    language_form = LanguageForm(language=current_user.language or "en")
    return render_template(
        "account.html",
        password_form=password_form or PasswordForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        language_form=language_form,
        tokens=tokens,
        new_secret=new_secret,
        revoke_form=EmptyForm(),
    ), status


@account.route("/account/password", methods=["POST"])
@login_required
def change_password():  # noqa: ANN201
    form = PasswordForm()
    if form.validate_on_submit():
        if accounts.authenticate(db.session, current_user.email, form.current.data) is None:
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                accounts.set_password(db.session, current_user, form.password.data)
            except DomainError as error:
                form.password.errors.append(str(error.message))
            else:
                db.session.commit()
                login_user(current_user._get_current_object())  # keep this session alive
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("account.index"))
    return _render_account(password_form=form, status=400)


@account.route("/account/tokens", methods=["POST"])
@login_required
def create_own_token():  # noqa: ANN201
    if not can(current_user, "own_tokens"):
        abort(403)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            issued = accounts.create_token(db.session, current_user, form.name.data)
        except DomainError as error:
            form.name.errors.append(str(error.message))
        else:
            db.session.commit()
            return _render_account(new_secret=issued.secret)
    return _render_account(token_form=form, status=400)


@account.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_own_token(token_id: int) -> Response:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    )
    if token is None or not EmptyForm().validate_on_submit():
        abort(404)
    accounts.revoke_token(db.session, token)
    db.session.commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("account.index"))
