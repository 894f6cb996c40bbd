"""One access table: every route of the portal (pages and API) with who may open it.

``test_every_route_is_in_the_table`` compares the table with ``app.url_map``, so a new route
cannot skip it. For each row, every role (and an anonymous visitor) asks once: the roles in the
row get through (a page, a download, a redirect that is not the login, or a refusal of the
empty form: 400/409/422), the others are refused with the row's status (403 unless it says
otherwise), and an anonymous visitor goes to the login page (401 on the API). The supplier's
user belongs to HW, whose objects the routes name; a user of another supplier ("stranger")
gets 404 for every route about HW's objects (``hidden``) and otherwise what HW's user gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from contracts import accounts
from contracts.models import ChangeRecord, Dispute, ImprovementAction, SupplierContact
from scorecards.models import Evidence, Measurement

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
EVERYONE = ROLES
STAFF = ("admin", "vendor_manager", "procurement", "auditor")
EDITORS = ("admin", "vendor_manager")
ADMINS = ("admin",)
AUDITORS = ("admin", "auditor")
SUBMITTERS = ("admin", "supplier")
REPLIERS = ("admin", "vendor_manager", "supplier")
ANONYMOUS = "anonymous"
STRANGER = "stranger"  # a user of another supplier, OT
PUBLIC = (ANONYMOUS, *ROLES)
GOT_THROUGH = {200, 201, 302, 400, 409, 422}


@dataclass(frozen=True)
class Route:
    method: str
    endpoint: str
    path: str  # {names} are filled from the world (and {own_token} per role)
    allowed: tuple[str, ...]
    refused: int = 403
    body: Any = None  # JSON for the API
    hidden: bool = False  # about HW's own objects: another supplier's user gets 404

    def expected_for_a_stranger(self) -> int | None:
        """What a user of another supplier gets: 404 for HW's objects (never a hint that they
        exist), else what HW's own user gets (``None``: through)."""
        if self.hidden:
            return 404
        return None if "supplier" in self.allowed else self.refused

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/v1/") and self.endpoint != "api-docs.openapi_json"


def pages(method: str, endpoint: str, path: str, allowed: tuple[str, ...], **extra: Any):  # noqa: ANN201
    return Route(method, endpoint, path, allowed, **extra)


