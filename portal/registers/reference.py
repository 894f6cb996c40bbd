"""Metrics, customers and services: lists, pages and forms."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from contracts import registers
from contracts import registers_queries as queries
from contracts.errors import DomainError
from contracts.models import Customer, Metric, Service
from portal.extensions import db
from portal.loaders import first_or_404, require
from portal.pages import EmptyForm, Listing, page_of, prefilled, saved, status_of
from portal.permissions import agreement_scope, supplier_binding
from portal.registers import bp
from portal.registers.forms import CodeNameForm, MetricForm

Page = Response | str | tuple[str, int]


def _deleted(operation: object, obj: object, message: str, back: str) -> Response:
    """Delete through ``operation``, or say why not on the page the user came from."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        operation(db.session, obj)  # type: ignore[operator]
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(f".{type(obj).__name__.lower()}s"))


# Metrics ------------------------------------------------------------------------------------


@bp.route("/metrics")
def metrics() -> str:
    sorts = {
        "code": Metric.code,
        "name": Metric.name,
        "unit": Metric.unit,
        "direction": Metric.direction,
        "composition": Metric.composition,
    }
    listing = Listing.from_request(
        sorts, "code", (Metric.code, Metric.name), ("direction", "composition")
    )
    page = page_of(listing, queries.list_metrics(**listing.filters), Metric.id)
    return render_template("registers/metrics.html", listing=listing, page=page)


@bp.route("/metrics/<code>")
def metric(code: str) -> str:
    found = first_or_404(select(Metric).where(Metric.code == code))
    targets = db.session.scalars(queries.metric_targets(found, agreement_scope(current_user)))
    return render_template(
        "registers/metric.html",
        metric=found,
        targets=targets.all(),
        delete_form=EmptyForm(),
    )


@bp.route("/metrics/new", methods=["GET", "POST"])
def new_metric() -> Page:
    require("edit_contracts")
    form = MetricForm()
    metric = saved(form, lambda: registers.create_metric(db.session, form.code.data, form.fields()))
    if metric is not None:
        flash(_("Metric %(code)s has been created.", code=metric.code), "success")
        return redirect(url_for(".metric", code=metric.code))
    return render_template("registers/metric_form.html", form=form), status_of(form)


@bp.route("/metrics/<code>/edit", methods=["GET", "POST"])
def edit_metric(code: str) -> Page:
    metric = first_or_404(select(Metric).where(Metric.code == code))
    require("edit_contracts", metric)
    form = prefilled(MetricForm, MetricForm.data_of(metric))
    del form.code
    if saved(form, lambda: registers.update_metric(db.session, metric, form.fields())):
        flash(_("Metric %(code)s has been saved.", code=metric.code), "success")
        return redirect(url_for(".metric", code=metric.code))
    return render_template("registers/metric_form.html", form=form, metric=metric), status_of(form)


@bp.route("/metrics/<code>/delete", methods=["POST"])
def delete_metric(code: str) -> Response:
    metric = first_or_404(select(Metric).where(Metric.code == code))
    require("edit_contracts", metric)
    done = _("Metric %(code)s has been deleted.", code=metric.code)
    return _deleted(registers.delete_metric, metric, done, url_for(".metric", code=code))


# Customers ----------------------------------------------------------------------------------


def _require_customers() -> None:
    require("view_customers")


@bp.route("/customers")
def customers() -> str:
    _require_customers()
    slas = queries.sla_count()
    sorts = {"code": Customer.code, "name": Customer.name, "slas": slas}
    listing = Listing.from_request(sorts, "code", (Customer.code, Customer.name))
    page = page_of(listing, select(Customer), Customer.id)
    counts = queries.counts(db.session, page.items, slas)
    return render_template("registers/customers.html", listing=listing, page=page, counts=counts)


@bp.route("/customers/<code>")
def customer(code: str) -> str:
    _require_customers()
    found = first_or_404(select(Customer).where(Customer.code == code))
    slas = db.session.scalars(queries.customer_slas(found)).all()
    return render_template(
        "registers/customer.html", customer=found, slas=slas, delete_form=EmptyForm()
    )


