"""Renewal facts: dates, scores per contract year, recommendation and reason, by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from contracts import periods
from contracts.models import ChangeRecord, Dispute, ImprovementAction, Review
from scorecards import renewal
from scorecards.scoring import Thresholds

TODAY = date(2026, 1, 20)  # term to date: 2024-03 .. 2025-12 (22 months)
MISSED = {"2024-06", "2024-11"}  # both in contract year 1


@pytest.fixture
def agreement(make, session):
    supplier = make.supplier(code="SZDC", name="深圳数据中心有限公司")
    contract = make.agreement(
        supplier=supplier,
        ref="UC-SZDC",
        start=date(2024, 3, 15),  # mid-month: March is due
        end=date(2026, 9, 30),
        notice_days=90,
        auto_renew=True,
        renewal_months=12,
        monthly_charge=Decimal("1000.00"),
    )
    target = make.target(contract, make.metric("AVAIL"), "99.9", credit_pct="5")
    for period in periods.span("2024-03", "2025-12"):
        make.measurement(target, period, "99.5" if period in MISSED else "99.95")
    session.add_all(
        [
            Dispute(agreement=contract, title="March credits", raised_on=date(2025, 4, 2)),
            Dispute(
                agreement=contract,
                title="June credits",
                raised_on=date(2024, 7, 5),
                status="closed",
                resolution="Credit paid",
                closed_on=date(2024, 8, 1),
            ),
            Review(agreement=contract, held_on=date(2025, 3, 1), outcome="satisfactory"),
            ChangeRecord(
                agreement=contract,
                version=2,
                reason="Cap raised",
                impact="none",
                approver="Head of Procurement",
                changes=[
                    {
                        "entity": "agreement",
                        "key": "UC-SZDC",
                        "field": "credit_cap_pct",
                        "before": "10",
                        "after": "15",
                    }
                ],  # fmt: skip
            ),
            ImprovementAction(agreement=contract, title="Fix the UPS", status="open"),
            ImprovementAction(agreement=contract, title="Old one", status="done"),
        ]
    )
    session.flush()
    return contract


def test_dates_of_the_term(session, agreement):
    facts = renewal.build(session, agreement, today=TODAY)
    # 2026-09-30 − 90 days: 29 days back to Sep 1, 31 in August, 30 in July → 2 July.
    assert facts.notice_deadline == date(2026, 7, 2)
    assert facts.renews_on == date(2026, 10, 1)
    assert facts.renewed_end == date(2027, 9, 30)
    assert facts.to_date == ("2024-03", "2025-12")
    assert not facts.notice_passed


def test_scores_per_contract_year_and_over_the_term(session, agreement):
    facts = renewal.build(session, agreement, today=TODAY)
    year1, year2 = facts.years
    assert (year1.first, year1.last) == ("2024-03", "2025-02")
    assert (year2.first, year2.last) == ("2025-03", "2025-12")  # cut at the last complete month
    assert year1.score == Decimal(100) * 10 / 12  # 83.33…: 10 of 12 months met
    assert year1.rating == "amber"
    assert year2.score == Decimal(100)
    assert year1.credits == Decimal("100.00")  # 2 missed months × 5 % × 1,000
    assert year2.credits == 0
    assert facts.score == Decimal(100) * 20 / 22  # 90.909…
    assert facts.total_credits == Decimal("100.00")


def test_recommendation_and_reason_with_an_open_dispute(session, agreement):
    facts = renewal.build(session, agreement, today=TODAY)
    assert facts.open_disputes == 1
    assert facts.recommendation == "renew_with_conditions"
    assert [str(reason) for reason in facts.reasons] == [
        "score 90.91 is below 95 but at or above 80",
        "1 open dispute",
    ]
    assert [d.title for d in facts.disputes] == ["March credits", "June credits"]
    assert [a.title for a in facts.open_actions] == ["Fix the UPS"]
    assert [c.version for c in facts.changes] == [2]
    assert len(facts.reviews) == 1


@pytest.mark.parametrize(
    ("score", "disputes", "expected"),
    [
        ("95", 0, ["score 95.00 is at or above 95", "no open dispute"]),
        ("99.995", 1, ["score 100.00 is at or above 95", "1 open dispute"]),
        ("83.333", 0, ["score 83.33 is below 95 but at or above 80"]),
        ("79.994", 2, ["score 79.99 is below 80", "2 open disputes"]),
    ],
)
def test_reasons_in_words(score, disputes, expected):
    assert [str(r) for r in renewal.reasons(Decimal(score), disputes)] == expected


def test_reasons_follow_configured_thresholds():
    reasons = renewal.reasons(Decimal("90"), 0, Thresholds(Decimal("90"), Decimal("70.5")))
    assert [str(r) for r in reasons] == ["score 90.00 is at or above 90", "no open dispute"]


def test_reasons_are_translated(app):
    with app.app_context(), force_locale("zh_Hans_CN"):
        # Falls back to English until the catalogue has the sentence; never fails.
        assert str(renewal.reasons(None, 0)[0])


def test_an_agreement_without_automatic_renewal(make, session):
    contract = make.agreement(end=date(2026, 12, 31), notice_days=0)
    facts = renewal.build(session, contract, today=date(2026, 1, 5))
    assert facts.notice_deadline == date(2026, 12, 31)
    assert facts.renews_on is None and facts.renewed_end is None
    assert facts.to_date is None  # no complete month of the term yet
    assert facts.score is None and facts.recommendation is None
    assert facts.years == []


def test_the_number_of_queries_is_fixed(make, session):
    def statements_for(months: int, records: int) -> int:
        contract = make.agreement(start=date(2024, 1, 1), end=date(2027, 12, 31))
        metric = make.metric()
        for _ in range(2):
            target = make.target(contract, metric, service=make.service())
            for period in periods.span("2024-01", periods.shift("2024-01", months - 1)):
                make.measurement(target, period, "100")
        for index in range(records):
            session.add(Dispute(agreement=contract, title=f"D{index}", raised_on=TODAY))
            session.add(Review(agreement=contract, held_on=TODAY, outcome="satisfactory"))
            session.add(ImprovementAction(agreement=contract, title=f"A{index}"))
        session.flush()
        session.expire_all()
        seen = []
        connection = session.connection()
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            renewal.build(session, contract, today=TODAY)
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for(2, 1) == statements_for(20, 6)
