"""Suppliers: list, page (contacts, agreements, sub-contracts), forms."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from contracts import registers
from contracts import registers_queries as queries
from contracts.errors import DomainError
from contracts.models import Supplier, SupplierContact, User
from portal.extensions import db
from portal.loaders import first_or_404, require, supplier_or_404
from portal.pages import EmptyForm, Listing, page_of, prefilled, saved, status_of
from portal.permissions import agreement_scope, supplier_scope
from portal.registers import bp
from portal.registers.forms import ContactForm, SupplierForm

Page = Response | str | tuple[str, int]


def _contact_of(supplier: Supplier, contact_id: int) -> SupplierContact:
    return first_or_404(
        select(SupplierContact).where(
            SupplierContact.id == contact_id, SupplierContact.supplier_id == supplier.id
        )
    )


@bp.route("/suppliers")
def suppliers() -> str:
    scope = supplier_scope(current_user)
    placed = queries.placed_count(agreement_scope(current_user))
    sorts = {
        "code": Supplier.code,
        "name": Supplier.name,
        "kind": Supplier.kind,
        "category": Supplier.category,
        "owner": func.coalesce(func.nullif(User.name, ""), User.email),
        "agreements": placed,
    }
    listing = Listing.from_request(
        sorts, "code", (Supplier.code, Supplier.name), ("kind", "category", "owner")
    )
    page = page_of(listing, queries.list_suppliers(scope, **listing.filters), Supplier.id)
    owners = db.session.scalars(
        select(User).join(Supplier, Supplier.owner_id == User.id).where(scope).distinct()
    ).all()
    return render_template(
        "registers/suppliers.html",
        listing=listing,
        page=page,
        counts=queries.counts(db.session, page.items, placed),
        owners=sorted(owners, key=lambda user: user.display_name),
    )


def _render_supplier(supplier: Supplier, contact_form: ContactForm | None = None) -> Any:
    scope = agreement_scope(current_user)
    return render_template(
        "registers/supplier.html",
        supplier=supplier,
        agreements=db.session.scalars(queries.supplier_agreements(supplier, scope)).all(),
        subcontracts=db.session.scalars(queries.subcontracts_under(supplier, scope)).all(),
        contact_form=contact_form or ContactForm(formdata=None),
        button_form=EmptyForm(),
    )


@bp.route("/suppliers/<code>")
def supplier(code: str) -> str:
    return _render_supplier(supplier_or_404(code))


@bp.route("/suppliers/new", methods=["GET", "POST"])
def new_supplier() -> Page:
    require("edit_contracts")
    form = SupplierForm(data={"owner": current_user.email})
    form.set_owners(registers.owner_candidates(db.session))
    supplier = saved(
        form, lambda: registers.create_supplier(db.session, form.code.data, form.fields())
    )
    if supplier is not None:
        flash(_("Supplier %(code)s has been created.", code=supplier.code), "success")
        return redirect(url_for(".supplier", code=supplier.code))
    return render_template("registers/supplier_form.html", form=form), status_of(form)


@bp.route("/suppliers/<code>/edit", methods=["GET", "POST"])
def edit_supplier(code: str) -> Page:
    supplier = supplier_or_404(code)
    require("edit_contracts", supplier)
    form = prefilled(SupplierForm, SupplierForm.data_of(supplier))
    del form.code
    form.set_owners(registers.owner_candidates(db.session))
    if saved(form, lambda: registers.update_supplier(db.session, supplier, form.fields())):
        flash(_("Supplier %(code)s has been saved.", code=supplier.code), "success")
        return redirect(url_for(".supplier", code=supplier.code))
    return render_template("registers/supplier_form.html", form=form, supplier=supplier), status_of(
        form
    )


@bp.route("/suppliers/<code>/delete", methods=["POST"])
def delete_supplier(code: str) -> Response:
    supplier = supplier_or_404(code)
    require("edit_contracts", supplier)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        registers.delete_supplier(db.session, supplier)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for(".supplier", code=code))
    db.session.commit()
    flash(_("Supplier %(code)s has been deleted.", code=code), "success")
    return redirect(url_for(".suppliers"))


@bp.route("/suppliers/<code>/contacts", methods=["POST"])
def add_contact(code: str) -> Page:
    supplier = supplier_or_404(code)
    require("edit_contracts", supplier)
    form = ContactForm()
    if saved(form, lambda: registers.add_contact(db.session, supplier, form.fields())):
        flash(_("The contact has been added."), "success")
        return redirect(url_for(".supplier", code=code, _anchor="contacts"))
    return _render_supplier(supplier, contact_form=form), 400


@bp.route("/suppliers/<code>/contacts/<int:contact_id>", methods=["GET", "POST"])
def edit_contact(code: str, contact_id: int) -> Page:
    supplier = supplier_or_404(code)
    contact = _contact_of(supplier, contact_id)
    require("edit_contracts", contact)
    form = prefilled(ContactForm, ContactForm.data_of(contact))
    if saved(form, lambda: registers.update_contact(db.session, contact, form.fields())):
        flash(_("The contact has been saved."), "success")
        return redirect(url_for(".supplier", code=code, _anchor="contacts"))
    return render_template(
        "registers/contact_form.html", form=form, supplier=supplier, contact=contact
    ), status_of(form)


@bp.route("/suppliers/<code>/contacts/<int:contact_id>/remove", methods=["POST"])
def remove_contact(code: str, contact_id: int) -> Response:
    supplier = supplier_or_404(code)
    contact = _contact_of(supplier, contact_id)
    require("edit_contracts", contact)
    if not EmptyForm().validate_on_submit():
        abort(400)
    registers.remove_contact(db.session, contact)
    db.session.commit()
    flash(_("The contact has been removed."), "success")
    return redirect(url_for(".supplier", code=code, _anchor="contacts"))