@bp.route("/customers/new", methods=["GET", "POST"])
def new_customer() -> Page:
    _require_customers()
    require("edit_contracts")
    form = CodeNameForm()
    customer = saved(
        form, lambda: registers.create_customer(db.session, form.code.data, form.name.data)
    )
    if customer is not None:
        flash(_("Customer %(code)s has been created.", code=customer.code), "success")
        return redirect(url_for(".customer", code=customer.code))
    return render_template("registers/code_name_form.html", form=form, kind="customer"), status_of(
        form
    )


@bp.route("/customers/<code>/edit", methods=["GET", "POST"])
def edit_customer(code: str) -> Page:
    _require_customers()
    customer = first_or_404(select(Customer).where(Customer.code == code))
    require("edit_contracts", customer)
    form = prefilled(CodeNameForm, {"name": customer.name})
    del form.code
    if saved(form, lambda: registers.update_customer(db.session, customer, form.name.data)):
        flash(_("Customer %(code)s has been saved.", code=customer.code), "success")
        return redirect(url_for(".customer", code=customer.code))
    return render_template(
        "registers/code_name_form.html", form=form, kind="customer", record=customer
    ), status_of(form)


@bp.route("/customers/<code>/delete", methods=["POST"])
def delete_customer(code: str) -> Response:
    _require_customers()
    customer = first_or_404(select(Customer).where(Customer.code == code))
    require("edit_contracts", customer)
    done = _("Customer %(code)s has been deleted.", code=customer.code)
    return _deleted(registers.delete_customer, customer, done, url_for(".customer", code=code))


# Services -----------------------------------------------------------------------------------


@bp.route("/services")
def services() -> str:
    covering = queries.covering_count(agreement_scope(current_user))
    sorts = {"code": Service.code, "name": Service.name, "agreements": covering}
    listing = Listing.from_request(sorts, "code", (Service.code, Service.name))
    page = page_of(listing, select(Service), Service.id)
    counts = queries.counts(db.session, page.items, covering)
    return render_template("registers/services.html", listing=listing, page=page, counts=counts)


@bp.route("/services/<code>")
def service(code: str) -> str:
    found = first_or_404(select(Service).where(Service.code == code))
    scope = agreement_scope(current_user)
    agreements = db.session.scalars(queries.service_agreements(found, scope)).all()
    return render_template(
        "registers/service.html",
        service=found,
        agreements=agreements,
        delete_form=EmptyForm(),
        can_see_customers=supplier_binding(current_user) is None,
    )


@bp.route("/services/new", methods=["GET", "POST"])
def new_service() -> Page:
    require("edit_contracts")
    form = CodeNameForm()
    service = saved(
        form, lambda: registers.create_service(db.session, form.code.data, form.name.data)
    )
    if service is not None:
        flash(_("Service %(code)s has been created.", code=service.code), "success")
        return redirect(url_for(".service", code=service.code))
    return render_template("registers/code_name_form.html", form=form, kind="service"), status_of(
        form
    )


@bp.route("/services/<code>/edit", methods=["GET", "POST"])
def edit_service(code: str) -> Page:
    service = first_or_404(select(Service).where(Service.code == code))
    require("edit_contracts", service)
    form = prefilled(CodeNameForm, {"name": service.name})
    del form.code
    if saved(form, lambda: registers.update_service(db.session, service, form.name.data)):
        flash(_("Service %(code)s has been saved.", code=service.code), "success")
        return redirect(url_for(".service", code=service.code))
    return render_template(
        "registers/code_name_form.html", form=form, kind="service", record=service
    ), status_of(form)


@bp.route("/services/<code>/delete", methods=["POST"])
def delete_service(code: str) -> Response:
    service = first_or_404(select(Service).where(Service.code == code))
    require("edit_contracts", service)
    done = _("Service %(code)s has been deleted.", code=service.code)
    return _deleted(registers.delete_service, service, done, url_for(".service", code=code))
