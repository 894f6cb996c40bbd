"""Register pages: search, filters, sorting, pagination, forms, and what a refused save leaves."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from contracts.models import Customer, Metric, Service, Supplier, SupplierContact
from portal.audit.models import AuditEntry
from tests.conftest import login


@pytest.fixture
def manager(make, client):
    user = make.user("vendor_manager", email="li.na@example.com")
    login(client, user.email)
    return user


def codes_in(html: str) -> list[str]:
    """The record codes a list page shows, in order (each row links to its record)."""
    return re.findall(
        r'<a class="code" href="/(?:suppliers|metrics|customers|services)/([^"]+)"', html
    )


def counts(session) -> tuple[int, ...]:  # noqa: ANN001
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Metric, Customer, Service, Supplier, SupplierContact, AuditEntry)
    )


@pytest.fixture
def suppliers(make):
    owner = make.user("vendor_manager", email="owner@example.com")
    other = make.user("admin", email="chief@example.com")
    made = [
        make.supplier("HUAWEI", "华为技术有限公司", "external", "strategic"),
        make.supplier("SZDC", "深圳数据中心有限公司", "external", "operational"),
        make.supplier("NETOPS", "Network Operations", "internal", "tactical"),
        make.supplier("CLOUDCO", "CloudCo Hosting Ltd", "external", "commodity"),
    ]
    for supplier in made:
        supplier.owner = owner if supplier.code != "CLOUDCO" else other
    make.session.flush()
    return made


# Lists --------------------------------------------------------------------------------------


def test_search_finds_a_chinese_name_by_a_part_of_it(client, manager, suppliers):
    response = client.get("/suppliers?q=技术")
    assert response.status_code == 200
    assert codes_in(response.text) == ["HUAWEI"]
    assert codes_in(client.get("/suppliers?q=有限公司").text) == ["HUAWEI", "SZDC"]
    assert codes_in(client.get("/suppliers?q=szdc").text) == ["SZDC"]  # codes, any case
    assert "No supplier matches the search." in client.get("/suppliers?q=Acme").text


def test_suppliers_filter_by_kind_category_and_owner(client, manager, suppliers):
    assert codes_in(client.get("/suppliers?kind=internal").text) == ["NETOPS"]
    assert codes_in(client.get("/suppliers?category=strategic").text) == ["HUAWEI"]
    assert codes_in(client.get("/suppliers?owner=chief@example.com").text) == ["CLOUDCO"]
    assert codes_in(client.get("/suppliers?kind=external&owner=owner@example.com").text) == [
        "HUAWEI",
        "SZDC",
    ]
    # An unknown filter value filters nothing away rather than failing.
    assert len(codes_in(client.get("/suppliers?kind=martian").text)) == 4


def test_suppliers_sort_by_any_column_both_ways(client, manager, suppliers):
    assert codes_in(client.get("/suppliers").text) == ["CLOUDCO", "HUAWEI", "NETOPS", "SZDC"]
    assert codes_in(client.get("/suppliers?sort=-code").text) == [
        "SZDC",
        "NETOPS",
        "HUAWEI",
        "CLOUDCO",
    ]
    assert codes_in(client.get("/suppliers?sort=kind").text)[-1] == "NETOPS"
    assert codes_in(client.get("/suppliers?sort=category").text)[0] == "CLOUDCO"  # commodity
    assert codes_in(client.get("/suppliers?sort=-owner").text)[-1] == "CLOUDCO"  # chief@ < owner@
    # A sort key the page does not offer falls back to the default.
    assert codes_in(client.get("/suppliers?sort=password").text)[0] == "CLOUDCO"


def test_suppliers_sort_by_their_agreement_count(client, manager, suppliers, make):
    make.agreement("underpinning", supplier=suppliers[1])
    make.agreement("underpinning", supplier=suppliers[1])
    make.agreement("underpinning", supplier=suppliers[3])
    assert codes_in(client.get("/suppliers?sort=-agreements").text)[:2] == ["SZDC", "CLOUDCO"]


def test_lists_paginate(client, manager, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for index in range(5):
        make.service(f"SVC{index}", f"服务 {index}")
    first = client.get("/services")
    assert codes_in(first.text) == ["SVC0", "SVC1"]
    assert "Page 1 of 3" in first.text
    assert 'href="/services?sort=code&amp;page=2" rel="next"' in first.text
    assert codes_in(client.get("/services?page=3").text) == ["SVC4"]
    assert codes_in(client.get("/services?page=2&sort=-code").text) == ["SVC2", "SVC1"]
    assert codes_in(client.get("/services?page=99").text) == []
    assert client.get("/services?page=x").status_code == 200


def test_metrics_filter_by_direction_and_composition(client, manager, make):
    make.metric("AVAIL", "higher", "product")
    make.metric("P1", "lower", "sum", unit="h")
    make.metric("FTF", "higher", "weakest")
    assert codes_in(client.get("/metrics?direction=lower").text) == ["P1"]
    assert codes_in(client.get("/metrics?composition=weakest").text) == ["FTF"]
    assert codes_in(client.get("/metrics?direction=higher&sort=-code").text) == ["FTF", "AVAIL"]
    assert codes_in(client.get("/metrics?q=avail").text) == ["AVAIL"]


def test_customers_list_and_sort_by_sla_count(client, manager, make):
    jn = make.customer("JNMG", "江南制造集团")
    make.customer("ACME", "Acme Insurance")
    make.agreement("sla", customer=jn)
    assert codes_in(client.get("/customers?q=制造").text) == ["JNMG"]
    assert codes_in(client.get("/customers?sort=-slas").text) == ["JNMG", "ACME"]


# Record pages -------------------------------------------------------------------------------


def test_a_supplier_page_shows_its_relationship_agreements_and_sub_contracts(
    client, manager, suppliers, make
):
    huawei, szdc = suppliers[0], suppliers[1]
    lead = make.agreement("underpinning", supplier=huawei, ref="UC-HUAWEI-NET", status="active")
    make.agreement("subcontract", supplier=szdc, parent=lead, ref="SUB-SZDC", status="draft")
    page = client.get("/suppliers/HUAWEI").text
    assert "华为技术有限公司" in page
    assert "owner@example.com" in page
    assert "UC-HUAWEI-NET" in page and "Underpinning contract" in page
    assert "Sub-contracts under its agreements" in page
    assert "SUB-SZDC" in page and "深圳数据中心有限公司" in page
    assert "2026-01-01" in page and "2026-12-31" in page
    szdc_page = client.get("/suppliers/SZDC").text
    assert "under UC-HUAWEI-NET" in szdc_page
    assert "Sub-contracts under its agreements" not in szdc_page


def test_metric_customer_and_service_pages(client, manager, make):
    metric = make.metric("AVAIL")
    service = make.service("CRM", "CRM platform")
    customer = make.customer("ACME", "Acme Insurance")
    sla = make.agreement("sla", customer=customer, services=[service], ref="SLA-ACME")
    make.target(sla, metric, "99.9")
    metric_page = client.get("/metrics/AVAIL").text
    assert "1 target uses it" in metric_page and "0 – 100" in metric_page
    assert "SLA-ACME" in metric_page
    assert "SLA-ACME" in client.get("/customers/ACME").text
    service_page = client.get("/services/CRM").text
    assert "SLA-ACME" in service_page and "Acme Insurance" in service_page
    assert client.get("/metrics/NOPE").status_code == 404


def test_names_with_markup_render_as_text(client, manager, make):
    nasty = '<script>alert("x")</script> & "Quotes" Ltd'
    make.supplier("NASTY", nasty)
    make.customer("NASTYC", nasty)
    for url in ("/suppliers", "/suppliers/NASTY", "/customers", "/customers/NASTYC"):
        html = client.get(url).text
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Quotes&#34; Ltd" in html


# Forms --------------------------------------------------------------------------------------


def test_a_vendor_manager_creates_and_edits_a_supplier(client, manager, session):
    response = client.post(
        "/suppliers/new",
        data={
            "code": "HW",
            "name": "华为技术有限公司",
            "kind": "external",
            "category": "strategic",
            "owner": manager.email,
            "notes": "Campus network since 2024",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/suppliers/HW")
    page = client.get("/suppliers/HW").text
    assert "Supplier HW has been created." in page and "华为技术有限公司" in page
    response = client.post(
        "/suppliers/HW/edit",
        data={"name": "华为", "kind": "external", "category": "tactical", "owner": manager.email},
    )
    assert response.status_code == 302
    supplier = session.scalar(select(Supplier).where(Supplier.code == "HW"))
    assert (supplier.name, supplier.category, supplier.notes) == ("华为", "tactical", "")


def test_a_refused_save_shows_the_message_beside_the_field_and_writes_nothing(
    client, manager, session, make
):
    make.supplier("HW", "华为技术有限公司")
    before = counts(session)
    response = client.post(
        "/suppliers/new",
        data={
            "code": "HW",
            "name": "Dup",
            "kind": "external",
            "category": "strategic",
            "owner": manager.email,
        },
    )
    assert response.status_code == 400
    assert re.search(r'id="code-errors">\s*<li>HW exists already</li>', response.text)
    assert 'value="Dup"' in response.text  # what was typed stays
    response = client.post(
        "/suppliers/new",
        data={
            "code": "NEWCO",
            "name": " ",
            "kind": "external",
            "category": "strategic",
            "owner": "ghost@example.com",
        },
    )
    assert response.status_code == 400
    assert re.search(r'id="name-errors">\s*<li>must not be empty</li>', response.text)
    assert counts(session) == before


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        (
            "/metrics/new",
            {"code": "A B", "name": "X", "direction": "higher", "composition": "sum"},
            "code",
            "may contain only letters",
        ),
        (
            "/metrics/new",
            {
                "code": "M9",
                "name": "X",
                "direction": "higher",
                "composition": "sum",
                "min_value": "ten",
            },
            "min_value",
            "must be a decimal number",
        ),
        (
            "/metrics/new",
            {
                "code": "M9",
                "name": "X",
                "direction": "higher",
                "composition": "sum",
                "min_value": "5",
                "max_value": "1",
            },
            "max_value",
            "must be above the lowest value (5)",
        ),
        ("/customers/new", {"code": "", "name": "Acme"}, "code", "must not be empty"),
        ("/services/new", {"code": "CRM", "name": ""}, "name", "must not be empty"),
        (
            "/suppliers/new",
            {
                "code": "X",
                "name": "X",
                "kind": "external",
                "category": "strategic",
                "owner": "ghost@example.com",
            },
            "owner",
            "ghost@example.com is not an active vendor manager or administrator",
        ),
    ],
)
def test_every_form_refuses_bad_input_beside_the_field(
    client, manager, session, url, data, field, message
):
    before = counts(session)
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-errors">\s*<li>{re.escape(message)}', response.text)
    assert counts(session) == before


def test_changing_a_used_metrics_direction_is_refused_with_the_reason(
    client, manager, session, make
):
    metric = make.metric("AVAIL")
    make.target(make.agreement(), metric)
    before = counts(session)
    response = client.post(
        "/metrics/AVAIL/edit",
        data={"name": "Availability", "unit": "%", "direction": "lower", "composition": "product"},
    )
    assert response.status_code == 400
    assert "cannot change while 1 target uses this metric" in response.text
    assert counts(session) == before


def test_contacts_are_added_edited_and_removed_on_the_supplier_page(client, manager, make, session):
    supplier = make.supplier("HW", "华为技术有限公司")
    response = client.post(
        "/suppliers/HW/contacts",
        data={"name": "王伟", "role": "Account manager", "email": "wang.wei@huawei.example.cn"},
    )
    assert response.status_code == 302
    contact = supplier.contacts[0]
    assert "王伟" in client.get("/suppliers/HW").text
    response = client.post(
        f"/suppliers/HW/contacts/{contact.id}", data={"name": "王伟", "phone": "+86 755 1"}
    )
    assert response.status_code == 302
    session.refresh(contact)
    assert (contact.phone, contact.role) == ("+86 755 1", "")
    refused = client.post("/suppliers/HW/contacts", data={"name": "X", "email": "nope"})
    assert refused.status_code == 400
    assert "is not an e-mail address" in refused.text
    assert client.post(f"/suppliers/HW/contacts/{contact.id}/remove").status_code == 302
    assert session.scalar(select(func.count()).select_from(SupplierContact)) == 0


def test_a_contact_is_reached_only_through_its_own_supplier(client, manager, make):
    make.supplier("HW")
    other = make.supplier("OT")
    session = make.session
    contact = SupplierContact(supplier=other, name="Someone")
    session.add(contact)
    session.flush()
    assert client.get(f"/suppliers/HW/contacts/{contact.id}").status_code == 404
    assert client.post(f"/suppliers/HW/contacts/{contact.id}/remove").status_code == 404


def test_deleting_a_used_record_is_refused_with_the_reason(client, manager, make, session):
    supplier = make.supplier("HW")
    make.agreement("underpinning", supplier=supplier)
    response = client.post("/suppliers/HW/delete", follow_redirects=True)
    assert "cannot be deleted while it is in use: 1 agreement is placed with it" in response.text
    assert session.scalar(select(Supplier).where(Supplier.code == "HW")) is not None
    make.customer("GONE")
    assert client.post("/customers/GONE/delete").headers["Location"].endswith("/customers")
    assert session.scalar(select(Customer).where(Customer.code == "GONE")) is None
