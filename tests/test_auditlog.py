"""The audit log page: admin and auditor only, filters, each field before and after."""

from __future__ import annotations

import pytest

from contracts.models import Customer
from portal import audit
from tests.conftest import login


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("auditor", 200),
        ("vendor_manager", 403),
        ("procurement", 403),
        ("supplier", 403),
    ],
)
def test_only_admins_and_auditors_open_the_log(client, make, role, status):
    user = make.user(role, supplier=make.supplier() if role == "supplier" else None)
    login(client, user.email)
    assert client.get("/audit").status_code == status


def test_anonymous_visitors_go_to_the_login(client):
    assert "/login" in client.get("/audit").headers["Location"]


def test_entries_show_who_and_each_field_before_and_after(client, session, make):
    auditor = make.user("auditor")
    audit.set_actor(session, audit.Actor("li.na@example.com (web)", None))
    customer = Customer(code="JZ", name="江南制造")
    session.add(customer)
    session.flush()
    customer.name = "江南制造集团 <script>"
    session.flush()
    login(client, auditor.email)
    page = client.get(f"/audit?entity=customers&entity_id={customer.id}").get_data(as_text=True)
    assert "li.na@example.com (web)" in page
    assert "江南制造" in page and "江南制造集团 &lt;script&gt;" in page
    assert page.count("customers #") == 2
    assert "users #" not in page


def test_filters_by_user_and_dates(client, session, make):
    admin = make.user("admin")
    login(client, admin.email)
    client.post(
        f"/admin/users/{make.user('procurement').id}",
        data={"name": "Priya", "role": "procurement", "supplier": ""},
    )
    by_admin = client.get(f"/audit?user={admin.id}").get_data(as_text=True)
    assert "Priya" in by_admin
    assert "users #" in client.get("/audit?from=2000-01-01&to=2999-12-31").get_data(as_text=True)
    assert "No entries match" in client.get("/audit?to=2000-01-01").get_data(as_text=True)
    bad = client.get("/audit?from=yesterday")
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.get_data(as_text=True)


def test_the_audit_sample_page_and_its_csv(client, session, make):
    from tests.test_sampling import setup_figures

    setup_figures(make)
    login(client, make.user("auditor").email)
    page = client.get("/audit/sample?seed=42&size=5")
    assert page.status_code == 200
    assert "5 of 12 accepted figures drawn with seed 42" in page.get_data(as_text=True)
    first = client.get("/audit/sample?seed=42&size=5&format=csv").get_data(as_text=True)
    again = client.get("/audit/sample?seed=42&size=5&format=csv").get_data(as_text=True)
    assert first == again
    lines = first.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("sample_no,measurement_id,supplier,agreement")
    assert len(lines) == 6


def test_the_audit_sample_refuses_bad_arguments(client, make):
    login(client, make.user("admin").email)
    response = client.get("/audit/sample?seed=abc&size=0&from=2026-13")
    assert response.status_code == 400
    assert "seed, size, from" in response.get_data(as_text=True)


def test_the_audit_sample_is_for_auditors_and_admins(client, make):
    login(client, make.user("procurement").email)
    assert client.get("/audit/sample?seed=1").status_code == 403