TARGET = "/agreements/UC-HW/targets/AVAIL/CRM"
TABLE = [
    # Signing in, the language switch, health, the API document, static files: public.
    Route("GET", "auth.login", "/login", PUBLIC),
    Route("POST", "auth.login", "/login", PUBLIC),
    Route("POST", "account.language", "/language", PUBLIC),
    Route("GET", "health.healthz", "/healthz", PUBLIC),
    Route("GET", "api-docs.openapi_json", "/api/v1/openapi.json", PUBLIC),
    Route("GET", "static", "/static/css/portal.css", PUBLIC),
    # One's own account.
    Route("POST", "auth.logout", "/logout", EVERYONE),
    Route("GET", "account.index", "/account", EVERYONE),
    Route("POST", "account.change_password", "/account/password", EVERYONE),
    Route("POST", "account.create_own_token", "/account/tokens", EVERYONE),
    Route("POST", "account.revoke_own_token", "/account/tokens/{own_token}/revoke", EVERYONE),
    Route("GET", "dashboard.index", "/", EVERYONE),
    # Users and their tokens: administrators only.
    Route("GET", "admin.users", "/admin/users", ADMINS),
    Route("GET", "admin.new_user", "/admin/users/new", ADMINS),
    Route("POST", "admin.new_user", "/admin/users/new", ADMINS),
    Route("GET", "admin.user", "/admin/users/{someone}", ADMINS),
    Route("POST", "admin.edit_user", "/admin/users/{someone}", ADMINS),
    Route("POST", "admin.set_active", "/admin/users/{someone}/active", ADMINS),
    Route("POST", "admin.reset_password", "/admin/users/{someone}/password", ADMINS),
    Route("POST", "admin.create_token", "/admin/users/{someone}/tokens", ADMINS),
    Route("POST", "admin.revoke_token", "/admin/tokens/{someones_token}/revoke", ADMINS),
    # Agreements.
    Route("GET", "agreements.index", "/agreements", EVERYONE),
    Route("GET", "agreements.new", "/agreements/new", EDITORS),
    Route("POST", "agreements.new", "/agreements/new", EDITORS),
    Route("GET", "agreements.detail", "/agreements/UC-HW", EVERYONE, hidden=True),
    Route("GET", "agreements.change", "/agreements/UC-HW/changes/1", EVERYONE, hidden=True),
    Route("GET", "agreements.edit", "/agreements/UC-HW/edit", EDITORS, hidden=True),
    Route("POST", "agreements.edit", "/agreements/UC-HW/edit", EDITORS, hidden=True),
    Route("GET", "agreements.status", "/agreements/UC-HW/status", EDITORS, hidden=True),
    Route("POST", "agreements.status", "/agreements/UC-HW/status", EDITORS, hidden=True),
    Route("GET", "agreements.add_target", "/agreements/UC-HW/targets/new", EDITORS, hidden=True),
    Route("POST", "agreements.add_target", "/agreements/UC-HW/targets/new", EDITORS, hidden=True),
    Route("GET", "agreements.edit_target", f"{TARGET}/edit", EDITORS, hidden=True),
    Route("POST", "agreements.edit_target", f"{TARGET}/edit", EDITORS, hidden=True),
    Route("GET", "agreements.remove_target", f"{TARGET}/remove", EDITORS, hidden=True),
    Route("POST", "agreements.remove_target", f"{TARGET}/remove", EDITORS, hidden=True),
    Route("GET", "agreements.add_link", f"{TARGET}/links/new", EDITORS, hidden=True),
    Route("POST", "agreements.add_link", f"{TARGET}/links/new", EDITORS, hidden=True),
    Route(
        "GET",
        "agreements.remove_link",
        "/agreements/UC-HW/links/{link}/remove",
        EDITORS,
        hidden=True,
    ),
    Route(
        "POST",
        "agreements.remove_link",
        "/agreements/UC-HW/links/{link}/remove",
        EDITORS,
        hidden=True,
    ),
    Route(
        "GET", "agreements.renewal_pack", "/agreements/UC-HW/renewal-pack.pdf", STAFF, hidden=True
    ),
    # Reviews, disputes, the improvement plan.
    Route("GET", "governance.reviews", "/reviews", EVERYONE),
    Route("GET", "governance.new_review", "/agreements/UC-HW/reviews/new", EDITORS, hidden=True),
    Route("POST", "governance.new_review", "/agreements/UC-HW/reviews/new", EDITORS, hidden=True),
    Route("GET", "governance.disputes", "/disputes", EVERYONE),
    Route("GET", "governance.new_dispute", "/agreements/UC-HW/disputes/new", EDITORS, hidden=True),
    Route("POST", "governance.new_dispute", "/agreements/UC-HW/disputes/new", EDITORS, hidden=True),
    Route("GET", "governance.dispute", "/disputes/{dispute}", EVERYONE, hidden=True),
    Route("POST", "governance.reply", "/disputes/{dispute}/replies", REPLIERS, hidden=True),
    Route("POST", "governance.dispute_status", "/disputes/{dispute}/status", EDITORS, hidden=True),
    Route("GET", "governance.actions", "/actions", EVERYONE),
    Route("GET", "governance.new_action", "/actions/new", EDITORS),
    Route("POST", "governance.new_action", "/actions/new", EDITORS),
    Route("GET", "governance.edit_action", "/actions/{action}/edit", EDITORS, hidden=True),
    Route("POST", "governance.edit_action", "/actions/{action}/edit", EDITORS, hidden=True),
    # Registers.
    Route("GET", "registers.metrics", "/metrics", EVERYONE),
    Route("GET", "registers.metric", "/metrics/AVAIL", EVERYONE),
    Route("GET", "registers.new_metric", "/metrics/new", EDITORS),
    Route("POST", "registers.new_metric", "/metrics/new", EDITORS),
    Route("GET", "registers.edit_metric", "/metrics/AVAIL/edit", EDITORS),
    Route("POST", "registers.edit_metric", "/metrics/AVAIL/edit", EDITORS),
    Route("POST", "registers.delete_metric", "/metrics/AVAIL/delete", EDITORS),
    Route("GET", "registers.customers", "/customers", STAFF),
    Route("GET", "registers.customer", "/customers/ACME", STAFF),
    Route("GET", "registers.new_customer", "/customers/new", EDITORS),
    Route("POST", "registers.new_customer", "/customers/new", EDITORS),
    Route("GET", "registers.edit_customer", "/customers/ACME/edit", EDITORS),
    Route("POST", "registers.edit_customer", "/customers/ACME/edit", EDITORS),
    Route("POST", "registers.delete_customer", "/customers/ACME/delete", EDITORS),
    Route("GET", "registers.services", "/services", EVERYONE),
    Route("GET", "registers.service", "/services/CRM", EVERYONE),
    Route("GET", "registers.new_service", "/services/new", EDITORS),
    Route("POST", "registers.new_service", "/services/new", EDITORS),
    Route("GET", "registers.edit_service", "/services/CRM/edit", EDITORS),
    Route("POST", "registers.edit_service", "/services/CRM/edit", EDITORS),
    Route("POST", "registers.delete_service", "/services/CRM/delete", EDITORS),
    Route("GET", "registers.suppliers", "/suppliers", EVERYONE),
    Route("GET", "registers.supplier", "/suppliers/HW", EVERYONE, hidden=True),
    Route("GET", "registers.new_supplier", "/suppliers/new", EDITORS),
    Route("POST", "registers.new_supplier", "/suppliers/new", EDITORS),
    Route("GET", "registers.edit_supplier", "/suppliers/HW/edit", EDITORS, hidden=True),
    Route("POST", "registers.edit_supplier", "/suppliers/HW/edit", EDITORS, hidden=True),
    Route("POST", "registers.delete_supplier", "/suppliers/HW/delete", EDITORS, hidden=True),
    Route("POST", "registers.add_contact", "/suppliers/HW/contacts", EDITORS, hidden=True),
    Route(
        "GET", "registers.edit_contact", "/suppliers/HW/contacts/{contact}", EDITORS, hidden=True
    ),
    Route(
        "POST", "registers.edit_contact", "/suppliers/HW/contacts/{contact}", EDITORS, hidden=True
    ),
    Route(
        "POST",
        "registers.remove_contact",
        "/suppliers/HW/contacts/{contact}/remove",
        EDITORS,
        hidden=True,
    ),
    # The chain, the audit log.
    Route("GET", "chain.index", "/chain", STAFF),
    Route("POST", "chain.index", "/chain", EDITORS),
    Route("GET", "auditlog.index", "/audit", AUDITORS),
    Route("GET", "auditlog.sample", "/audit/sample", AUDITORS),
    # Monthly figures and their review.
    Route("GET", "submissions.month", "/submissions?supplier=HW", SUBMITTERS, hidden=True),
    Route("POST", "submissions.month", "/submissions?supplier=HW", SUBMITTERS, hidden=True),
    Route("POST", "submissions.upload", "/submissions/upload?supplier=HW", SUBMITTERS, hidden=True),
    Route(
        "GET", "submissions.template", "/submissions/template?supplier=HW", SUBMITTERS, hidden=True
    ),
    Route("GET", "submissions.evidence", "/evidence/{evidence}", EVERYONE, hidden=True),
    Route("GET", "review.queue", "/review", EDITORS),
    Route("POST", "review.accept", "/review/{measurement}/accept", EDITORS),
    Route("POST", "review.reject", "/review/{measurement}/reject", EDITORS),
    Route("POST", "review.bulk", "/review/bulk", EDITORS),
    # Scorecards.
    Route("GET", "scorecards.overview", "/scorecards", EVERYONE),
    Route("GET", "scorecards.supplier", "/scorecards/HW", EVERYONE, hidden=True),
    Route("GET", "scorecards.supplier_json", "/scorecards/HW.json", EVERYONE, hidden=True),
    Route("GET", "scorecards.pdf", "/scorecards/HW.pdf", EVERYONE, hidden=True),
    # The API described for people, and the API (a bearer token per role).
    Route("GET", "api_docs.index", "/api", EVERYONE),
    Route("GET", "me.me", "/api/v1/me", EVERYONE),
    Route("GET", "agreements_api.list_agreements", "/api/v1/agreements", EVERYONE),
    Route("GET", "agreements_api.get_agreement", "/api/v1/agreements/UC-HW", EVERYONE, hidden=True),
    Route("GET", "alignment.alignment", "/api/v1/alignment", STAFF),
    Route("GET", "scorecards_api.get_scorecard", "/api/v1/scorecards/HW", EVERYONE, hidden=True),
    Route("POST", "measurements_api.submit_measurements", "/api/v1/measurements", SUBMITTERS),
    Route("GET", "measurements_api.list_measurements", "/api/v1/measurements", EVERYONE),
    Route(
        "GET",
        "measurements_api.measurement_evidence",
        "/api/v1/measurements/{measurement}/evidence",
        EVERYONE,
        hidden=True,
    ),
    Route(
        "POST",
        "measurements_api.accept_measurement",
        "/api/v1/measurements/{measurement}/accept",
        EDITORS,
    ),
    Route(
        "POST",
        "measurements_api.reject_measurement",
        "/api/v1/measurements/{measurement}/reject",
        EDITORS,
        body={"reason": "Not the monthly report's figure"},
    ),
    Route(
        "POST",
        "measurements_api.review_measurements",
        "/api/v1/measurements/review",
        EDITORS,
        body={"ids": ["{measurement}"], "decision": "accept"},
    ),
]


