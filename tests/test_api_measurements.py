"""/api/v1/measurements: submit (all or nothing), list (scoped), review; the error shape."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal import accounts
from scorecards import periods
from scorecards.models import Measurement
from scorecards.portfolio import due_date
from tests.test_review import build_world

LAST = periods.shift(periods.of(date.today()), -1)
NEXT = periods.shift(periods.of(date.today()), 1)
URL = "/api/v1/measurements"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def tokens(session, make, world):
    def token(role, supplier=None):
        user = make.user(role, supplier=supplier)
        return {"Authorization": f"Bearer {accounts.create_token(session, user, 'api').secret}"}

    return {
        "hw": token("supplier", world["hw"]),
        "ot": token("supplier", world["other"]),
        "admin": token("admin"),
        "vendor_manager": token("vendor_manager"),
        "procurement": token("procurement"),
        "auditor": token("auditor"),
    }


def figure(**changes):
    return {
        "agreement": "UC-HW",
        "metric": "AVAIL",
        "service": "CRM",
        "period": LAST,
        "value": 99.95,
        "comment": "",
        **changes,
    }


def stored(session):
    return session.scalar(select(func.count()).select_from(Measurement))


def post(client, body, headers, raw=False):
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, headers={**headers, "Content-Type": "application/json"})


def test_one_object_is_stored_as_a_submitted_revision(client, session, tokens):
    response = post(client, figure(value="99.95", comment="双路由"), tokens["hw"])
    assert response.status_code == 201
    body = response.json
    assert (body["count"], body["late"]) == (1, int(date.today() > due_date(LAST, 10)))
    item = body["items"][0]
    assert {key: item[key] for key in ("agreement", "metric", "service", "period")} == {
        "agreement": "UC-HW",
        "metric": "AVAIL",
        "service": "CRM",
        "period": LAST,
    }
    assert (item["revision"], item["value"], item["status"], item["comment"]) == (
        1,
        99.95,
        "submitted",
        "双路由",
    )
    assert stored(session) == 1


def test_a_list_is_stored_all_together_and_a_correction_is_a_new_revision(client, session, tokens):
    first = [figure(), figure(service="NET", value="99.6"), figure(metric="P1", value=3)]
    assert post(client, first, tokens["hw"]).status_code == 201
    response = post(client, [figure(value="99.97")], tokens["hw"])
    assert response.json["items"][0]["revision"] == 2
    assert stored(session) == 4


BAD = [
    (figure(value="abc"), "value", "must be a decimal number"),
    (figure(value="NaN"), "value", "must be a finite number"),
    (figure(value="Infinity"), "value", "must be a finite number"),
    (figure(value=True), "value", "must be a decimal number"),
    (figure(value=-0.1), "value", "outside the sane range 0 to 100"),
    (figure(value="100.5"), "value", "outside the sane range 0 to 100"),
    (figure(metric="P1", value=-1), "value", "below the lowest sane value 0"),
    (figure(period="2026-13"), "period", "must be a month written YYYY-MM"),
    (figure(period="July"), "period", "must be a month written YYYY-MM"),
    (figure(period="2024-12"), "period", "outside the term of UC-HW"),
    (figure(period=NEXT), "period", "has not begun yet"),
    (figure(metric="FTF"), "metric", "UC-HW has no target for metric FTF"),
    (figure(service="DC"), "service", "UC-HW has no AVAIL target for service DC"),
    (figure(service=None), "service", "is required: UC-HW covers several services"),
    (figure(comment="x" * 200_000), "comment", "must be at most 4000 characters"),
    (figure(agreement=7), "agreement", "must be a string"),
    (figure(colour="blue"), "colour", "unknown field"),
]


@pytest.mark.parametrize(("body", "field", "message"), BAD)
def test_each_bad_figure_is_refused_naming_its_field(client, session, tokens, body, field, message):
    single = post(client, body, tokens["hw"])
    assert single.status_code == 422
    error = single.json["error"]
    assert error["code"] == "unprocessable_entity"
    assert message in error["details"][field][0]
    in_a_list = post(client, [figure(), figure(service="NET"), body], tokens["hw"])
    assert in_a_list.status_code == 422
    assert list(in_a_list.json["error"]["details"]) == [f"[2].{field}"]
    assert stored(session) == 0


@pytest.mark.parametrize("agreement", ["NOPE", "UC-OT"])
def test_an_unknown_or_foreign_agreement_is_not_found_and_nothing_is_stored(
    client, session, tokens, agreement
):
    body = [figure(), figure(agreement=agreement, service="CRM")]
    response = post(client, body, tokens["hw"])
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert list(response.json["error"]["details"]) == ["[1].agreement"]
    assert stored(session) == 0


def test_an_administrator_submits_for_any_supplier(client, session, tokens):
    body = [figure(), figure(agreement="UC-OT", service=None)]
    assert post(client, body, tokens["admin"]).status_code == 201
    assert stored(session) == 2


def test_duplicates_in_one_list_are_refused(client, session, tokens):
    response = post(client, [figure(), figure(value="99")], tokens["hw"])
    assert response.status_code == 422
    assert "repeats the figure of [0]" in response.json["error"]["details"]["[1].period"][0]
    assert stored(session) == 0


@pytest.mark.parametrize(
    ("body", "status", "key"),
    [
        (b"agreement=UC-HW&value=99", 400, "_body"),
        (b"{not json", 400, "_body"),
        (b"", 400, "_body"),
        (b"[]", 422, "_body"),
        (b'"99.95"', 422, "_body"),
        (b"[1, 2]", 422, "[0]"),
    ],
)
def test_a_body_that_is_not_a_figure(client, session, tokens, body, status, key):
    response = post(client, body, tokens["hw"], raw=True)
    assert response.status_code == status
    assert key in response.json["error"]["details"]
    assert stored(session) == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [("vendor_manager", 403), ("procurement", 403), ("auditor", 403), (None, 401)],
)
def test_who_may_submit(client, session, tokens, role, status):
    response = post(client, figure(), tokens[role] if role else {})
    assert response.status_code == status
    assert set(response.json["error"]) == {"code", "message", "details"}
    assert stored(session) == 0


def test_the_list_is_scoped_paginated_and_filtered(client, make, world, tokens):
    for period in ("2026-04", "2026-05", "2026-06"):
        make.measurement(world["avail_crm"], period, "99.9", status="accepted")
    make.measurement(world["avail_crm"], "2026-06", "99.1", status="submitted", revision=2)
    make.measurement(world["ot_avail"], "2026-06", "99.3", status="submitted")
    hw = client.get(URL, headers=tokens["hw"]).json
    assert hw["total"] == 4 and {item["agreement"] for item in hw["items"]} == {"UC-HW"}
    assert client.get(f"{URL}?agreement=UC-OT", headers=tokens["hw"]).json["total"] == 0
    staff = client.get(f"{URL}?period=2026-06", headers=tokens["auditor"]).json
    assert [(i["agreement"], i["revision"]) for i in staff["items"]] == [
        ("UC-HW", 1),
        ("UC-HW", 2),
        ("UC-OT", 1),
    ]
    waiting = client.get(f"{URL}?status=submitted&per_page=1&page=2", headers=tokens["admin"])
    assert (waiting.json["total"], waiting.json["items"][0]["agreement"]) == (2, "UC-OT")
    bad = client.get(f"{URL}?period=July&status=done&page=0", headers=tokens["admin"])
    assert bad.status_code == 422
    assert set(bad.json["error"]["details"]) == {"period", "status", "page"}
    assert client.get(URL).status_code == 401


def test_review_endpoints(client, session, make, world, tokens):
    first = make.measurement(world["avail_crm"], "2026-06", "99.2", status="submitted")
    second = make.measurement(world["avail_net"], "2026-06", "99.1", status="submitted")
    headers = tokens["vendor_manager"]
    accepted = client.post(f"{URL}/{first.id}/accept", headers=headers)
    assert (accepted.status_code, accepted.json["status"]) == (200, "accepted")
    again = client.post(f"{URL}/{first.id}/reject", json={"reason": "no"}, headers=headers)
    assert (again.status_code, again.json["error"]["code"]) == (409, "conflict")
    no_reason = client.post(f"{URL}/{second.id}/reject", json={"reason": " "}, headers=headers)
    assert (no_reason.status_code, list(no_reason.json["error"]["details"])) == (422, ["reason"])
    missing = client.post(f"{URL}/{second.id}/reject", json={}, headers=headers)
    assert (missing.status_code, list(missing.json["error"]["details"])) == (422, ["reason"])
    rejected = client.post(f"{URL}/{second.id}/reject", json={"reason": "Wrong"}, headers=headers)
    assert (rejected.json["status"], rejected.json["reject_reason"]) == ("rejected", "Wrong")
    assert client.post(f"{URL}/999999/accept", headers=headers).status_code == 404


def test_bulk_review_is_all_or_nothing(client, session, make, world, tokens):
    waiting = make.measurement(world["avail_crm"], "2026-06", "99.2", status="submitted")
    done = make.measurement(world["avail_net"], "2026-06", "99.1", status="accepted")
    headers = tokens["admin"]
    body = {"ids": [waiting.id, done.id], "decision": "reject", "reason": "Wrong month"}
    assert client.post(f"{URL}/review", json=body, headers=headers).status_code == 409
    session.expire_all()
    assert waiting.status == "submitted"
    body = {"ids": [waiting.id], "decision": "accept"}
    response = client.post(f"{URL}/review", json=body, headers=headers)
    assert [item["status"] for item in response.json["items"]] == ["accepted"]
    bad = client.post(f"{URL}/review", json={"ids": [], "decision": "maybe"}, headers=headers)
    assert (bad.status_code, set(bad.json["error"]["details"])) == (422, {"ids", "decision"})


@pytest.mark.parametrize("role", ["hw", "procurement", "auditor"])
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_only_reviewers_review(client, session, make, world, tokens, role, action):
    waiting = make.measurement(world["avail_crm"], "2026-06", "99.2", status="submitted")
    response = client.post(
        f"{URL}/{waiting.id}/{action}", json={"reason": "x"}, headers=tokens[role]
    )
    assert response.status_code == 403
    bulk = {"ids": [waiting.id], "decision": action, "reason": "x"}
    assert client.post(f"{URL}/review", json=bulk, headers=tokens[role]).status_code == 403
    session.expire_all()
    assert waiting.status == "submitted"


def test_the_openapi_document_validates_and_documents_every_endpoint(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    paths = document["paths"]
    assert set(paths[URL]) == {"get", "post"}
    post_body = paths[URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert post_body["oneOf"][0] == {"$ref": "#/components/schemas/MeasurementIn"}
    assert post_body["oneOf"][1]["type"] == "array"
    for path in (
        f"{URL}/{{measurement_id}}/accept",
        f"{URL}/{{measurement_id}}/reject",
        f"{URL}/review",
    ):
        assert "post" in paths[path], path
    for operations in paths.values():
        for method in set(operations) & METHODS:
            assert any(status.startswith("2") for status in operations[method]["responses"])
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["error"] == {"$ref": "#/components/schemas/ErrorBody"}


def test_the_api_page_lists_every_endpoint_for_people(client, make):
    from tests.conftest import login

    assert client.get("/api").status_code == 302  # login first
    user = make.user("supplier", supplier=make.supplier())
    login(client, user.email)
    page = client.get("/api").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").json
    for path, operations in document["paths"].items():
        for method in set(operations) & METHODS:
            assert f'<span class="api-path">{path}</span>' in page
            assert f"-X {method.upper()}" in page
    assert "Authorization: Bearer $UNDERPIN_TOKEN" in page
    assert 'href="/account"' in page or "/account" in page
    assert "[2].value" in page and 'id="schema-MeasurementIn"' in page
    assert "<script" not in page.split("</head>")[1]
