"""The example portfolio's scorecards equal the independently worked-out expected files."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import event, select

from contracts.models import Supplier
from portal import jsonio
from scorecards import scorecard
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES


@pytest.fixture
def example(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()


def card_json(session, code, first="2026-01", last="2026-06", today=date(2026, 7, 15)):
    supplier = session.scalar(select(Supplier).where(Supplier.code == code))
    card = scorecard.build(session, supplier, first, last, today=today)
    return json.loads(jsonio.dumps(scorecard.as_json(card)))  # rounded as the JSON edge does


def subset(expected, actual, path="$"):
    """Every key of ``expected`` is in ``actual`` with an equal value (lists item by item)."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(expected) == len(actual), f"{path}: {len(actual)} items, not {len(expected)}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            subset(want, got, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("code", ["CLOUDCO", "SZDC", "NETOPS"])
def test_the_examples_expected_scorecards(session, example, code):
    expected = json.loads(
        (EXAMPLES / "expected" / f"scorecard-{code}-2026-01-2026-06.json").read_text("utf-8")
    )
    actual = card_json(session, code)
    # SPEC 5 makes "supplier" an object {"code", "name"}; the expected files give the code.
    assert actual["supplier"]["code"] == expected.pop("supplier")
    subset(expected, actual)


def test_the_recommendation_looks_at_the_term_to_date(session, example):
    card = card_json(session, "CLOUDCO")
    assert card["agreements"][0]["recommendation"] == "renegotiate_or_exit"
    assert card["customer_impact"][0]["target"] == 8.0


def test_the_number_of_queries_does_not_grow_with_targets_or_months(session, make):
    def queries_for(n_targets, months):
        supplier = make.supplier()
        lead = make.agreement(
            "underpinning", supplier=supplier, services=[make.service() for _ in range(n_targets)]
        )
        sla = make.agreement("sla", services=lead.services)
        for service in lead.services:
            metric = make.metric()
            upper = make.target(sla, metric, "99", service=service)
            lower = make.target(lead, metric, "99.5", service=service)
            make.link(lower, upper)
            for month in range(1, months + 1):
                make.measurement(lower, f"2026-{month:02d}", "99.7")
        statements = []
        connection = session.connection()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            scorecard.build(
                session, supplier, "2026-01", f"2026-{months:02d}", today=date(2026, 12, 15)
            )
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(statements)

    small, large = queries_for(2, 2), queries_for(20, 12)
    assert small == large


def test_the_cli_writes_the_scorecard_json(runner, example, tmp_path):
    out = tmp_path / "cloudco.json"
    result = runner.invoke(
        args=[
            "scorecard",
            "CLOUDCO",
            "--from",
            "2026-01",
            "--to",
            "2026-06",
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    card = json.loads(out.read_text("utf-8"))
    assert (card["score"], card["rating"], card["credits"]) == (66.67, "red", 6400.0)
    assert card["supplier"] == {"code": "CLOUDCO", "name": "CloudCo Hosting Ltd"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE", "--from", "2026-01", "--to", "2026-06"], "supplier: no supplier NOPE"),
        (["CLOUDCO", "--from", "2026-13", "--to", "2026-06"], "--from: must be a month"),
        (["CLOUDCO", "--from", "2026-06", "--to", "July"], "--to: must be a month"),
        (["CLOUDCO", "--from", "2026-07", "--to", "2026-06"], "--from: must not be after"),
    ],
)
def test_the_cli_refuses_bad_arguments(runner, example, args, message):
    result = runner.invoke(args=["scorecard", *args])
    assert result.exit_code != 0
    assert message in result.output


def bearer(session, make, role, supplier_code=None):
    from contracts import accounts

    supplier = (
        session.scalar(select(Supplier).where(Supplier.code == supplier_code))
        if supplier_code
        else None
    )
    user = make.user(role, supplier=supplier)
    return {"Authorization": f"Bearer {accounts.create_token(session, user, 't').secret}"}


def test_the_api_gives_the_same_scorecard(client, session, make, example):
    headers = bearer(session, make, "procurement")
    response = client.get("/api/v1/scorecards/SZDC?from=2026-01&to=2026-06", headers=headers)
    assert response.status_code == 200
    body = response.json
    assert (body["from"], body["to"], body["score"], body["credits"]) == (
        "2026-01",
        "2026-06",
        75.0,
        320.0,
    )
    assert body["agreements"][0]["targets"][0]["months"][0] == {
        "period": "2026-03",
        "value": 99.97,
        "status": "met",
    }


def test_the_api_refuses_a_bad_window_naming_the_argument(client, session, make, example):
    response = client.get(
        "/api/v1/scorecards/SZDC?from=2026-13", headers=bearer(session, make, "auditor")
    )
    assert response.status_code == 422
    assert list(response.json["error"]["details"]) == ["from"]


def test_a_supplier_sees_only_its_own_scorecard(client, session, make, example):
    headers = bearer(session, make, "supplier", "CLOUDCO")
    assert (
        client.get(
            "/api/v1/scorecards/CLOUDCO?from=2026-01&to=2026-06", headers=headers
        ).status_code
        == 200
    )
    for code in ("SZDC", "NETOPS", "NOPE"):
        assert client.get(f"/api/v1/scorecards/{code}", headers=headers).status_code == 404
