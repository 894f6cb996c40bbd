"""The service improvement plan: improvement actions across all agreements (routes of the
``governance`` blueprint, kept apart from reviews and disputes for size).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from contracts import clock, governance
from contracts.errors import DomainError
from contracts.models import Agreement, ImprovementAction, Target, User
from contracts.periods import is_period
from portal.extensions import db
from portal.governance import bp
from portal.governance.forms import ActionForm
from portal.loaders import acting_user, find_agreement, require
from portal.pages import Listing, show_refusal
from portal.permissions import agreement_scope, can

ACTION_SORTS = {
    "plan": ImprovementAction.id,  # overdue first, then pending, by due date: see plan_order
    "due": ImprovementAction.due_on,
    "title": ImprovementAction.title,
    "status": ImprovementAction.status,
    "agreement": Agreement.ref,
    "source": ImprovementAction.source,
}
DUE_IN_DAYS = 30  # a new action's suggested due date


def action_or_404(action_id: int) -> ImprovementAction:
    statement = governance.actions_query(agreement_scope(current_user))
    action = db.session.scalar(statement.where(ImprovementAction.id == action_id))
    if action is None or not can(current_user, "view_contracts", action):
        abort(404)
    return action


def visible_agreements() -> list[Agreement]:
    return list(
        db.session.scalars(
            select(Agreement).where(agreement_scope(current_user)).order_by(Agreement.ref)
        )
    )


def staff() -> list[User]:
    """People who may own an action: the provider's own active staff."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.role != "supplier")
            .order_by(User.name, User.email)
        )
    )


@bp.route("/actions")
def actions() -> str:
    require("view_contracts")
    listing = Listing.from_request(
        ACTION_SORTS,
        "plan",
        (ImprovementAction.title, ImprovementAction.description, Agreement.ref),
        ("status", "owner", "agreement", "source"),
    )
    today = clock.today()
    owner = listing.filters.get("owner", "")
    statement = governance.actions_query(
        agreement_scope(current_user),
        status=listing.filters.get("status"),
        owner_id=int(owner) if owner.isdigit() else None,
        agreement_ref=listing.filters.get("agreement"),
        source=listing.filters.get("source"),
        today=today,
    ).options(selectinload(ImprovementAction.owner), selectinload(ImprovementAction.target))
    if listing.sort.lstrip("-") == "plan":
        statement = statement.order_by(*governance.plan_order(today))
    return render_template(
        "governance/actions.html",
        listing=listing,
        page=listing.paginate(statement),
        today=today,
        agreements=visible_agreements(),
        owners=staff(),
    )


@bp.route("/actions/new", methods=["GET", "POST"])
def new_action():  # noqa: ANN201
    require("edit_contracts")
    form = ActionForm()
    offer_choices(form)
    if request.method == "GET":
        prefill(form)
    elif form.validate_on_submit():
        try:
            governance.create_action(db.session, action_input(form), actor=acting_user())
        except DomainError as error:
            show_refusal(form, error, "title")
        else:
            db.session.commit()
            flash(_("The improvement action has been added to the plan."), "success")
            return redirect(url_for("governance.actions"))
    status = 400 if form.is_submitted() else 200
    return render_template("governance/action_form.html", form=form, action=None), status


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(action_id: int):  # noqa: ANN201
    action = action_or_404(action_id)
    require("edit_contracts", action)
    form = ActionForm() if request.method == "POST" else ActionForm(formdata=None, **data(action))
    offer_choices(form, action)
    if form.validate_on_submit():
        try:
            governance.update_action(db.session, action, action_input(form), actor=acting_user())
        except DomainError as error:
            show_refusal(form, error, "title")
        else:
            db.session.commit()
            flash(_("The improvement action has been saved."), "success")
            return redirect(url_for("governance.actions"))
    status = 400 if form.is_submitted() else 200
    return render_template("governance/action_form.html", form=form, action=action), status


def data(action: ImprovementAction) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "agreement": action.agreement.ref if action.agreement else "",
        "target": str(action.target_id or ""),
        "period": action.period or "",
        "owner": str(action.owner_id or ""),
        "due_on": action.due_on,
        "status": action.status,
        "source": action.source,
    }


def offer_choices(form: ActionForm, action: ImprovementAction | None = None) -> None:
    agreements = visible_agreements()
    form.agreement.choices = [SelectChoice("", str(_l("— none (the provider's own) —")))] + [
        SelectChoice(agreement.ref, f"{agreement.ref} · {agreement.title}")
        for agreement in agreements
    ]
    targets = db.session.scalars(
        select(Target)
        .join(Target.agreement)
        .where(agreement_scope(current_user))
        .options(selectinload(Target.metric), selectinload(Target.service))
        .order_by(Agreement.ref, Target.id)
    )
    form.target.choices = [SelectChoice("", "—")] + [
        SelectChoice(
            str(target.id),
            f"{target.metric.code} / {target.service.code} · {target.metric.name}",
            optgroup=target.agreement.ref,
        )
        for target in targets
    ]
    owners = staff()
    if action is not None and action.owner is not None and action.owner not in owners:
        owners.append(action.owner)
    form.owner.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(user.id), user.display_name) for user in owners
    ]


def prefill(form: ActionForm) -> None:
    """A new action from query arguments: ``agreement`` (ref), ``target`` (id), ``period``
    (YYYY-MM), as a scorecard's missed target links here.
    """
    args = request.args
    agreement = find_agreement(args.get("agreement", "").strip())
    target = find_target(args.get("target", "").strip())
    if target is not None and agreement is not None and target.agreement_id != agreement.id:
        target = None
    agreement = agreement or (target.agreement if target else None)
    period = args.get("period", "").strip()[:7]
    form.agreement.data = agreement.ref if agreement else ""
    form.target.data = str(target.id) if target else ""
    form.period.data = period
    form.owner.data = str(current_user.id) if current_user.role != "supplier" else ""
    form.due_on.data = clock.today() + timedelta(days=DUE_IN_DAYS)
    form.status.data = "open"
    form.source.data = "scorecard" if target and is_period(period) else "manual"
    if target is not None:
        form.title.data = _(
            "Recover %(metric)s / %(service)s on %(ref)s",
            metric=target.metric.name, service=target.service.code, ref=target.agreement.ref,
        )  # fmt: skip


def find_target(target_id: str) -> Target | None:
    if not target_id.isdigit():
        return None
    return db.session.scalar(
        select(Target)
        .join(Target.agreement)
        .where(Target.id == int(target_id), agreement_scope(current_user))
    )


def action_input(form: ActionForm) -> governance.ActionInput:
    """The form's choices resolved through the viewer's scope: a ref or id the viewer may not
    see is refused like one that does not exist.
    """
    agreement = find_agreement(form.agreement.data or "")
    if form.agreement.data and agreement is None:
        raise DomainError(_l("Choose an agreement from the list."), "agreement")
    target = find_target(form.target.data or "")
    if form.target.data and target is None:
        raise DomainError(_l("Choose a target from the list."), "target")
    owner_id = form.owner.data or ""
    owner = db.session.get(User, int(owner_id)) if owner_id.isdigit() else None
    if agreement is not None:
        require("edit_contracts", agreement)
    return governance.ActionInput(
        title=form.title.data or "",
        description=form.description.data or "",
        agreement=agreement,
        target=target,
        period=form.period.data,
        owner=owner,
        due_on=form.due_on.data,
        status=form.status.data or "",
        source=form.source.data or "",
    )
