"""SPEC section 3's scoring rules against values worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from scorecards.measurements import stands
from scorecards.scoring import (
    AgreementFacts,
    ChainLink,
    CustomerTarget,
    MonthResult,
    TargetFacts,
    TargetResult,
    Thresholds,
    credits_by_month,
    customer_impact,
    due_months,
    monthly_scores,
    rating,
    recommendation,
    score,
    score_targets,
)

AVAIL = TargetFacts(1, "AVAIL", "CRM", D("99.9"), "higher", D("2"), D("5"))
P1 = TargetFacts(2, "RESOLVE_P1", "CRM", D("4"), "lower", D("1"), D("3"))


def agreement(
    targets=(AVAIL, P1),
    *,
    start=date(2026, 1, 1),
    end=date(2026, 12, 31),
    status="active",
    charge="40000",
    cap="10",
    disputes=0,
):
    return AgreementFacts(
        "UC-1",
        "underpinning",
        status,
        start,
        end,
        list(targets),
        D(charge),
        D(cap) if cap is not None else None,
        disputes,
    )


def test_only_a_revision_that_is_not_rejected_can_be_current():
    assert [stands(status) for status in ("submitted", "accepted", "rejected")] == [
        True,
        True,
        False,
    ]


def test_due_months_follow_the_term_and_never_a_draft():
    # starts 15 March: March is due (term overlaps it); ends 10 May: May is due
    mid = agreement(start=date(2026, 3, 15), end=date(2026, 5, 10))
    assert due_months(mid, "2026-01", "2026-06") == ("2026-03", "2026-04", "2026-05")
    assert due_months(agreement(status="draft"), "2026-01", "2026-06") == ()
    assert due_months(agreement(status="expired"), "2026-11", "2027-02") == ("2026-11", "2026-12")


def test_equality_meets_in_both_directions_and_missing_counts_as_missed():
    values = {
        (1, "2026-01"): D("99.9"),
        (2, "2026-01"): D("4"),
        (1, "2026-02"): D("99.89"),
        (2, "2026-02"): D("4.01"),
    }
    results = score_targets(agreement(), "2026-01", "2026-03", values)
    assert [m.status for m in results[0].months] == ["met", "missed", "missing"]
    assert [m.status for m in results[1].months] == ["met", "missed", "missing"]
    # 1 met of 3 due → 33.33…
    assert results[0].attainment == D(100) / 3


def test_score_is_weighted_by_target():
    # AVAIL (weight 2) met 3 of 4 → 75; P1 (weight 1) met 1 of 4 → 25; (2×75 + 25) / 3 = 58.33…
    values = {(1, m): D("99.95") for m in ("2026-01", "2026-02", "2026-03")}
    values[(2, "2026-01")] = D("1")
    results = score_targets(agreement(), "2026-01", "2026-04", values)
    assert score(results) == (2 * D(75) + D(25)) / 3


def test_a_target_with_no_due_month_is_left_out_of_the_score():
    results = score_targets(agreement(start=date(2026, 7, 1)), "2026-01", "2026-06", {})
    assert [r.attainment for r in results] == [None, None]
    assert score(results) is None
    assert rating(score(results)) == "none"


def test_rating_thresholds_and_their_configuration():
    assert [rating(D(v)) for v in ("95", "94.99", "80", "79.99")] == [
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert rating(D("92"), Thresholds(D("90"), D("70"))) == "green"


def test_credits_are_capped_per_month_not_per_window():
    # Jan: both missed → 8 % of 40,000 = 3,200 (cap 10 % = 4,000 not reached)
    # with a 5 % cap: Jan capped at 2,000; Feb only P1 missed → 3 % = 1,200; window 3,200
    values = {
        (1, "2026-01"): D("99"),
        (2, "2026-01"): D("5"),
        (1, "2026-02"): D("99.95"),
        (2, "2026-02"): D("5"),
    }
    results = score_targets(agreement(), "2026-01", "2026-02", values)
    assert credits_by_month(agreement(), results) == {"2026-01": D(3200), "2026-02": D(1200)}
    capped = agreement(cap="5")
    assert credits_by_month(capped, results) == {"2026-01": D(2000), "2026-02": D(1200)}
    uncapped = agreement(cap=None)
    assert sum(credits_by_month(uncapped, results).values()) == D(4400)


def test_missing_figures_earn_credits_too():
    results = score_targets(agreement(), "2026-06", "2026-06", {})
    assert credits_by_month(agreement(), results) == {"2026-06": D(3200)}


def test_renewal_recommendation():
    assert recommendation(D("95"), 0) == "renew"
    assert recommendation(D("96"), 1) == "renew_with_conditions"  # an open dispute
    assert recommendation(D("80"), 0) == "renew_with_conditions"
    assert recommendation(D("79.99"), 0) == "renegotiate_or_exit"
    assert recommendation(None, 0) is None


def sla_target(links, composition="product", target="99.5", direction="higher"):
    return CustomerTarget("SLA-1", "AVAIL", "CRM", D(target), direction, composition, links)


def test_customer_impact_only_in_months_where_the_suppliers_own_target_missed():
    other = TargetFacts(9, "AVAIL", "CRM", D("99.9"), "higher")
    ours = agreement([AVAIL])
    theirs = agreement([other])
    customer = sla_target([ChainLink(1, None, ours), ChainLink(9, None, theirs)])
    # Jan: ours met (99.9), theirs 99.0 → 0.999 × 0.99 = 0.98901 → 98.901 < 99.5: breached,
    #      but not through us.
    # Feb: ours missed (99.7), theirs 99.9 → 0.997 × 0.999 = 0.996003 → 99.6003 ≥ 99.5: met.
    # Mar: ours missed (99.6), theirs 99.8 → 0.996 × 0.998 = 0.994008 → 99.4008: breached.
    values = {
        (1, "2026-01"): D("99.9"),
        (9, "2026-01"): D("99.0"),
        (1, "2026-02"): D("99.7"),
        (9, "2026-02"): D("99.9"),
        (1, "2026-03"): D("99.6"),
        (9, "2026-03"): D("99.8"),
    }
    results = score_targets(ours, "2026-01", "2026-03", values)
    impacts = customer_impact(results, {1: [customer]}, values)
    assert [(i.period, i.chain_value) for i in impacts] == [("2026-03", D("99.4008"))]


def test_a_missing_value_leaves_the_chain_incomplete():
    ours = agreement([AVAIL])
    customer = sla_target([ChainLink(1, None, ours)])
    results = score_targets(ours, "2026-01", "2026-01", {})
    assert customer_impact(results, {1: [customer]}, {}) == []


def test_redundancy_groups_in_the_chain():
    # Two data centres in parallel (group dc): 1 − 0.02 × 0.01 = 0.9998; in series with our
    # 99.6 %: 0.9998 × 0.996 = 0.9958008 → 99.58008 ≥ 99.5: met, so no impact although we missed
    dc1 = TargetFacts(5, "AVAIL", "CRM", D("99"), "higher")
    dc2 = TargetFacts(6, "AVAIL", "CRM", D("99"), "higher")
    ours = agreement([AVAIL])
    customer = sla_target(
        [
            ChainLink(1, None, ours),
            ChainLink(5, "dc", agreement([dc1])),
            ChainLink(6, "dc", agreement([dc2])),
        ]
    )
    values = {(1, "2026-01"): D("99.6"), (5, "2026-01"): D("98"), (6, "2026-01"): D("99")}
    results = score_targets(ours, "2026-01", "2026-01", values)
    assert customer_impact(results, {1: [customer]}, values) == []
    values[(6, "2026-01")] = D("90")  # 1 − 0.02 × 0.1 = 0.998; × 0.996 = 0.994008 → breached
    impacts = customer_impact(results, {1: [customer]}, values)
    assert [(i.period, i.chain_value) for i in impacts] == [("2026-01", D("99.4008"))]


def test_each_months_score_weighs_the_targets_due_that_month():
    # AVAIL (weight 2): Jan met, Feb missing. RESOLVE_P1 (weight 1): Jan missed, Feb and Mar met.
    avail = TargetResult(
        AVAIL, [MonthResult("2026-01", D("99.95"), "met"), MonthResult("2026-02", None, "missing")]
    )
    p1 = TargetResult(
        P1,
        [
            MonthResult("2026-01", D("5"), "missed"),
            MonthResult("2026-02", D("3"), "met"),
            MonthResult("2026-03", D("4"), "met"),
        ],
    )
    scores = dict(monthly_scores([avail, p1], ["2026-01", "2026-02", "2026-03", "2026-04"]))
    assert scores["2026-01"] == D(200) / D(3)  # 100 × 2 / (2 + 1)
    assert scores["2026-02"] == D(100) / D(3)  # 100 × 1 / (2 + 1)
    assert scores["2026-03"] == D(100)  # only RESOLVE_P1 due, met
    assert scores["2026-04"] is None  # nothing due
    assert (avail.count("met"), avail.count("missing"), avail.failed) == (1, 1, {"2026-02"})