def test_every_route_is_in_the_table(app: Flask) -> None:
    served = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = [(route.method, route.endpoint) for route in TABLE]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    assert served == set(listed)


@pytest.fixture
def world(make, session) -> dict[str, Any]:
    """A supplier HW with its user, an agreement in force underpinning a customer SLA, and
    one of everything a route can be about."""
    avail, crm = make.metric("AVAIL"), make.service("CRM")
    acme = make.customer("ACME")
    hw = make.supplier("HW", name="Huawei")
    sla = make.agreement("sla", customer=acme, services=[crm], ref="SLA-ACME")
    lead = make.agreement("underpinning", supplier=hw, services=[crm], ref="UC-HW")
    upper, lower = make.target(sla, avail), make.target(lead, avail)
    link = make.link(lower, upper)
    users = {role: make.user(role, supplier=hw if role == "supplier" else None) for role in ROLES}
    users[STRANGER] = make.user("supplier", supplier=make.supplier("OT", name="Other Ltd"))
    someone = make.user("procurement")
    evidence = Evidence(
        filename="report.pdf", content_type="application/pdf", size=8, sha256="0" * 64,
        data=b"%PDF-1.4",
    )  # fmt: skip
    figure = Measurement(
        target=lower, period="2026-06", value=Decimal("99.95"), status="submitted",
        evidence=evidence,
    )  # fmt: skip
    dispute = Dispute(agreement=lead, title="Credits for June", raised_on=date(2026, 7, 2))
    action = ImprovementAction(
        agreement=lead, title="Fix it", owner=users["vendor_manager"], due_on=date(2026, 9, 1)
    )
    contact = SupplierContact(supplier=hw, name="Wang Wei")
    record = ChangeRecord(
        agreement=lead, version=1, reason="Signed", impact="None", approver="CFO", changes=[]
    )
    session.add_all([evidence, figure, dispute, action, contact, record])
    session.flush()
    tokens = {who: accounts.create_token(session, user, "t") for who, user in users.items()}
    return {
        "users": users,
        "tokens": tokens,
        "values": {
            "someone": someone.id,
            "someones_token": accounts.create_token(session, someone, "t").token.id,
            "link": link.id,
            "dispute": dispute.id,
            "action": action.id,
            "contact": contact.id,
            "evidence": evidence.id,
            "measurement": figure.id,
        },
    }


