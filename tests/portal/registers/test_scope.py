"""A supplier's user reaches its own supplier's register pages only: any other supplier's page
is 404 whatever the code. (Which route each role may open: tests/portal/test_access.py.)"""

from __future__ import annotations

import pytest

from contracts.models import SupplierContact
from tests.conftest import login

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
EDITORS = ("admin", "vendor_manager")
STAFF = ("admin", "vendor_manager", "procurement", "auditor")


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
