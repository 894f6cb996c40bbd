"""Agreements: register, page, forms, status moves and change records.

Targets and links have their own views in ``portal.agreements.targets`` on the same blueprint.
Every view loads the agreement through the viewer's scope (404 when it is out of reach), then
checks ``can(...)`` (403), validates, calls one operation, commits, flashes and redirects.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from contracts import agreements as operations
from contracts import clock, queries, reviews
from contracts.errors import DomainError
from contracts.models import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    Agreement,
    ChangeRecord,
    Customer,
    Service,
    Supplier,
    User,
)
from contracts.values import format_decimal, format_money
from portal.agreements import bp
from portal.agreements.forms import AgreementEditForm, AgreementForm, StatusForm
from portal.extensions import db
from portal.labels import AGREEMENT_STATUS, CONTRACT_CONTENT, SUPPLIER_KIND
from portal.loaders import acting_user, agreement_or_404, editable_agreement
from portal.pages import Listing, show_refusal
from portal.permissions import agreement_scope, can

OWNER_ROLES = ("admin", "vendor_manager")


# List -----------------------------------------------------------------------------------------

LIST_FILTERS = ("kind", "status", "supplier", "customer", "owner", "incomplete", "due")
DUE_WITHIN_DAYS = 90


@bp.route("/agreements")
def index() -> str:
    party = func.coalesce(Supplier.name, Customer.name)
    listing = Listing.from_request(
        sorts={
            "ref": Agreement.ref,
            "title": Agreement.title,
            "kind": Agreement.kind,
            "party": party,
            "status": Agreement.status,
            "end": Agreement.end,
        },
        default_sort="ref",
        search_columns=(Agreement.ref, Agreement.title, Supplier.name, Customer.name),
        filter_names=LIST_FILTERS,
    )
    statement = (
        select(Agreement)
        .outerjoin(Agreement.supplier)
        .outerjoin(Agreement.customer)
        .where(agreement_scope(current_user))
        .options(selectinload(Agreement.owner))
    )
    page = listing.paginate(_filtered(statement, listing.filters))
    return render_template(
        "agreements/index.html",
        listing=listing,
        page=page,
        choices=_filter_choices(),
        kinds=AGREEMENT_KINDS,
        statuses=AGREEMENT_STATUSES,
        missing={agreement.id: operations.missing_contents(agreement) for agreement in page},
    )


def _filtered(statement, filters: dict[str, str]):  # noqa: ANN001, ANN202
    if filters.get("kind") in AGREEMENT_KINDS:
        statement = statement.where(Agreement.kind == filters["kind"])
    if filters.get("status") in AGREEMENT_STATUSES:
        statement = statement.where(Agreement.status == filters["status"])
    if filters.get("supplier"):
        statement = statement.where(Supplier.code == filters["supplier"])
    if filters.get("customer"):
        statement = statement.where(Customer.code == filters["customer"])
    if filters.get("owner", "").isdigit():
        statement = statement.where(Agreement.owner_id == int(filters["owner"]))
    if filters.get("incomplete"):
        statement = statement.where(operations.incomplete())
    if filters.get("due") in operations.DUE_DATES:
        due = operations.upcoming(
            queries.in_force_agreements(db.session, agreement_scope(current_user)),
            filters["due"],
            clock.today(),
            DUE_WITHIN_DAYS,
        )
        statement = statement.where(Agreement.id.in_([agreement.id for agreement, _ in due]))
    return statement


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Suppliers, customers and owners of the agreements the viewer may see."""
    scope = agreement_scope(current_user)
    suppliers = db.session.execute(
        select(Supplier.code, Supplier.name)
        .join(Supplier.agreements)
        .where(scope)
        .distinct()
        .order_by(Supplier.code)
    )
    customers = db.session.execute(
        select(Customer.code, Customer.name)
        .join(Agreement, Agreement.customer_id == Customer.id)
        .where(scope)
        .distinct()
        .order_by(Customer.code)
    )
    owners = db.session.execute(
        select(User.id, User.name, User.email)
        .join(Agreement, Agreement.owner_id == User.id)
        .where(scope)
        .distinct()
        .order_by(User.email)
    )
    return {
        "supplier": [(code, f"{code} · {name}") for code, name in suppliers],
        "customer": [(code, f"{code} · {name}") for code, name in customers],
        "owner": [(str(user_id), name or email) for user_id, name, email in owners],
    }