def _filled(text: Any, values: dict[str, Any]) -> Any:
    if isinstance(text, str):
        return int(values[text[1:-1]]) if text.startswith("{") else text.format(**values)
    if isinstance(text, list):
        return [_filled(item, values) for item in text]
    if isinstance(text, dict):
        return {key: _filled(item, values) for key, item in text.items()}
    return text


def ask(app: Flask, world: dict[str, Any], route: Route, who: str):  # noqa: ANN201
    client = app.test_client()
    values = {**world["values"], "own_token": world["values"]["someones_token"]}
    headers = {}
    if who != ANONYMOUS:
        user, token = world["users"][who], world["tokens"][who]
        values["own_token"] = token.token.id
        if route.api:
            headers["Authorization"] = f"Bearer {token.secret}"
        else:
            with client.session_transaction() as cookie:
                cookie["_user_id"] = user.get_id()
                cookie["_fresh"] = True
    path = route.path.format(**values)
    if route.api and route.method == "POST":
        return client.post(path, json=_filled(route.body, values) or {}, headers=headers)
    return client.open(path, method=route.method, headers=headers)


@pytest.mark.parametrize("route", TABLE, ids=lambda route: f"{route.method} {route.endpoint}")
def test_who_may_open_each_route(
    app: Flask, session: Session, world: dict[str, Any], route: Route
) -> None:
    connection = session.connection()
    for who in (ANONYMOUS, *ROLES, STRANGER):
        # What one role's request changes, the next never sees (a plain SAVEPOINT: the
        # requests' own sessions nest theirs inside it on the same connection).
        connection.exec_driver_sql("SAVEPOINT access_check")
        response = ask(app, world, route, who)
        connection.exec_driver_sql("ROLLBACK TO SAVEPOINT access_check")
        status = response.status_code
        to_login = status == 302 and "/login" in response.headers.get("Location", "")
        signed_out = route.endpoint == "auth.logout" and to_login
        if who == STRANGER:
            expected = route.expected_for_a_stranger()
            if expected is None:
                assert status in GOT_THROUGH and (signed_out or not to_login), (who, status)
            else:
                assert status == expected, (who, status)
        elif who in route.allowed:
            assert status in GOT_THROUGH and (signed_out or not to_login), (who, status)
        elif who == ANONYMOUS:
            assert (status == 401) if route.api else to_login, (who, status)
        else:
            assert status == route.refused, (who, status)
        response.close()
