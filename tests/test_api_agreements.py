"""GET /api/v1/agreements and /api/v1/agreements/{ref} on the example portfolio."""

from __future__ import annotations

import json

import pytest

from portal import accounts
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES

EXAMPLE = EXAMPLES / "portfolio.json"


@pytest.fixture
def example(session):
    import_portfolio(session, json.loads(EXAMPLE.read_text(encoding="utf-8")))
    session.flush()


def token_for(session, make, role, supplier_code=None):
    from sqlalchemy import select

    from contracts.models import Supplier

    supplier = (
        session.scalar(select(Supplier).where(Supplier.code == supplier_code))
        if supplier_code
        else None
    )
    user = make.user(role, supplier=supplier)
    return {"Authorization": f"Bearer {accounts.create_token(session, user, 'api').secret}"}


def test_staff_list_every_agreement_by_ref(client, session, make, example):
    response = client.get("/api/v1/agreements", headers=token_for(session, make, "procurement"))
    assert response.status_code == 200
    body = response.json
    assert [item["ref"] for item in body["items"]] == [
        "OLA-NETOPS",
        "SLA-ACME-CRM",
        "SLA-JZ-NET",
        "SUB-SZDC-01",
        "UC-CLOUDCO-2026",
    ]
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 5)
    sub = body["items"][3]
    assert (sub["kind"], sub["supplier"], sub["parent"], sub["start"]) == (
        "subcontract",
        "SZDC",
        "UC-CLOUDCO-2026",
        "2026-03-01",
    )


def test_filters_and_pages(client, session, make, example):
    headers = token_for(session, make, "vendor_manager")
    slas = client.get("/api/v1/agreements?kind=sla", headers=headers).json
    assert [item["ref"] for item in slas["items"]] == ["SLA-ACME-CRM", "SLA-JZ-NET"]
    by_customer = client.get("/api/v1/agreements?customer=JZ", headers=headers).json
    assert [item["ref"] for item in by_customer["items"]] == ["SLA-JZ-NET"]
    by_supplier = client.get("/api/v1/agreements?supplier=SZDC", headers=headers).json
    assert [item["ref"] for item in by_supplier["items"]] == ["SUB-SZDC-01"]
    second = client.get("/api/v1/agreements?per_page=2&page=2", headers=headers).json
    assert ([item["ref"] for item in second["items"]], second["total"]) == (
        ["SLA-JZ-NET", "SUB-SZDC-01"],
        5,
    )


def test_bad_query_arguments_name_the_field(client, session, make, example):
    response = client.get(
        "/api/v1/agreements?kind=contract&page=0", headers=token_for(session, make, "auditor")
    )
    assert response.status_code == 422
    assert set(response.json["error"]["details"]) == {"kind", "page"}


def test_one_agreement_with_targets_and_what_they_underpin(client, session, make, example):
    response = client.get(
        "/api/v1/agreements/UC-CLOUDCO-2026", headers=token_for(session, make, "auditor")
    )
    body = response.json
    assert (body["version"], body["services"], body["monthly_charge"], body["currency"]) == (
        1,
        ["CRM"],
        40000.0,
        "USD",
    )
    assert body["credit_cap_pct"] == 10.0
    avail = next(t for t in body["targets"] if t["metric"] == "AVAIL")
    assert (avail["target"], avail["weight"], avail["credit_pct"], avail["direction"]) == (
        99.9,
        2.0,
        5.0,
        "higher",
    )
    assert avail["underpins"] == [
        {"agreement": "SLA-ACME-CRM", "metric": "AVAIL", "service": "CRM", "group": None}
    ]
    assert body["open_disputes"] == [] and body["reviews"] == []


def test_a_supplier_sees_its_own_agreements_and_the_sub_contracts_under_them(
    client, session, make, example
):
    headers = token_for(session, make, "supplier", "CLOUDCO")
    listed = client.get("/api/v1/agreements", headers=headers).json
    assert [item["ref"] for item in listed["items"]] == ["SUB-SZDC-01", "UC-CLOUDCO-2026"]
    assert client.get("/api/v1/agreements/SUB-SZDC-01", headers=headers).status_code == 200
    for ref in ("SLA-ACME-CRM", "OLA-NETOPS", "NO-SUCH-REF"):
        response = client.get(f"/api/v1/agreements/{ref}", headers=headers)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"


def test_the_sub_contractor_does_not_see_the_lead_contract(client, session, make, example):
    headers = token_for(session, make, "supplier", "SZDC")
    listed = client.get("/api/v1/agreements", headers=headers).json
    assert [item["ref"] for item in listed["items"]] == ["SUB-SZDC-01"]
    assert client.get("/api/v1/agreements/UC-CLOUDCO-2026", headers=headers).status_code == 404


def test_without_a_token_nothing_is_listed(client, example):
    assert client.get("/api/v1/agreements").status_code == 401


def test_the_openapi_document_is_valid_openapi_3_and_lists_the_endpoints(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    for path in ("/api/v1/agreements", "/api/v1/agreements/{ref}", "/api/v1/me"):
        assert path in document["paths"], path
