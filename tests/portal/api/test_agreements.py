"""GET /api/v1/agreements and /api/v1/agreements/{ref} on the example portfolio."""

from __future__ import annotations

import json

import pytest

from contracts import accounts
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


# ── What a supplier's token learns about the agreements above its own ───────────────────────
def _underpins(body):
    return {
        (t["metric"], t["service"]): (
            [(u["agreement"], u["metric"], u["service"]) for u in t["underpins"]],
            t["underpins_hidden"],
        )
        for t in body["targets"]
    }


def test_staff_see_every_target_a_target_underpins(client, session, make, example):
    headers = token_for(session, make, "procurement")
    body = client.get("/api/v1/agreements/UC-CLOUDCO-2026", headers=headers).json
    assert _underpins(body) == {
        ("AVAIL", "CRM"): ([("SLA-ACME-CRM", "AVAIL", "CRM")], 0),
        ("RESOLVE_P1", "CRM"): ([("SLA-ACME-CRM", "RESOLVE_P1", "CRM")], 0),
    }


def test_a_supplier_token_gets_the_customer_targets_counted_not_named(
    client, session, make, example
):
    headers = token_for(session, make, "supplier", "CLOUDCO")
    response = client.get("/api/v1/agreements/UC-CLOUDCO-2026", headers=headers)
    assert response.status_code == 200
    assert _underpins(response.json) == {
        ("AVAIL", "CRM"): ([], 1),
        ("RESOLVE_P1", "CRM"): ([], 1),
    }
    assert "SLA-ACME-CRM" not in response.get_data(as_text=True)
    # the sub-contract under its agreement underpins its own contract: that one is named
    sub = client.get("/api/v1/agreements/SUB-SZDC-01", headers=headers).json
    assert _underpins(sub) == {("AVAIL", "CRM"): ([("UC-CLOUDCO-2026", "AVAIL", "CRM")], 0)}


def test_the_sub_contractor_gets_its_lead_contract_counted_not_named(
    client, session, make, example
):
    headers = token_for(session, make, "supplier", "SZDC")
    response = client.get("/api/v1/agreements/SUB-SZDC-01", headers=headers)
    assert _underpins(response.json) == {("AVAIL", "CRM"): ([], 1)}
    assert "UC-CLOUDCO-2026" not in response.get_data(as_text=True)  # nor named as its parent
    listed = client.get("/api/v1/agreements", headers=headers).json["items"]
    assert [(item["ref"], item["parent"]) for item in listed] == [("SUB-SZDC-01", None)]


def test_the_disputes_of_a_sub_contract_stay_between_its_parties(client, session, make, example):
    from datetime import date

    from sqlalchemy import select

    from contracts.models import Agreement, Dispute

    sub = session.scalar(select(Agreement).where(Agreement.ref == "SUB-SZDC-01"))
    session.add(Dispute(agreement=sub, title="Credits for May", raised_on=date(2026, 6, 2)))
    session.flush()

    def disputes(role, code=None):
        headers = token_for(session, make, role, code)
        body = client.get("/api/v1/agreements/SUB-SZDC-01", headers=headers).json
        return [d["title"] for d in body["open_disputes"]]

    assert disputes("supplier", "SZDC") == ["Credits for May"]
    assert disputes("vendor_manager") == ["Credits for May"]
    assert disputes("supplier", "CLOUDCO") == []  # reads the sub-contract, not its disputes


def test_a_bad_query_parameter_is_named_with_its_reason(client, session, make):
    headers = token_for(session, make, "auditor")
    response = client.get("/api/v1/agreements?kind=bogus", headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["message"].startswith("Invalid query parameter kind: must be one of sla,")
    assert list(error["details"]) == ["kind"]
