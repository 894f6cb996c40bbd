"""The portfolio overview on the example portfolio, by hand."""

from __future__ import annotations

import json
from decimal import Decimal as D

from sqlalchemy import event

from scorecards.overview import portfolio_overview
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES


def load(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()


def test_every_supplier_with_score_rating_credits_and_missing(session):
    load(session)
    lines = {line.code: line for line in portfolio_overview(session, "2026-01", "2026-06")}
    cloudco = lines["CLOUDCO"]
    assert (cloudco.score, cloudco.rating, cloudco.credits) == (D(200) / 3, "red", D(6400))
    assert (cloudco.missing, cloudco.missing_last_month) == (1, 1)  # AVAIL June
    assert (lines["SZDC"].score, lines["SZDC"].rating, lines["SZDC"].credits) == (
        D(75),
        "red",
        D(320),
    )
    assert (lines["NETOPS"].score, lines["NETOPS"].rating) == (D(100), "green")


def test_the_trend_is_each_months_score(session):
    load(session)
    cloudco = {line.code: line for line in portfolio_overview(session, "2026-01", "2026-06")}[
        "CLOUDCO"
    ]
    # Mar: AVAIL missed, P1 missed → 0; Jun: AVAIL missing, P1 missed → 0; other months 100
    assert cloudco.trend == [
        ("2026-01", D(100)),
        ("2026-02", D(100)),
        ("2026-03", D(0)),
        ("2026-04", D(100)),
        ("2026-05", D(100)),
        ("2026-06", D(0)),
    ]
    szdc = {line.code: line for line in portfolio_overview(session, "2026-01", "2026-06")}["SZDC"]
    assert szdc.trend[:2] == [("2026-01", None), ("2026-02", None)]  # not yet under contract


def test_queries_do_not_grow_with_the_portfolio(session, make):
    load(session)

    def count():
        statements = []
        connection = session.connection()

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(connection, "before_cursor_execute", listener)
        try:
            portfolio_overview(session, "2026-01", "2026-06")
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for _ in range(5):
        supplier = make.supplier()
        agreement = make.agreement("underpinning", supplier=supplier)
        make.measurement(make.target(agreement, make.metric()), "2026-02", "99.99")
    assert count() == before


def test_credits_are_kept_apart_by_currency(session, make):
    from datetime import date

    supplier = make.supplier()
    for currency, charge in (("USD", "1000"), ("CNY", "5000")):
        agreement = make.agreement(
            "underpinning",
            supplier=supplier,
            currency=currency,
            monthly_charge=D(charge),
            start=date(2026, 1, 1),
        )
        make.target(agreement, make.metric(), credit_pct="10")  # missing in Jan → 10 %
    line = next(
        line
        for line in portfolio_overview(session, "2026-01", "2026-01")
        if line.code == supplier.code
    )
    assert line.credits_by_currency == {"CNY": D(500), "USD": D(100)}