# Agreement page -------------------------------------------------------------------------------


@bp.route("/agreements/<ref>")
def detail(ref: str) -> str:
    agreement = agreement_or_404(ref)
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        missing=operations.missing_contents(agreement),
        notice_deadline=operations.notice_deadline(agreement),
        next_review=reviews.next_review_due(agreement),
        subcontracts=[sub for sub in agreement.subcontracts if _sees(sub)],
        sees=_sees,
        can_edit=can(current_user, "edit_contracts", agreement),
        next_statuses=operations.allowed_statuses(agreement),
    )


def _sees(agreement: Agreement) -> bool:
    return can(current_user, "view_contracts", agreement)


@bp.route("/agreements/<ref>/changes/<int:version>")
def change(ref: str, version: int) -> str:
    agreement = agreement_or_404(ref)
    record = db.session.scalar(
        select(ChangeRecord)
        .where(ChangeRecord.agreement_id == agreement.id, ChangeRecord.version == version)
        .order_by(ChangeRecord.id)
        .limit(1)
    )
    if record is None:
        abort(404)
    return render_template("agreements/change.html", agreement=agreement, record=record)


# Creating and editing -------------------------------------------------------------------------


def _fill_choices(form: AgreementForm, agreement: Agreement | None = None) -> None:
    none = [SelectChoice("", "—")]
    customers = db.session.scalars(select(Customer).order_by(Customer.code))
    form.customer.choices = none + [SelectChoice(c.code, f"{c.code} · {c.name}") for c in customers]
    suppliers = db.session.scalars(select(Supplier).order_by(Supplier.code))
    form.supplier.choices = none + [
        SelectChoice(s.code, f"{s.code} · {s.name} ({SUPPLIER_KIND[s.kind]})") for s in suppliers
    ]
    parents = db.session.scalars(
        select(Agreement).where(Agreement.kind == "underpinning").order_by(Agreement.ref)
    )
    form.parent.choices = none + [
        SelectChoice(p.ref, f"{p.ref} · {p.title}") for p in parents if p is not agreement
    ]
    owners = db.session.scalars(
        select(User).where(User.role.in_(OWNER_ROLES), User.active).order_by(User.email)
    )
    form.owner.choices = none + [SelectChoice(str(u.id), u.display_name) for u in owners]
    services = db.session.scalars(select(Service).order_by(Service.code))
    form.services.choices = [SelectChoice(s.code, f"{s.code} · {s.name}") for s in services]


def _terms(form: AgreementForm) -> operations.AgreementTerms:
    def by_code(model, code):  # noqa: ANN001, ANN202
        return db.session.scalar(select(model).where(model.code == code)) if code else None

    parent = None
    if form.parent.data:
        parent = db.session.scalar(select(Agreement).where(Agreement.ref == form.parent.data))
    owner = None
    if (form.owner.data or "").isdigit():
        owner = db.session.scalar(
            select(User).where(User.id == int(form.owner.data), User.role.in_(OWNER_ROLES))
        )
    codes = form.services.data or []
    return operations.AgreementTerms(
        title=form.title.data or "",
        start=form.start.data,
        end=form.end.data,
        customer=by_code(Customer, form.customer.data),
        supplier=by_code(Supplier, form.supplier.data),
        parent=parent,
        owner=owner,
        notice_days=form.notice_days.data or 0,
        auto_renew=bool(form.auto_renew.data),
        renewal_months=form.renewal_months.data,
        review_months=form.review_months.data,
        services=list(db.session.scalars(select(Service).where(Service.code.in_(codes)))),
        monthly_charge=form.monthly_charge.data,
        currency=(form.currency.data or "").strip().upper(),
        credit_cap_pct=form.credit_cap_pct.data,
        contents=form.contents(),
    )


