"""Targets and links of an agreement: add, change, remove; each under change control.

A target is addressed as the spec names it, by (agreement ref, metric code, service code), and
always loaded together with its agreement through the viewer's scope.
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from contracts import links, targets
from contracts.errors import DomainError
from contracts.models import Agreement, Link, Metric, Service, Target
from contracts.values import format_decimal
from portal.agreements import bp
from portal.agreements.forms import (
    ConfirmChangeForm,
    LinkForm,
    TargetEditForm,
    TargetForm,
)
from portal.extensions import db
from portal.loaders import acting_user, editable_agreement
from portal.pages import show_refusal

TARGET_PATH = "/agreements/<ref>/targets/<metric>/<service>"


def _target(agreement: Agreement, metric: str, service: str) -> Target:
    target = db.session.scalar(
        select(Target)
        .join(Target.metric)
        .join(Target.service)
        .where(Target.agreement_id == agreement.id, Metric.code == metric, Service.code == service)
    )
    if target is None:
        abort(404)
    return target


def _back(agreement: Agreement) -> Response:
    return redirect(url_for("agreements.detail", ref=agreement.ref, _anchor="targets"))


def _render(template: str, status: int = 200, **context: object):  # noqa: ANN202
    return render_template(f"agreements/{template}", **context), status


@bp.route("/agreements/<ref>/targets/new", methods=["GET", "POST"])
def add_target(ref: str):  # noqa: ANN201
    agreement = editable_agreement(ref)
    form = TargetForm()
    metrics = db.session.scalars(select(Metric).order_by(Metric.code)).all()
    form.metric.choices = [SelectChoice("", "—")] + [
        SelectChoice(m.code, f"{m.code} · {m.name} ({m.unit})") for m in metrics
    ]
    form.service.choices = [
        SelectChoice(s.code, f"{s.code} · {s.name}") for s in agreement.services
    ]
    if form.validate_on_submit():
        metric = next((m for m in metrics if m.code == form.metric.data), None)
        service = next((s for s in agreement.services if s.code == form.service.data), None)
        try:
            target = targets.add_target(
                db.session,
                agreement,
                metric,
                service,
                form.target.data,
                form.weight.data,
                form.credit_pct.data,
                actor=acting_user(),
                change=form.change_request(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Target %(target)s has been added.", target=target.label), "success")
            return _back(agreement)
    status = 400 if form.is_submitted() else 200
    return _render("target_form.html", status, form=form, agreement=agreement, target=None)


@bp.route(f"{TARGET_PATH}/edit", methods=["GET", "POST"])
def edit_target(ref: str, metric: str, service: str):  # noqa: ANN201
    agreement = editable_agreement(ref)
    target = _target(agreement, metric, service)
    shown = {name: Decimal(format_decimal(getattr(target, name))) for name in targets.TARGET_FIELDS}
    form = TargetEditForm(data=None if request.method == "POST" else shown)
    if form.validate_on_submit():
        try:
            targets.update_target(
                db.session,
                target,
                form.target.data,
                form.weight.data,
                form.credit_pct.data,
                actor=acting_user(),
                change=form.change_request(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Target %(target)s has been saved.", target=target.label), "success")
            return _back(agreement)
    status = 400 if form.is_submitted() else 200
    return _render("target_form.html", status, form=form, agreement=agreement, target=target)


@bp.route(f"{TARGET_PATH}/remove", methods=["GET", "POST"])
def remove_target(ref: str, metric: str, service: str):  # noqa: ANN201
    agreement = editable_agreement(ref)
    target = _target(agreement, metric, service)
    label = target.label
    form = ConfirmChangeForm()
    if form.validate_on_submit():
        try:
            targets.remove_target(
                db.session, target, actor=acting_user(), change=form.change_request()
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Target %(target)s has been removed.", target=label), "success")
            return _back(agreement)
    status = 400 if form.is_submitted() else 200
    return _render(
        "confirm.html",
        status,
        form=form,
        agreement=agreement,
        title=_("Remove target %(target)s", target=label),
        question=_("Remove target %(target)s and every link to or from it?", target=label),
        button=_("Remove target"),
    )


@bp.route(f"{TARGET_PATH}/links/new", methods=["GET", "POST"])
def add_link(ref: str, metric: str, service: str):  # noqa: ANN201
    agreement = editable_agreement(ref)
    if not agreement.is_supplier_agreement:
        abort(404)  # a customer SLA's targets underpin nothing: there is no such form
    lower = _target(agreement, metric, service)
    candidates = links.upper_candidates(db.session, lower)
    form = LinkForm()
    form.upper.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(t.id), f"{t.label} · {t.agreement.title}") for t in candidates
    ]
    if form.validate_on_submit():
        upper = _upper(form.upper.data)
        try:
            if upper is None:
                raise DomainError(_("Choose the target this one underpins."), "upper")
            links.link_targets(
                db.session,
                upper,
                lower,
                form.group.data,
                actor=acting_user(),
                change=form.change_request(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(
                _("%(lower)s now underpins %(upper)s.", lower=lower.label, upper=upper.label),
                "success",
            )
            return _back(agreement)
    status = 400 if form.is_submitted() else 200
    return _render(
        "link_form.html", status, form=form, agreement=agreement, lower=lower, candidates=candidates
    )


def _upper(raw: str | None) -> Target | None:
    """Any target may be named; the link rules decide whether it may be linked."""
    if not (raw or "").isdigit():
        return None
    return db.session.get(Target, int(raw or "0"))


@bp.route("/agreements/<ref>/links/<int:link_id>/remove", methods=["GET", "POST"])
def remove_link(ref: str, link_id: int):  # noqa: ANN201
    agreement = editable_agreement(ref)
    link = db.session.scalar(
        select(Link)
        .join(Target, Link.lower_id == Target.id)
        .where(Link.id == link_id)
        .where(
            or_(
                Target.agreement_id == agreement.id,
                Link.upper_id.in_(select(Target.id).where(Target.agreement_id == agreement.id)),
            )
        )
    )
    if link is None:
        abort(404)
    described = targets.link_text(link)
    form = ConfirmChangeForm()
    if form.validate_on_submit():
        try:
            links.unlink(db.session, link, actor=acting_user(), change=form.change_request())
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The link %(link)s has been removed.", link=described), "success")
            return _back(agreement)
    status = 400 if form.is_submitted() else 200
    return _render(
        "confirm.html",
        status,
        form=form,
        agreement=link.lower.agreement,
        title=_("Remove link"),
        question=_("Remove the link %(link)s?", link=described),
        button=_("Remove link"),
    )
