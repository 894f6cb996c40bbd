"""Register operations (metrics, customers, services, suppliers, contacts) with a session only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, true

from contracts import registers
from contracts import registers_queries as queries
from contracts.errors import DomainError
from contracts.models import Supplier, SupplierContact
from contracts.registers import ContactFields, MetricFields, SupplierFields
from portal.audit.models import AuditEntry

EVERYTHING = true()  # the agreement scope of the provider's staff
AVAILABILITY = MetricFields("Availability", "%", "higher", "product")


def refusal(call, *args):  # noqa: ANN001, ANN201
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.field, str(caught.value)


def supplier_fields(owner, **changes):  # noqa: ANN001, ANN201
    values = {"name": "华为技术有限公司", "kind": "external", "category": "strategic"}
    return SupplierFields(**{**values, "owner": owner.email, **changes})


# Codes and names ----------------------------------------------------------------------------


def test_a_metric_is_created_with_its_definition(session):
    fields = MetricFields(
        "P1 resolution", "h", "lower", "sum", "Hours to resolve", Decimal("0"), Decimal("72")
    )
    metric = registers.create_metric(session, " P1_RESOLVE ", fields)
    assert (metric.code, metric.unit, metric.composition) == ("P1_RESOLVE", "h", "sum")
    assert (metric.min_value, metric.max_value) == (Decimal("0"), Decimal("72"))


@pytest.mark.parametrize(
    ("create", "args"),
    [
        (registers.create_metric, (AVAILABILITY,)),
        (registers.create_customer, ("Acme",)),
        (registers.create_service, ("CRM",)),
    ],
)
def test_a_duplicate_code_is_refused(session, create, args):
    create(session, "X1", *args)
    assert refusal(create, session, "X1", *args) == ("code", "X1 exists already")
    # The same letters in another case would be the same code to a reader.
    assert refusal(create, session, "x1", *args) == ("code", "x1 exists already")


def test_a_duplicate_supplier_code_is_refused(session, make):
    owner = make.user("vendor_manager")
    registers.create_supplier(session, "HW", supplier_fields(owner))
    assert refusal(registers.create_supplier, session, "HW", supplier_fields(owner)) == (
        "code",
        "HW exists already",
    )


@pytest.mark.parametrize("code", ["HW 1", "华为", "A/B", "a.b", "<x>"])
def test_codes_are_letters_digits_hyphens_and_underscores(session, code):
    assert refusal(registers.create_customer, session, code, "Acme") == (
        "code",
        "may contain only letters A–Z, digits, hyphens (-) and underscores (_)",
    )


@pytest.mark.parametrize("code", ["", "   ", None])
def test_a_code_is_required(session, code):
    assert refusal(registers.create_service, session, code, "CRM") == ("code", "must not be empty")


def test_a_code_has_at_most_40_characters(session):
    assert refusal(registers.create_service, session, "S" * 41, "CRM") == (
        "code",
        "must be at most 40 characters",
    )


@pytest.mark.parametrize("name", ["", "  ", None])
def test_names_must_not_be_empty(session, make, name):
    owner = make.user("vendor_manager")
    empty = ("name", "must not be empty")
    assert refusal(registers.create_customer, session, "C1", name) == empty
    assert refusal(registers.create_service, session, "S1", name) == empty
    fields = MetricFields(name, "%", "higher", "product")
    assert refusal(registers.create_metric, session, "M1", fields) == empty
    assert refusal(registers.create_supplier, session, "SUP", supplier_fields(owner, name=name))
    customer = make.customer()
    assert refusal(registers.update_customer, session, customer, name) == empty


def test_names_are_any_unicode_and_kept_as_written(session, make):
    owner = make.user("vendor_manager")
    name = '<script>alert("x")</script> & 华为'
    supplier = registers.create_supplier(session, "HW", supplier_fields(owner, name=name))
    assert supplier.name == name


# Metrics ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("direction", "up", "must be one of: higher, lower"),
        ("composition", "average", "must be one of: product, sum, weakest"),
    ],
)
def test_a_metric_rule_must_be_known(session, field, value, message):
    values = {"name": "Availability", "unit": "%", "direction": "higher", "composition": "sum"}
    fields = MetricFields(**{**values, field: value})
    assert refusal(registers.create_metric, session, "M1", fields) == (field, message)


@pytest.mark.parametrize(("low", "high"), [("10", "10"), ("10", "5")])
def test_the_lowest_value_must_be_below_the_highest(session, low, high):
    fields = MetricFields("Score", "score", "higher", "weakest", "", Decimal(low), Decimal(high))
    assert refusal(registers.create_metric, session, "M1", fields) == (
        "max_value",
        f"must be above the lowest value ({low})",
    )


def test_direction_and_composition_are_fixed_while_targets_use_the_metric(session, make):
    metric = make.metric("AVAIL")
    agreement = make.agreement()
    make.target(agreement, metric, "99.5")
    make.target(make.agreement(), metric, "99.9")
    for field, fields in (
        ("direction", MetricFields("Availability", "%", "lower", "product")),
        ("composition", MetricFields("Availability", "%", "higher", "weakest")),
    ):
        found, message = refusal(registers.update_metric, session, metric, fields)
        assert found == field
        assert message.startswith("cannot change while 2 targets use this metric")
        assert "Create a new metric instead." in message
    session.refresh(metric)
    assert (metric.direction, metric.composition) == ("higher", "product")
    # The rest of the definition may change.
    registers.update_metric(
        session,
        metric,
        MetricFields("Service availability", "%", "higher", "product", "Monthly uptime"),
    )
    assert metric.name == "Service availability"


def test_an_unused_metric_may_change_its_rule(session, make):
    metric = make.metric("AVAIL")
    registers.update_metric(session, metric, MetricFields("Availability", "%", "lower", "sum"))
    assert (metric.direction, metric.composition) == ("lower", "sum")


def test_a_range_that_excludes_an_agreed_target_is_refused(session, make):
    metric = make.metric("AVAIL")
    agreement = make.agreement(ref="UC-1")
    make.target(agreement, metric, "99.5")
    fields = MetricFields("Availability", "%", "higher", "product", "", Decimal("99.9"), None)
    field, message = refusal(registers.update_metric, session, metric, fields)
    assert field == "min_value"
    assert message.startswith("target UC-1 AVAIL/")
    assert "99.5 is outside the sane range 99.9 to 100 (unit %)" in message
    session.refresh(metric)
    assert metric.min_value is None


# Suppliers and contacts ---------------------------------------------------------------------


def test_a_supplier_has_an_owner_who_manages_vendors(session, make):
    procurement = make.user("procurement")
    manager = make.user("vendor_manager")
    admin = make.user("admin")
    assert refusal(registers.create_supplier, session, "HW", supplier_fields(procurement)) == (
        "owner",
        f"{procurement.email} is not an active vendor manager or administrator",
    )
    assert refusal(
        registers.create_supplier,
        session,
        "HW",
        SupplierFields("Huawei", "external", "strategic", "nobody@example.com"),
    ) == ("owner", "nobody@example.com is not an active vendor manager or administrator")
    assert refusal(
        registers.create_supplier,
        session,
        "HW",
        SupplierFields("Huawei", "external", "tactical", ""),
    ) == ("owner", "choose the vendor manager responsible for this supplier")
    manager.active = False
    assert refusal(registers.create_supplier, session, "HW", supplier_fields(manager))[0] == "owner"
    supplier = registers.create_supplier(session, "HW", supplier_fields(admin))
    assert supplier.owner is admin


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "partner", "must be one of: external, internal"),
        ("category", "key", "must be one of: strategic, tactical, operational, commodity"),
    ],
)
def test_supplier_kind_and_category_must_be_known(session, make, field, value, message):
    owner = make.user("vendor_manager")
    fields = supplier_fields(owner, **{field: value})
    assert refusal(registers.create_supplier, session, "HW", fields) == (field, message)


def test_a_supplier_bound_by_an_underpinning_contract_stays_external(session, make):
    owner = make.user("vendor_manager")
    supplier = registers.create_supplier(session, "HW", supplier_fields(owner))
    make.agreement("underpinning", supplier=supplier)
    field, message = refusal(
        registers.update_supplier, session, supplier, supplier_fields(owner, kind="internal")
    )
    assert field == "kind"
    assert message == "cannot change while 1 agreement of kind underpinning binds this supplier"


def test_contacts_are_added_edited_and_removed(session, make):
    supplier = make.supplier()
    first = registers.add_contact(session, supplier, ContactFields("王伟", "Account manager"))
    second = registers.add_contact(
        session, supplier, ContactFields("Li Lei", "", "li.lei@example.cn", "+86 755 1234")
    )
    assert [contact.name for contact in supplier.contacts] == ["王伟", "Li Lei"]
    assert second.position > first.position
    registers.update_contact(session, first, ContactFields("王伟", "Service manager", "w@x.cn"))
    assert (first.role, first.email) == ("Service manager", "w@x.cn")
    registers.remove_contact(session, first)
    assert session.scalars(select(SupplierContact.name)).all() == ["Li Lei"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (ContactFields(""), "name", "must not be empty"),
        (ContactFields("A", email="not an address"), "email", "is not an e-mail address"),
        (ContactFields("A", phone="1" * 51), "phone", "must be at most 50 characters"),
    ],
)
def test_a_contact_needs_a_name_and_a_real_address(session, make, fields, field, message):
    supplier = make.supplier()
    assert refusal(registers.add_contact, session, supplier, fields) == (field, message)


# Deleting -----------------------------------------------------------------------------------


def test_only_unused_records_are_deleted(session, make):
    metric, service, customer = make.metric(), make.service(), make.customer()
    supplier = make.supplier()
    sla = make.agreement("sla", customer=customer, services=[service])
    make.target(sla, metric)
    make.agreement("underpinning", supplier=supplier)
    make.user("supplier", supplier=supplier)
    cases = [
        (registers.delete_metric, metric, "1 target uses it"),
        (registers.delete_customer, customer, "1 SLA is agreed with it"),
        (registers.delete_service, service, "1 agreement covers it; 1 target measures it"),
        (
            registers.delete_supplier,
            supplier,
            "1 agreement is placed with it; 1 user account belongs to it",
        ),
    ]
    for delete, record, uses in cases:
        assert refusal(delete, session, record) == (
            None,
            f"cannot be deleted while it is in use: {uses}",
        )
    unused = [make.metric(), make.customer(), make.service(), make.supplier()]
    for delete, record in zip(
        (
            registers.delete_metric,
            registers.delete_customer,
            registers.delete_service,
            registers.delete_supplier,
        ),
        unused,
        strict=True,
    ):
        delete(session, record)
    for record in unused:
        assert session.scalar(select(type(record)).where(type(record).code == record.code)) is None
    for _delete, record, _uses in cases:
        assert session.scalar(select(type(record)).where(type(record).code == record.code))


def test_a_refused_operation_writes_nothing(session, make):
    owner = make.user("vendor_manager")
    registers.create_supplier(session, "HW", supplier_fields(owner))
    audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(DomainError):
        registers.create_supplier(session, "HW", supplier_fields(owner, name="Other"))
    session.flush()
    assert session.scalar(select(func.count()).select_from(Supplier)) == 1
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


# Queries ------------------------------------------------------------------------------------


def test_sub_contracts_under_a_lead_suppliers_agreements(session, make):
    lead, sub_supplier = make.supplier("LEAD"), make.supplier("SUBCO")
    contract = make.agreement("underpinning", supplier=lead, ref="UC-LEAD")
    make.agreement("subcontract", supplier=sub_supplier, parent=contract, ref="SUB-1")
    make.agreement("underpinning", supplier=sub_supplier, ref="UC-SUBCO")
    own = queries.supplier_agreements(lead, EVERYTHING)
    assert [a.ref for a in session.scalars(own)] == ["UC-LEAD"]
    under = queries.subcontracts_under(lead, EVERYTHING)
    assert [a.ref for a in session.scalars(under)] == ["SUB-1"]
    assert session.scalars(queries.subcontracts_under(sub_supplier, EVERYTHING)).all() == []


def test_the_code_new_is_reserved_for_the_create_pages(session):
    from contracts import registers
    from contracts.errors import DomainError

    try:
        registers.create_customer(session, code="new", name="New Ltd")
    except DomainError as error:
        assert (error.field, str(error)) == ("code", "“new” is reserved; choose another code")
    else:
        raise AssertionError("accepted")
