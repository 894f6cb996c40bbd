"""Each role's dashboard, on the example portfolio at a fixed date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from contracts.models import Agreement, Dispute, Supplier
from portal.dashboard import panels as dashboard
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES
from tests.conftest import login


@pytest.fixture
def example(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()


def test_staff_dashboard_data(app, session, make, example):
    manager = make.user("vendor_manager")
    uc = session.scalar(select(Agreement).where(Agreement.ref == "UC-CLOUDCO-2026"))
    session.add(Dispute(agreement=uc, title="March credits", raised_on=date(2026, 4, 2)))
    session.flush()
    with app.test_request_context():
        data = dashboard.staff(manager, date(2026, 4, 15))
    assert data["window"] == ("2025-04", "2026-03")
    # CLOUDCO: Jan–Mar, AVAIL met 2 of 3, P1 met 2 of 3 → 66.67 red; SZDC: March met → 100;
    # NETOPS: 3 of 3 → 100
    assert data["rating_counts"] == {"green": 2, "amber": 0, "red": 1, "none": 0}
    assert data["worst_suppliers"][0].code == "CLOUDCO"
    assert [(r.customer.sla, r.customer.metric) for r in data["at_risk"]] == [
        ("SLA-ACME-CRM", "RESOLVE_P1")
    ]
    assert data["open_disputes"] == 1
    # UC-CLOUDCO-2026 ends 2026-12-31 with 90 days' notice: deadline 2026-10-02, not within 90
    # days of 2026-04-15; nothing expires by 2026-07-14.
    assert data["notice_deadlines"] == [] and data["expiries"] == []
    with app.test_request_context():
        later = dashboard.staff(manager, date(2026, 9, 20))
    assert [(row.agreement.ref, row.on) for row in later["notice_deadlines"]] == [
        ("UC-CLOUDCO-2026", date(2026, 10, 2)),
        ("SUB-SZDC-01", date(2026, 11, 1)),
    ]


def test_supplier_dashboard_data(app, session, make, example):
    cloudco = session.scalar(select(Supplier).where(Supplier.code == "CLOUDCO"))
    user = make.user("supplier", supplier=cloudco)
    with app.test_request_context():
        data = dashboard.supplier(user, date(2026, 7, 15))
    assert data["own_card"].rating == "red"
    assert data["open_disputes"] == 0


@pytest.mark.parametrize("role", ["admin", "vendor_manager", "procurement", "auditor", "supplier"])
def test_every_role_sees_its_dashboard(client, session, make, example, role):
    supplier = session.scalar(select(Supplier).where(Supplier.code == "SZDC"))
    user = make.user(role, supplier=supplier if role == "supplier" else None)
    login(client, user.email)
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    if role == "supplier":
        assert "Your rating" in text and "Customer commitments at risk" not in text
    else:
        assert "Customer commitments at risk" in text and "Notice deadlines" in text


def test_the_missing_figures_tile_opens_the_scorecards_most_missing_first(client, make):
    login(client, make.user("vendor_manager").email)
    page = client.get("/").get_data(as_text=True)
    assert "/scorecards?sort=-missing" in page
