"""What a supplier's user sees of its own scorecard (SPEC 1): its figures, scores and credits,
but neither the customer commitments its misses put at risk (customer SLAs are the provider's
business) nor the renewal recommendations (the provider's internal judgement). Staff see both.

The example portfolio (tests/examples): CLOUDCO's UC-CLOUDCO-2026 underpins SLA-ACME-CRM;
in 2026-01..2026-06 its misses breach SLA-ACME-CRM in March, and over the term to date it
scores below 80, so the recommendation is ``renegotiate_or_exit``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from contracts import accounts
from contracts.models import Supplier
from portal.permissions import can, visible_scorecard
from scorecards import scorecard
from scorecards.portfolio import import_portfolio
from scorecards.scoring import Impact
from tests import EXAMPLES
from tests.conftest import login

WINDOW = {"from": "2026-01", "to": "2026-06"}
STAFF = ("admin", "vendor_manager", "procurement", "auditor")


@pytest.fixture
def example(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()


def _user(session, make, role, code=None):
    supplier = session.scalar(select(Supplier).where(Supplier.code == code)) if code else None
    return make.user(role, supplier=supplier)


def _bearer(session, user):
    return {"Authorization": f"Bearer {accounts.create_token(session, user, 'api').secret}"}


def _documents(client, session, user):
    """The scorecard JSON of the web (cookie) and of the API (token), for ``user``."""
    api = client.get(
        "/api/v1/scorecards/CLOUDCO", query_string=WINDOW, headers=_bearer(session, user)
    )
    login(client, user.email)
    web = client.get("/scorecards/CLOUDCO.json", query_string=WINDOW)
    assert (web.status_code, api.status_code) == (200, 200)
    return web.get_json(), api.get_json()


def test_a_supplier_user_gets_no_customer_impact_and_no_recommendation(
    client, session, make, example
):
    user = _user(session, make, "supplier", "CLOUDCO")
    for document in _documents(client, session, user):
        assert document["customer_impact"] == []
        assert [a["recommendation"] for a in document["agreements"]] == [None]
        # its own figures are all there
        assert (document["score"], document["rating"], document["credits"]) == (
            66.67,
            "red",
            6400.0,
        )
        assert "SLA-ACME-CRM" not in json.dumps(document)


@pytest.mark.parametrize("role", STAFF)
def test_staff_see_the_customer_impact_and_the_recommendation(client, session, make, example, role):
    user = _user(session, make, role)
    for document in _documents(client, session, user):
        assert [(i["sla"], i["period"]) for i in document["customer_impact"]][:1] == [
            ("SLA-ACME-CRM", "2026-03")
        ]
        assert [a["recommendation"] for a in document["agreements"]] == ["renegotiate_or_exit"]


def test_the_supplier_scorecard_page_names_no_customer_sla(client, session, make, example):
    login(client, _user(session, make, "supplier", "CLOUDCO").email)
    response = client.get("/scorecards/CLOUDCO", query_string=WINDOW)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "UC-CLOUDCO-2026" in text
    assert "SLA-ACME-CRM" not in text
    assert "sc-recommendation-" not in text  # no renewal badge


def test_the_staff_scorecard_page_names_the_customer_sla(client, session, make, example):
    login(client, _user(session, make, "procurement").email)
    text = client.get("/scorecards/CLOUDCO", query_string=WINDOW).get_data(as_text=True)
    assert "SLA-ACME-CRM" in text and "sc-recommendation-renegotiate_or_exit" in text


# ── The rule itself, for every edge (web, API, PDF) ─────────────────────────────────────────
@pytest.mark.parametrize(
    ("role", "customers", "renewals"),
    [
        ("admin", True, True),
        ("vendor_manager", True, True),
        ("procurement", True, True),
        ("auditor", True, True),
        ("supplier", False, False),
    ],
)
def test_who_sees_customer_impact_and_renewals(make, role, customers, renewals):
    user = make.user(role, supplier=make.supplier() if role == "supplier" else None)
    assert can(user, "view_customers") is customers
    assert can(user, "view_renewals") is renewals


def test_visible_scorecard_withholds_impact_and_renewal_judgement(session, make, example):
    cloudco = session.scalar(select(Supplier).where(Supplier.code == "CLOUDCO"))
    card = scorecard.build(session, cloudco, "2026-01", "2026-06", today=date(2026, 8, 5))
    assert card.impact and card.agreements[0].recommendation == "renegotiate_or_exit"

    supplier_view = visible_scorecard(make.user("supplier", supplier=cloudco), card)
    assert supplier_view.impact == []
    assert [(a.recommendation, a.term_score) for a in supplier_view.agreements] == [(None, None)]
    assert (supplier_view.score, supplier_view.credits) == (card.score, card.credits)
    assert card.impact  # the original is left as it was

    assert visible_scorecard(make.user("procurement"), card) is card


def test_visible_scorecard_for_nobody_withholds_everything(make):
    impact = Impact("SLA-1", "AVAIL", "CRM", "2026-03", Decimal("99.1"), Decimal("99.5"))
    card = scorecard.Scorecard("X", "X", "2026-01", "2026-01", None, "none", [], [impact])
    assert visible_scorecard(None, card).impact == []
    assert visible_scorecard(None, replace(card, impact=[])).impact == []
