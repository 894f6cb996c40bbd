"""The portal's own pages: dashboard, language switch, account (password, language, tokens)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import accounts
from portal import dashboard as dashboard_data
from portal.extensions import db
from portal.forms import EmptyForm, LanguageForm, PasswordForm, TokenForm
from portal.jsonio import round_half_up
from portal.models import ApiToken
from portal.permissions import can
from scorecards import notices, periods
from scorecards.review import waiting_count

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def dashboard() -> str:
    today = date.today()
    panels = (
        dashboard_data.supplier(current_user, today)
        if current_user.role == "supplier"
        else dashboard_data.staff(current_user, today)
    )
    return render_template(
        "dashboard.html", today=today, two=two_places, **_due_notices(), **panels
    )


def two_places(value: Decimal) -> str:
    """A score or value for display: half-up to 2 decimals, as in the JSON."""
    return format(round_half_up(value), "f")


def _due_notices() -> dict[str, object]:
    """What is due: a supplier's own figures, or per supplier what last month still lacks."""
    today = date.today()
    if current_user.role == "supplier":
        months = notices.figures_due(
            db.session,
            current_user.supplier_id,
            today=today,
            due_day=current_app.config["DUE_DAY"],
        )
        return {"due_months": months}
    last_month = periods.shift(periods.of(today), -1)
    return {
        "missing_month": last_month,
        "missing_by_supplier": notices.missing_by_supplier(db.session, last_month),
        "waiting_review": (
            waiting_count(db.session) if can(current_user, "review_measurements") else None
        ),
    }


@bp.route("/language", methods=["POST"])
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
    return url_for("web.dashboard")


@bp.route("/account", methods=["GET"])
@login_required
def account() -> str:
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


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():  # noqa: ANN201
    form = PasswordForm()
    if form.validate_on_submit():
        if accounts.authenticate(db.session, current_user.email, form.current.data) is None:
            form.current.errors.append(_("The current password is wrong."))
        else:
            try:
                accounts.set_password(db.session, current_user, form.password.data)
            except accounts.AccountError as error:
                form.password.errors.append(str(error.message))
            else:
                db.session.commit()
                login_user(current_user._get_current_object())  # keep this session alive
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("web.account"))
    return _render_account(password_form=form, status=400)


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_own_token():  # noqa: ANN201
    if not can(current_user, "own_tokens"):
        abort(403)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            issued = accounts.create_token(db.session, current_user, form.name.data)
        except accounts.AccountError as error:
            form.name.errors.append(str(error.message))
        else:
            db.session.commit()
            return _render_account(new_secret=issued.secret)
    return _render_account(token_form=form, status=400)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
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
    return redirect(url_for("web.account"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    from portal import (
        admin,
        agreements,
        auditlog,
        chain,
        governance,
        health,
        pdf_views,
        registers,
        review,
        scorecards_web,
        submissions,
    )

    admin.init_app(app)
    for area in (registers, agreements, governance, chain, auditlog, submissions, review, health):
        app.register_blueprint(area.bp)
    app.register_blueprint(pdf_views.bp)
    app.register_blueprint(scorecards_web.bp)

    @app.context_processor
    def _template_helpers() -> dict[str, object]:
        return {
            "can": lambda permission, obj=None: can(current_user, permission, obj),
            "languages": current_app.config["LANGUAGES"],
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
            "language_form": LanguageForm(),
            "get_locale": get_locale,
        }
