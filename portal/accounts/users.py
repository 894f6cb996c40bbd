"""The administrator's pages: users (create, role and supplier, deactivate, reset) and tokens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from contracts import accounts
from contracts.errors import DomainError
from contracts.models import ApiToken, Supplier, User
from portal.accounts import admin
from portal.accounts.forms import (
    ActiveForm,
    ResetPasswordForm,
    TokenForm,
    UserEditForm,
    UserForm,
)
from portal.extensions import db
from portal.pages import EmptyForm
from portal.permissions import can


@admin.before_request
@login_required
def _only_admins() -> None:
    if not can(current_user, "manage_users"):
        abort(403)


def _supplier_choices() -> list[SelectChoice]:
    suppliers = db.session.scalars(select(Supplier).order_by(Supplier.code)).all()
    return [SelectChoice("", "—")] + [
        SelectChoice(supplier.code, f"{supplier.code} · {supplier.name}") for supplier in suppliers
    ]


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@admin.route("/users")
def users() -> str:
    rows = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("admin/users.html", users=rows)


@admin.route("/users/new", methods=["GET", "POST"])
def new_user():  # noqa: ANN201
    form = UserForm()
    form.supplier.choices = _supplier_choices()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                db.session,
                form.email.data,
                form.role.data,
                form.password.data or "",
                supplier_code=form.supplier.data or None,
                name=form.name.data or "",
            )
        except DomainError as error:
            getattr(form, error.field or "email").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("User %(email)s has been created.", email=user.email), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_new.html", form=form), status


@admin.route("/users/<int:user_id>", methods=["GET"])
def user(user_id: int):  # noqa: ANN201
    return _render_user(_user_or_404(user_id))


def _edit_form(target: User) -> UserEditForm:
    form = UserEditForm(
        formdata=None,  # the page may be answering another of its forms (token, password)
        name=target.name,
        role=target.role,
        supplier=target.supplier.code if target.supplier else "",
    )
    form.supplier.choices = _supplier_choices()
    return form


def _render_user(  # noqa: ANN202
    target: User,
    form: UserEditForm | None = None,
    reset_form: ResetPasswordForm | None = None,
    new_secret: str | None = None,
    status: int = 200,
    active_error: str | None = None,
):
    return render_template(
        "admin/user.html",
        user=target,
        form=form or _edit_form(target),
        reset_form=reset_form or ResetPasswordForm(formdata=None),
        active_form=ActiveForm(active=target.active),
        active_error=active_error,
        is_self=target.id == current_user.id,
        token_form=TokenForm(formdata=None),
        revoke_form=EmptyForm(),
        tokens=target.tokens,
        new_secret=new_secret,
    ), status


@admin.route("/users/<int:user_id>", methods=["POST"])
def edit_user(user_id: int):  # noqa: ANN201
    target = _user_or_404(user_id)
    form = UserEditForm()
    form.supplier.choices = _supplier_choices()
    if form.validate_on_submit():
        try:
            accounts.update_user(
                db.session,
                target,
                role=form.role.data,
                supplier_code=form.supplier.data or None,
                name=form.name.data or "",
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "role").errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The user has been saved."), "success")
            return redirect(url_for("admin.user", user_id=target.id))
    return _render_user(target, form, status=400)


@admin.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int):  # noqa: ANN201
    target = _user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_active(db.session, target, bool(form.active.data), actor=current_user)
    except DomainError as error:
        return _render_user(target, active_error=str(error.message), status=400)
    db.session.commit()
    if target.active:
        flash(_("The user has been activated."), "success")
    else:
        flash(_("The user has been deactivated; their sessions and tokens stop now."), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@admin.route("/users/<int:user_id>/password", methods=["POST"])
def reset_password(user_id: int):  # noqa: ANN201
    target = _user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(db.session, target, form.password.data)
        except DomainError as error:
            form.password.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The password has been reset; the user's sessions have ended."), "success")
            return redirect(url_for("admin.user", user_id=target.id))
    return _render_user(target, reset_form=form, status=400)


@admin.route("/users/<int:user_id>/tokens", methods=["POST"])
def create_token(user_id: int):  # noqa: ANN201
    target = _user_or_404(user_id)
    form = TokenForm()
    if form.validate_on_submit():
        issued = accounts.create_token(db.session, target, form.name.data)
        db.session.commit()
        return _render_user(target, new_secret=issued.secret)
    abort(400)


@admin.route("/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None or not EmptyForm().validate_on_submit():
        abort(404)
    accounts.revoke_token(db.session, token)
    db.session.commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("admin.user", user_id=token.user_id))