@bp.route("/agreements/new", methods=["GET", "POST"])
def new():  # noqa: ANN201
    if not can(current_user, "edit_contracts"):
        abort(403)
    form = AgreementForm()
    _fill_choices(form)
    if not form.is_submitted():
        form.owner.data = str(current_user.id) if current_user.role in OWNER_ROLES else ""
    if form.validate_on_submit():
        try:
            agreement = operations.create_agreement(
                db.session, form.ref.data, form.kind.data, _terms(form), actor=acting_user()
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Agreement %(ref)s has been created as a draft.", ref=agreement.ref), "success")
            return redirect(url_for("agreements.detail", ref=agreement.ref))
    status = 400 if form.is_submitted() else 200
    return render_template("agreements/form.html", form=form, agreement=None), status


def _edit_data(agreement: Agreement) -> dict[str, object]:
    return {
        "title": agreement.title,
        "customer": agreement.customer.code if agreement.customer else "",
        "supplier": agreement.supplier.code if agreement.supplier else "",
        "parent": agreement.parent.ref if agreement.parent else "",
        "owner": str(agreement.owner_id or ""),
        "services": [service.code for service in agreement.services],
        "monthly_charge": format_money(agreement.monthly_charge),
        "credit_cap_pct": (
            None if agreement.credit_cap_pct is None else format_decimal(agreement.credit_cap_pct)
        ),
        **{
            name: getattr(agreement, name)
            for name in ("start", "end", "notice_days", "auto_renew", "renewal_months")
            + ("review_months", "currency", *CONTRACT_CONTENT)
        },
    }


@bp.route("/agreements/<ref>/edit", methods=["GET", "POST"])
def edit(ref: str):  # noqa: ANN201
    agreement = editable_agreement(ref)
    form = AgreementEditForm(data=None if request.method == "POST" else _edit_data(agreement))
    _fill_choices(form, agreement)
    if form.validate_on_submit():
        try:
            record = operations.update_agreement(
                db.session,
                agreement,
                _terms(form),
                actor=acting_user(),
                change=form.change_request(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            _flash_saved(agreement, record)
            return redirect(url_for("agreements.detail", ref=agreement.ref))
    status = 400 if form.is_submitted() else 200
    return render_template("agreements/form.html", form=form, agreement=agreement), status


def _flash_saved(agreement: Agreement, record: ChangeRecord | None) -> None:
    if record is None:
        flash(_("%(ref)s has been saved.", ref=agreement.ref), "success")
    else:
        flash(
            _(
                "%(ref)s has been saved as version %(version)d.",
                ref=agreement.ref,
                version=record.version,
            ),
            "success",
        )


@bp.route("/agreements/<ref>/status", methods=["GET", "POST"])
def status(ref: str):  # noqa: ANN201
    agreement = editable_agreement(ref)
    form = StatusForm()
    form.status.choices = [
        SelectChoice(name, str(AGREEMENT_STATUS[name]))
        for name in operations.allowed_statuses(agreement)
    ]
    if form.validate_on_submit():
        before = agreement.status
        try:
            operations.change_status(
                db.session,
                agreement,
                form.status.data,
                actor=acting_user(),
                change=form.change_request(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(ref)s has moved from %(before)s to %(after)s.",
                    ref=agreement.ref,
                    before=AGREEMENT_STATUS[before],
                    after=AGREEMENT_STATUS[agreement.status],
                ),
                "success",
            )
            return redirect(url_for("agreements.detail", ref=agreement.ref))
    status_code = 400 if form.is_submitted() else 200
    return render_template("agreements/status.html", form=form, agreement=agreement), status_code
