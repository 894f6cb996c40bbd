"""The reviewer's case on the demo portfolio: the supplier user wang.wei@huawei.example.cn
(HUAWEI) may not open the customer SLA SLA-HVU-NET that its contract UC-HUAWEI-NET
underpins, so no page, JSON or API answer names it to that user; staff keep seeing it."""

from __future__ import annotations

from datetime import date

import pytest

from contracts import accounts
from portal import demo
from tests.conftest import fix_clock, login

SUPPLIER = "wang.wei@huawei.example.cn"
SLA = "SLA-HVU-NET"


TODAY = date(2026, 7, 15)


@pytest.fixture
def seeded(session, monkeypatch):
    fix_clock(monkeypatch, TODAY)  # the pages ask the clock; the demo is built around TODAY
    demo.seed_demo(session, today=TODAY)
    session.flush()


def _bearer(session, email):
    user = accounts.find_user(session, email)
    return {"Authorization": f"Bearer {accounts.create_token(session, user, 'api').secret}"}


def _answers(client, session, email):
    """Every way the user reads the agreement and the scorecard, as text."""
    headers = _bearer(session, email)
    api = [
        client.get("/api/v1/agreements/UC-HUAWEI-NET", headers=headers),
        client.get("/api/v1/scorecards/HUAWEI", headers=headers),
    ]
    login(client, email, demo_password(email))
    web = [
        client.get("/agreements/UC-HUAWEI-NET"),
        client.get("/scorecards/HUAWEI"),
        client.get("/scorecards/HUAWEI.json"),
    ]
    assert [response.status_code for response in api + web] == [200] * 5
    return [response.get_data(as_text=True) for response in api + web]


def demo_password(email):
    return next(password for _role, login_, password in demo.DEMO_LOGINS if login_ == email)


def test_the_supplier_user_is_never_told_of_the_customer_sla(client, session, seeded):
    for text in _answers(client, session, SUPPLIER):
        assert SLA not in text
    login(client, SUPPLIER, demo_password(SUPPLIER))
    assert client.get(f"/agreements/{SLA}").status_code == 404


def test_staff_see_the_customer_sla_everywhere(client, session, seeded):
    procurement = next(email for role, email, _ in demo.DEMO_LOGINS if role == "procurement")
    agreement_api, scorecard_api, agreement_page, scorecard_page, scorecard_json = _answers(
        client, session, procurement
    )
    assert SLA in agreement_api and SLA in agreement_page
    # the demo's HUAWEI misses breach the customer SLA within the last twelve months
    assert SLA in scorecard_api and SLA in scorecard_page and SLA in scorecard_json
