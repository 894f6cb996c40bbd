"""Who may open and change the registers: every route × every role.

A supplier's user reads metrics and services and its own supplier page only; any other
supplier's page is 404 whatever the code, customers are 403, and every write is 403.
"""

from __future__ import annotations

import pytest

from contracts.models import SupplierContact
from tests.conftest import login

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
EDITORS = ("admin", "vendor_manager")
STAFF = ("admin", "vendor_manager", "procurement", "auditor")

# (method, path, roles that succeed, status for the other staff, status for the supplier user)
READS = [
    ("GET", "/metrics", ROLES, None, 200),
    ("GET", "/metrics/AVAIL", ROLES, None, 200),
    ("GET", "/services", ROLES, None, 200),
    ("GET", "/services/CRM", ROLES, None, 200),
    ("GET", "/customers", STAFF, None, 403),
    ("GET", "/customers/ACME", STAFF, None, 403),
    ("GET", "/suppliers", ROLES, None, 200),
    ("GET", "/suppliers/HW", ROLES, None, 200),
    ("GET", "/suppliers/OT", STAFF, None, 404),
]
WRITES = [
    ("GET", "/metrics/new", EDITORS, 403, 403),
    ("POST", "/metrics/new", EDITORS, 403, 403),
    ("GET", "/metrics/AVAIL/edit", EDITORS, 403, 403),
    ("POST", "/metrics/AVAIL/edit", EDITORS, 403, 403),
    ("POST", "/metrics/AVAIL/delete", EDITORS, 403, 403),
    ("GET", "/customers/new", EDITORS, 403, 403),
    ("POST", "/customers/new", EDITORS, 403, 403),
    ("GET", "/customers/ACME/edit", EDITORS, 403, 403),
    ("POST", "/customers/ACME/edit", EDITORS, 403, 403),
    ("POST", "/customers/ACME/delete", EDITORS, 403, 403),
    ("GET", "/services/new", EDITORS, 403, 403),
    ("POST", "/services/new", EDITORS, 403, 403),
    ("GET", "/services/CRM/edit", EDITORS, 403, 403),
    ("POST", "/services/CRM/edit", EDITORS, 403, 403),
    ("POST", "/services/CRM/delete", EDITORS, 403, 403),
    ("GET", "/suppliers/new", EDITORS, 403, 403),
    ("POST", "/suppliers/new", EDITORS, 403, 403),
    ("GET", "/suppliers/HW/edit", EDITORS, 403, 403),
    ("POST", "/suppliers/HW/edit", EDITORS, 403, 403),
    ("POST", "/suppliers/HW/delete", EDITORS, 403, 403),
    ("POST", "/suppliers/HW/contacts", EDITORS, 403, 403),
    ("GET", "/suppliers/HW/contacts/{hw_contact}", EDITORS, 403, 403),
    ("POST", "/suppliers/HW/contacts/{hw_contact}", EDITORS, 403, 403),
    ("POST", "/suppliers/HW/contacts/{hw_contact}/remove", EDITORS, 403, 403),
    # Another supplier's records do not exist for a supplier's user.
    ("GET", "/suppliers/OT/edit", EDITORS, 403, 404),
    ("POST", "/suppliers/OT/edit", EDITORS, 403, 404),
    ("POST", "/suppliers/OT/delete", EDITORS, 403, 404),
    ("POST", "/suppliers/OT/contacts", EDITORS, 403, 404),
    ("GET", "/suppliers/OT/contacts/{ot_contact}", EDITORS, 403, 404),
    ("POST", "/suppliers/OT/contacts/{ot_contact}", EDITORS, 403, 404),
    ("POST", "/suppliers/OT/contacts/{ot_contact}/remove", EDITORS, 403, 404),
]
ROUTES = READS + WRITES


@pytest.fixture
def world(make):
    hw = make.supplier("HW", "华为技术有限公司")
    ot = make.supplier("OT", "Other Ltd")
    contacts = {}
    for supplier in (hw, ot):
        contact = SupplierContact(supplier=supplier, name=f"{supplier.code} contact")
        make.session.add(contact)
        make.session.flush()
        contacts[supplier.code] = contact.id
    make.metric("AVAIL")
    make.service("CRM")
    make.customer("ACME")
    users = {role: make.user(role, supplier=hw if role == "supplier" else None) for role in ROLES}
    return {"users": users, "hw_contact": contacts["HW"], "ot_contact": contacts["OT"]}


def _url(path: str, world: dict) -> str:
    return path.format(hw_contact=world["hw_contact"], ot_contact=world["ot_contact"])


@pytest.mark.parametrize(("method", "path", "allowed", "refused", "supplier"), ROUTES)
def test_anonymous_visitors_are_sent_to_the_login(
    client, world, method, path, allowed, refused, supplier
):
    response = client.open(_url(path, world), method=method)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed", "refused", "supplier"), ROUTES)
def test_every_register_route_for_every_role(
    client, world, role, method, path, allowed, refused, supplier
):
    login(client, world["users"][role].email)
    response = client.open(_url(path, world), method=method, data={})
    if role == "supplier":
        assert response.status_code == supplier
    elif role in allowed:
        # 400: the empty form was refused; 302: done (a delete) or refused with a message.
        assert response.status_code in (200, 302, 400), response.status_code
    else:
        assert response.status_code == refused


@pytest.mark.parametrize(
    "code", ["OT", "ot", "NOPE", "HW%20", "HW/edit/..", "1", "%E5%8D%8E%E4%B8%BA"]
)
def test_a_supplier_user_gets_404_for_any_other_supplier_code(client, world, code):
    login(client, world["users"]["supplier"].email)
    assert client.get(f"/suppliers/{code}").status_code == 404
    assert client.post(f"/suppliers/{code}/edit", data={"name": "x"}).status_code == 404


def test_a_supplier_user_lists_only_its_own_supplier(client, world):
    login(client, world["users"]["supplier"].email)
    html = client.get("/suppliers").text
    assert "/suppliers/HW" in html and "/suppliers/OT" not in html
    assert "Other Ltd" not in client.get("/suppliers?q=Other").text
    assert "New supplier" not in html
    page = client.get("/suppliers/HW").text
    assert "Add a contact" not in page and "Delete" not in page and "/edit" not in page
