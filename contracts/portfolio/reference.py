"""Reading the reference data of a portfolio file: metrics, customers, services, suppliers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from contracts.models import (
    COMPOSITIONS,
    DIRECTIONS,
    SUPPLIER_CATEGORIES,
    SUPPLIER_KINDS,
    Customer,
    Metric,
    Service,
    Supplier,
    SupplierContact,
)
from contracts.portfolio.catalogue import ContractsImport
from contracts.values import Entry, parse_decimal

METRIC_KEYS: tuple[str, ...] = ("code", "name", "unit", "direction", "composition")
METRIC_KEYS += ("description", "min_value", "max_value")
SUPPLIER_KEYS = ("code", "name", "kind", "category", "owner", "notes", "contacts")
CONTACT_KEYS = ("name", "role", "email", "phone")


def read_metric(portfolio: ContractsImport, raw: object, path: str) -> None:
    entry = Entry(raw, path, portfolio.problems, METRIC_KEYS)
    code = portfolio.claim(entry, "code", "metrics", portfolio.metrics, 40)
    metric = Metric(
        code=code,
        name=entry.text("name"),
        unit=entry.text("unit", required=False, max_length=20, default=""),
        direction=entry.choice("direction", DIRECTIONS),
        composition=entry.choice("composition", COMPOSITIONS),
        description=entry.text("description", required=False, max_length=None, default=""),
        min_value=entry.value("min_value", parse_decimal, required=False),
        max_value=entry.value("max_value", parse_decimal, required=False),
    )
    low, high = metric.min_value, metric.max_value
    if low is not None and high is not None and low > high:
        entry.problem("max_value", _l("must not be below min_value"))
        # No range rather than a nonsensical one: targets are not refused a second time.
        metric.min_value = metric.max_value = None
    if code is not None:
        portfolio.metrics[code] = metric
        portfolio.created["metrics"].append(metric)


def read_customer(portfolio: ContractsImport, raw: object, path: str) -> None:
    entry = Entry(raw, path, portfolio.problems, ("code", "name"))
    code = portfolio.claim(entry, "code", "customers", portfolio.customers, 40)
    customer = Customer(code=code, name=entry.text("name"))
    if code is not None:
        portfolio.customers[code] = customer
        portfolio.created["customers"].append(customer)


def read_service(portfolio: ContractsImport, raw: object, path: str) -> None:
    entry = Entry(raw, path, portfolio.problems, ("code", "name"))
    code = portfolio.claim(entry, "code", "services", portfolio.services, 40)
    service = Service(code=code, name=entry.text("name"))
    if code is not None:
        portfolio.services[code] = service
        portfolio.created["services"].append(service)


def read_supplier(portfolio: ContractsImport, raw: object, path: str) -> None:
    entry = Entry(raw, path, portfolio.problems, SUPPLIER_KEYS)
    code = portfolio.claim(entry, "code", "suppliers", portfolio.suppliers, 40)
    supplier = Supplier(
        code=code,
        name=entry.text("name"),
        kind=entry.choice("kind", SUPPLIER_KINDS),
        category=entry.choice("category", SUPPLIER_CATEGORIES),
        owner=portfolio.user(entry),
        notes=entry.text("notes", required=False, max_length=None, default=""),
        contacts=[
            read_contact(portfolio, contact, entry.at(f"contacts[{index}]"), index)
            for index, contact in enumerate(entry.items("contacts"))
        ],
    )
    if code is not None:
        portfolio.suppliers[code] = supplier
        portfolio.created["suppliers"].append(supplier)


def read_contact(
    portfolio: ContractsImport, raw: object, path: str, position: int
) -> SupplierContact:
    entry = Entry(raw, path, portfolio.problems, CONTACT_KEYS)
    return SupplierContact(
        position=position,
        name=entry.text("name"),
        role=entry.text("role", required=False, default=""),
        email=entry.text("email", required=False, max_length=254, default=""),
        phone=entry.text("phone", required=False, max_length=50, default=""),
    )
