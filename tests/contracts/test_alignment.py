"""Alignment and composition against values worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from contracts.alignment import (
    Component,
    LinkInfo,
    TargetInfo,
    align,
    compose,
    meets,
    shortfall,
)


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        ("99.9", "99.9", "higher", True),
        ("99.89", "99.9", "higher", False),
        ("4", "4", "lower", True),
        ("4.01", "4", "lower", False),
        ("3.99", "4", "lower", True),
    ],
)
def test_equality_meets_in_both_directions(value, target, direction, expected):
    assert meets(D(value), D(target), direction) is expected


def test_product_in_series():
    # 0.999 × 0.998 = 0.997002 → 99.7002
    assert compose("product", "higher", [Component(D("99.9")), Component(D("99.8"))]) == D(
        "99.7002"
    )


def test_product_with_a_redundancy_group():
    # Two 99 % data centres in parallel: 1 − 0.01 × 0.01 = 0.9999; in series with a 99.9 %
    # network: 0.9999 × 0.999 = 0.9989001 → 99.89001
    components = [Component(D("99"), "dc"), Component(D("99"), "dc"), Component(D("99.9"))]
    assert compose("product", "higher", components) == D("99.89001")


def test_links_without_a_group_are_each_in_series():
    # 0.9 × 0.9 = 0.81, not 1 − 0.1 × 0.1
    assert compose("product", "higher", [Component(D("90")), Component(D("90"))]) == D("81")


def test_two_groups_in_series():
    # group a: 1 − 0.5 × 0.5 = 0.75; group b: 1 − 0.2 × 0.1 = 0.98; 0.75 × 0.98 = 0.735
    components = [
        Component(D("50"), "a"),
        Component(D("50"), "a"),
        Component(D("80"), "b"),
        Component(D("90"), "b"),
    ]
    assert compose("product", "higher", components) == D("73.5")


def test_sum_ignores_groups():
    components = [Component(D("1.5"), "x"), Component(D("2.25"), "x"), Component(D("4"))]
    assert compose("sum", "lower", components) == D("7.75")


def test_weakest_takes_the_worst_link_in_each_direction():
    components = [Component(D("80")), Component(D("92.5")), Component(D("85"))]
    assert compose("weakest", "higher", components) == D("80")
    assert compose("weakest", "lower", components) == D("92.5")


def test_shortfall():
    assert shortfall(D("80"), D("85"), "higher") == D("5")
    assert shortfall(D("9.5"), D("8"), "lower") == D("1.5")
    assert shortfall(D("99.95"), D("99.9"), "higher") == D("0")


def target(
    id_, agreement, kind, metric, value, direction="higher", composition="product", service="CRM"
):
    return TargetInfo(id_, agreement, kind, metric, service, D(value), direction, composition)


def test_the_examples_alignment():
    """tests/examples/expected/alignment.json, by hand."""
    targets = [
        target(1, "SLA-ACME-CRM", "sla", "AVAIL", "99.5"),
        target(2, "SLA-ACME-CRM", "sla", "RESOLVE_P1", "8", "lower", "sum"),
        target(3, "SLA-JZ-NET", "sla", "FTF", "85", "higher", "weakest", "NET"),
        target(4, "UC-CLOUDCO-2026", "underpinning", "AVAIL", "99.9"),
        target(5, "UC-CLOUDCO-2026", "underpinning", "RESOLVE_P1", "4", "lower", "sum"),
        target(6, "SUB-SZDC-01", "subcontract", "AVAIL", "99.95"),
        target(7, "OLA-NETOPS", "ola", "FTF", "80", "higher", "weakest", "NET"),
    ]
    links = [LinkInfo(1, 4), LinkInfo(2, 5), LinkInfo(4, 6), LinkInfo(3, 7)]
    items = align(targets, links)
    assert [(i.agreement, i.metric, i.status, i.composed, i.shortfall) for i in items] == [
        ("SLA-ACME-CRM", "AVAIL", "aligned", D("99.9"), D("0")),
        ("SLA-ACME-CRM", "RESOLVE_P1", "aligned", D("4"), D("0")),
        ("SLA-JZ-NET", "FTF", "gap", D("80"), D("5")),
        ("UC-CLOUDCO-2026", "AVAIL", "aligned", D("99.95"), D("0")),
    ]


def test_a_customer_target_without_links_is_not_underpinned():
    items = align([target(1, "SLA-X", "sla", "AVAIL", "99")], [])
    assert [(i.status, i.composed, i.shortfall) for i in items] == [("not_underpinned", None, None)]


def test_a_supplier_target_without_links_is_not_listed():
    assert align([target(1, "UC-X", "underpinning", "AVAIL", "99")], []) == []


def test_three_level_flow_down():
    # SLA 99.5 ← lead UC 99.8 (gap? no: 99.8 ≥ 99.5) ← two sub-contracts in series
    # 99.9 × 99.85 → 0.999 × 0.9985 = 0.9975015 → 99.75015 < 99.8: the lead target has a gap
    # of 0.04985; ← the first sub-contract is itself underpinned by a sub-sub target 99.95.
    targets = [
        target(1, "SLA", "sla", "AVAIL", "99.5"),
        target(2, "UC-LEAD", "underpinning", "AVAIL", "99.8"),
        target(3, "SUB-A", "subcontract", "AVAIL", "99.9"),
        target(4, "SUB-B", "subcontract", "AVAIL", "99.85"),
        target(5, "SUB-A2", "subcontract", "AVAIL", "99.95"),
    ]
    links = [LinkInfo(1, 2), LinkInfo(2, 3), LinkInfo(2, 4), LinkInfo(3, 5)]
    items = {i.agreement: i for i in align(targets, links)}
    assert (items["SLA"].status, items["SLA"].composed) == ("aligned", D("99.8"))
    assert (items["UC-LEAD"].status, items["UC-LEAD"].composed, items["UC-LEAD"].shortfall) == (
        "gap",
        D("99.75015"),
        D("0.04985"),
    )
    assert (items["SUB-A"].status, items["SUB-A"].composed) == ("aligned", D("99.95"))
    assert [link.agreement for link in items["UC-LEAD"].links] == ["SUB-A", "SUB-B"]
