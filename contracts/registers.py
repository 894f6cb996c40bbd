"""Registers: metrics, customers, services, suppliers and their contacts.

Operations validate everything first, then write and ``flush()``; they never commit, so a
refused save leaves nothing behind (audit log included). The list queries are in
``contracts.registers_queries``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from contracts.errors import DomainError
from contracts.models import (
    COMPOSITIONS,
    DIRECTIONS,
    SUPPLIER_CATEGORIES,
    SUPPLIER_KINDS,
    Agreement,
    Customer,
    Metric,
    Service,
    Supplier,
    SupplierContact,
    Target,
    User,
    agreement_services,
)
from contracts.values import InvalidValue, check_in_range, format_decimal, sane_range

# Codes appear in addresses, files and the API: plain ASCII letters, digits, - and _.
CODE = re.compile(r"[A-Za-z0-9_-]+")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
OWNER_ROLES = ("vendor_manager", "admin")

Registered = Metric | Customer | Service | Supplier


# Validation ---------------------------------------------------------------------------------


def _text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_l("must not be empty"), field)
    if len(text) > max_length:
        raise DomainError(_l("must be at most %(count)d characters", count=max_length), field)
    return text


def _new_code(session: Session, model: type[Registered], code: str | None) -> str:
    text = _text(code, "code", 40, required=True)
    if not CODE.fullmatch(text):
        raise DomainError(
            _l("may contain only letters A–Z, digits, hyphens (-) and underscores (_)"), "code"
        )
    if text.lower() == "new":
        # /suppliers/new and the like are the pages that create a record.
        raise DomainError(_l("“new” is reserved; choose another code"), "code")
    taken = session.scalar(select(model.id).where(func.lower(model.code) == text.lower()))
    if taken is not None:
        raise DomainError(_l("%(code)s exists already", code=text), "code")
    return text


def _choice(value: str | None, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise DomainError(_l("must be one of: %(choices)s", choices=", ".join(choices)), field)
    return value


# Metrics ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricFields:
    name: str | None
    unit: str | None
    direction: str | None
    composition: str | None
    description: str | None = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None


@dataclass(frozen=True)
class _Range:
    """The unit and bounds a metric would have, for ``check_in_range`` before anything changes."""

    unit: str
    min_value: Decimal | None
    max_value: Decimal | None


def _metric_values(fields: MetricFields) -> dict[str, Any]:
    values = {
        "name": _text(fields.name, "name", 200, required=True),
        "unit": _text(fields.unit, "unit", 20),
        "direction": _choice(fields.direction, DIRECTIONS, "direction"),
        "composition": _choice(fields.composition, COMPOSITIONS, "composition"),
        "description": _text(fields.description, "description", 4000),
        "min_value": fields.min_value,
        "max_value": fields.max_value,
    }
    low, high = fields.min_value, fields.max_value
    if low is not None and high is not None and low >= high:
        raise DomainError(
            _l("must be above the lowest value (%(low)s)", low=format_decimal(low)), "max_value"
        )
    return values


def create_metric(session: Session, code: str | None, fields: MetricFields) -> Metric:
    metric = Metric(code=_new_code(session, Metric, code), **_metric_values(fields))
    session.add(metric)
    session.flush()
    return metric


def update_metric(session: Session, metric: Metric, fields: MetricFields) -> Metric:
    values = _metric_values(fields)
    targets = session.scalars(select(Target).where(Target.metric_id == metric.id)).all()
    for key in ("direction", "composition"):
        if targets and values[key] != getattr(metric, key):
            raise DomainError(
                _nl(
                    "cannot change while %(num)d target uses this metric: its value and the "
                    "chains it is linked into were set for the present rule. Create a new "
                    "metric instead.",
                    "cannot change while %(num)d targets use this metric: their values and "
                    "the chains they are linked into were set for the present rule. Create a "
                    "new metric instead.",
                    len(targets),
                ),
                key,
            )
    bounds = _Range(values["unit"], values["min_value"], values["max_value"])
    low, _high = sane_range(bounds)
    for target in targets:
        try:
            check_in_range(bounds, target.target)
        except InvalidValue as error:
            # The new range would make an agreed target value impossible to report against.
            field = "min_value" if low is not None and target.target < low else "max_value"
            raise DomainError(
                _l("target %(target)s: %(problem)s", target=target.label, problem=error.message),
                field,
            ) from None
    for key, value in values.items():
        setattr(metric, key, value)
    session.flush()
    return metric


# Customers and services ---------------------------------------------------------------------


def create_customer(session: Session, code: str | None, name: str | None) -> Customer:
    customer = Customer(
        code=_new_code(session, Customer, code), name=_text(name, "name", 200, required=True)
    )
    session.add(customer)
    session.flush()
    return customer


def update_customer(session: Session, customer: Customer, name: str | None) -> Customer:
    customer.name = _text(name, "name", 200, required=True)
    session.flush()
    return customer


def create_service(session: Session, code: str | None, name: str | None) -> Service:
    service = Service(
        code=_new_code(session, Service, code), name=_text(name, "name", 200, required=True)
    )
    session.add(service)
    session.flush()
    return service


def update_service(session: Session, service: Service, name: str | None) -> Service:
    service.name = _text(name, "name", 200, required=True)
    session.flush()
    return service


# Suppliers and contacts ---------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierFields:
    name: str | None
    kind: str | None
    category: str | None
    owner: str | None  # the owner's e-mail address
    notes: str | None = ""


def owner_candidates(session: Session) -> list[Any]:
    """Who may own a supplier relationship: active vendor managers and administrators."""
    return list(
        session.scalars(
            select(User)
            .where(User.role.in_(OWNER_ROLES), User.active.is_(True))
            .order_by(User.role.desc(), User.name, User.email)
        )
    )


def _owner(session: Session, email: str | None) -> Any:
    text = (email or "").strip()
    if not text:
        raise DomainError(_l("choose the vendor manager responsible for this supplier"), "owner")
    owner = session.scalar(select(User).where(func.lower(User.email) == text.lower()))
    if owner is None or owner.role not in OWNER_ROLES or not owner.active:
        raise DomainError(
            _l("%(email)s is not an active vendor manager or administrator", email=text), "owner"
        )
    return owner


def _supplier_values(session: Session, fields: SupplierFields) -> dict[str, Any]:
    return {
        "name": _text(fields.name, "name", 200, required=True),
        "kind": _choice(fields.kind, SUPPLIER_KINDS, "kind"),
        "category": _choice(fields.category, SUPPLIER_CATEGORIES, "category"),
        "owner": _owner(session, fields.owner),
        "notes": _text(fields.notes, "notes", 10000),
    }


def create_supplier(session: Session, code: str | None, fields: SupplierFields) -> Supplier:
    supplier = Supplier(
        code=_new_code(session, Supplier, code), **_supplier_values(session, fields)
    )
    session.add(supplier)
    session.flush()
    return supplier


def update_supplier(session: Session, supplier: Supplier, fields: SupplierFields) -> Supplier:
    values = _supplier_values(session, fields)
    if values["kind"] != supplier.kind:
        # An OLA binds an internal supplier, an underpinning contract an external one.
        wrong = "underpinning" if values["kind"] == "internal" else "ola"
        count = session.scalar(
            select(func.count())
            .select_from(Agreement)
            .where(Agreement.supplier_id == supplier.id, Agreement.kind == wrong)
        )
        if count:
            raise DomainError(
                _nl(
                    "cannot change while %(num)d agreement of kind %(kind)s binds this supplier",
                    "cannot change while %(num)d agreements of kind %(kind)s bind this supplier",
                    count,
                    kind=wrong,
                ),
                "kind",
            )
    for key, value in values.items():
        setattr(supplier, key, value)
    session.flush()
    return supplier


@dataclass(frozen=True)
class ContactFields:
    name: str | None
    role: str | None = ""
    email: str | None = ""
    phone: str | None = ""


def _contact_values(fields: ContactFields) -> dict[str, str]:
    email = _text(fields.email, "email", 254)
    if email and not EMAIL.fullmatch(email):
        raise DomainError(_l("is not an e-mail address"), "email")
    return {
        "name": _text(fields.name, "name", 200, required=True),
        "role": _text(fields.role, "role", 200),
        "email": email,
        "phone": _text(fields.phone, "phone", 50),
    }


def add_contact(session: Session, supplier: Supplier, fields: ContactFields) -> SupplierContact:
    values = _contact_values(fields)
    last = session.scalar(
        select(func.max(SupplierContact.position)).where(SupplierContact.supplier_id == supplier.id)
    )
    contact = SupplierContact(supplier=supplier, position=(last or 0) + 1, **values)
    session.add(contact)
    session.flush()
    return contact


def update_contact(
    session: Session, contact: SupplierContact, fields: ContactFields
) -> SupplierContact:
    for key, value in _contact_values(fields).items():
        setattr(contact, key, value)
    session.flush()
    return contact


def remove_contact(session: Session, contact: SupplierContact) -> None:
    contact.supplier.contacts.remove(contact)
    session.delete(contact)
    session.flush()


# Deleting -----------------------------------------------------------------------------------


def _count(session: Session, statement: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _refuse_if_used(uses: list[tuple[int, Any]]) -> None:
    reasons = [str(message) for count, message in uses if count]
    if reasons:
        raise DomainError(
            _l("cannot be deleted while it is in use: %(uses)s", uses="; ".join(reasons))
        )


def delete_metric(session: Session, metric: Metric) -> None:
    targets = _count(session, select(Target.id).where(Target.metric_id == metric.id))
    _refuse_if_used([(targets, _nl("%(num)d target uses it", "%(num)d targets use it", targets))])
    session.delete(metric)
    session.flush()


def delete_customer(session: Session, customer: Customer) -> None:
    slas = _count(session, select(Agreement.id).where(Agreement.customer_id == customer.id))
    _refuse_if_used(
        [(slas, _nl("%(num)d SLA is agreed with it", "%(num)d SLAs are agreed with it", slas))]
    )
    session.delete(customer)
    session.flush()


def delete_service(session: Session, service: Service) -> None:
    covering = select(agreement_services.c.agreement_id).where(
        agreement_services.c.service_id == service.id
    )
    agreements = _count(session, covering)
    targets = _count(session, select(Target.id).where(Target.service_id == service.id))
    _refuse_if_used(
        [
            (
                agreements,
                _nl("%(num)d agreement covers it", "%(num)d agreements cover it", agreements),
            ),
            (targets, _nl("%(num)d target measures it", "%(num)d targets measure it", targets)),
        ]
    )
    session.delete(service)
    session.flush()


def delete_supplier(session: Session, supplier: Supplier) -> None:
    agreements = _count(session, select(Agreement.id).where(Agreement.supplier_id == supplier.id))
    users = _count(session, select(User.id).where(User.supplier_id == supplier.id))
    _refuse_if_used(
        [
            (
                agreements,
                _nl(
                    "%(num)d agreement is placed with it",
                    "%(num)d agreements are placed with it",
                    agreements,
                ),
            ),
            (
                users,
                _nl(
                    "%(num)d user account belongs to it",
                    "%(num)d user accounts belong to it",
                    users,
                ),
            ),
        ]
    )
    session.delete(supplier)
    session.flush()
