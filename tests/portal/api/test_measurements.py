"""/api/v1/measurements: submit (all or nothing), list (scoped), review; the error shape."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from contracts import accounts
from scorecards.models import Evidence, Measurement
from tests.conftest import fix_clock
from tests.scorecards.test_review import build_world

TODAY = date(2026, 7, 15)
LAST, NEXT = "2026-06", "2026-08"  # the months either side of TODAY's
URL = "/api/v1/measurements"
METHODS = {"get", "post", "put", "patch", "delete"}
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _a_given_day(monkeypatch):
    fix_clock(monkeypatch, TODAY)


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
    # June's figures were due by 10 July; TODAY is the 15th: late.
    assert (body["count"], body["late"]) == (1, 1)
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


def test_a_query_the_schema_refuses_names_each_field_and_why(client, tokens):
    response = client.get(f"{URL}?period=2026-13", headers=tokens["hw"])
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "unprocessable_entity"
    assert error["message"] == (
        'Invalid query parameter period: must be a month written YYYY-MM, such as "2026-07".'
    )
    assert error["details"] == {"period": ['must be a month written YYYY-MM, such as "2026-07"']}
    several = client.get(f"{URL}?period=July&status=done&per_page=x", headers=tokens["hw"])
    message = several.json["error"]["message"]
    assert (
        "Invalid query parameter status: must be one of submitted, accepted, rejected." in message
    )
    assert "Invalid query parameter per_page: must be a whole number." in message
    assert several.json["error"]["details"]["per_page"] == ["must be a whole number"]


def test_a_review_body_the_schema_refuses_names_each_field(client, tokens):
    headers = tokens["vendor_manager"]
    bad = client.post(f"{URL}/review", json={"ids": ["x"], "decision": "maybe"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json["error"]["message"] == (
        "Invalid field ids[0]: must be a whole number. "
        "Invalid field decision: must be one of accept, reject."
    )
    missing = client.post(f"{URL}/1/reject", json={}, headers=headers)
    assert missing.json["error"]["message"] == "Invalid field reason: is required."


def test_a_superseded_revision_is_flagged_and_not_reviewed(client, session, make, world, tokens):
    older = make.measurement(world["avail_crm"], "2026-06", "99.2", status="submitted")
    newer = make.measurement(world["avail_crm"], "2026-06", "99.5", status="submitted", revision=2)
    listed = client.get(f"{URL}?period=2026-06", headers=tokens["auditor"]).json["items"]
    assert [(item["revision"], item["superseded"]) for item in listed] == [(1, True), (2, False)]
    headers = tokens["vendor_manager"]
    for path, body in (("accept", None), ("reject", {"reason": "Too low"})):
        response = client.post(f"{URL}/{older.id}/{path}", json=body, headers=headers)
        assert response.status_code == 409
        assert "revision 2 has replaced it" in response.json["error"]["message"]
    body = {"ids": [newer.id, older.id], "decision": "accept"}
    assert client.post(f"{URL}/review", json=body, headers=headers).status_code == 409
    session.expire_all()
    assert (older.status, newer.status) == ("submitted", "submitted")
    accepted = client.post(f"{URL}/{newer.id}/accept", headers=headers)
    assert (accepted.json["status"], accepted.json["superseded"]) == ("accepted", False)


def _with_evidence(session, make, world):
    figure = make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted")
    figure.evidence = Evidence(
        filename="故障报告.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        data=PDF,
    )
    session.flush()
    return figure


def test_a_measurement_references_its_evidence_file(client, session, make, world, tokens):
    figure = _with_evidence(session, make, world)
    plain = make.measurement(world["avail_net"], "2026-06", "99.8", status="submitted")
    items = {item["id"]: item for item in client.get(URL, headers=tokens["hw"]).json["items"]}
    url = f"http://underpin.test{URL}/{figure.id}/evidence"
    assert items[figure.id]["evidence"] == {
        "filename": "故障报告.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
        "url": url,
    }
    assert items[plain.id]["evidence"] is None
    download = client.get(url, headers=tokens["hw"])
    assert (download.status_code, download.data, download.mimetype) == (
        200,
        PDF,
        "application/pdf",
    )
    assert "%E6%95%85%E9%9A%9C%E6%8A%A5%E5%91%8A.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(url, headers=tokens["auditor"]).status_code == 200


@pytest.mark.parametrize("who", ["ot", None])
def test_evidence_is_served_only_to_who_may_see_the_figure(
    client, session, make, world, tokens, who
):
    figure = _with_evidence(session, make, world)
    response = client.get(f"{URL}/{figure.id}/evidence", headers=tokens[who] if who else {})
    assert response.status_code == (404 if who else 401)
    assert set(response.json["error"]) == {"code", "message", "details"}
    assert PDF not in response.data


def test_a_figure_without_evidence_has_no_file_to_download(client, make, world, tokens):
    plain = make.measurement(world["avail_crm"], "2026-06", "99.8", status="submitted")
    response = client.get(f"{URL}/{plain.id}/evidence", headers=tokens["hw"])
    assert (response.status_code, response.json["error"]["code"]) == (404, "not_found")
    assert client.get(f"{URL}/999999/evidence", headers=tokens["admin"]).status_code == 404


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
    evidence_download = paths[f"{URL}/{{measurement_id}}/evidence"]["get"]["responses"]["200"]
    assert evidence_download["content"]["application/octet-stream"]["schema"]["format"] == "binary"
    measurement = document["components"]["schemas"]["Measurement"]
    assert {"evidence", "superseded"} <= set(measurement["required"])
    evidence = document["components"]["schemas"]["Evidence"]
    assert set(evidence["properties"]) == {"filename", "size", "content_type", "url"}
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
