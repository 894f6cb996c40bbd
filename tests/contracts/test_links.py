"""Links "U underpins S": every refusal names both targets; links are under change control."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contracts.change_control import ChangeRequest
from contracts.errors import DomainError
from contracts.links import LinkEnd, link_targets, refusals, unlink, upper_candidates
from contracts.models import ChangeRecord, Link

APPROVED = ChangeRequest("New redundant path", "Availability rises", "Head of IT")


@pytest.fixture
def chain(make):
    """SLA-1 AVAIL/CRM ← UC-1 AVAIL/CRM ← SUB-1 AVAIL/CRM; an OLA and a second SLA beside."""
    avail = make.metric("AVAIL")
    resolve = make.metric("RESOLVE", direction="lower", composition="sum", unit="h")
    crm = make.service("CRM")
    sla = make.agreement("sla", ref="SLA-1", services=[crm])
    uc = make.agreement("underpinning", ref="UC-1", services=[crm], status="draft")
    sub = make.agreement("subcontract", ref="SUB-1", parent=uc, services=[crm], status="draft")
    ola = make.agreement(
        "ola",
        ref="OLA-1",
        supplier=make.supplier(kind="internal"),
        services=[crm],
        status="draft",
    )
    targets = {
        "sla": make.target(sla, avail, "99.5"),
        "sla_resolve": make.target(sla, resolve, "8"),
        "uc": make.target(uc, avail, "99.9"),
        "sub": make.target(sub, avail, "99.95"),
        "ola": make.target(ola, avail, "99.9"),
    }
    return {
        "sla": sla,
        "uc": uc,
        "sub": sub,
        "ola": ola,
        **{f"t_{k}": v for k, v in targets.items()},
    }


def _refused(session, upper, lower, group=None, change=None) -> str:
    with pytest.raises(DomainError) as refused:
        link_targets(session, upper, lower, group, actor=None, change=change)
    assert refused.value.field in ("upper", "group", "reason", "impact", "approver")
    return str(refused.value.message)


def test_a_supplier_target_underpins_a_customer_target(session, chain):
    link = link_targets(session, chain["t_sla"], chain["t_uc"], "a", actor=None)
    assert link.group == "a"
    assert [lk.upper for lk in chain["t_uc"].underpins] == [chain["t_sla"]]
    assert session.scalar(select(func.count()).select_from(ChangeRecord)) == 0  # a draft


def test_flow_down_a_sub_contract_underpins_its_parent(session, chain):
    link_targets(session, chain["t_uc"], chain["t_sub"], actor=None)
    assert [lk.lower for lk in chain["t_uc"].underpinned_by] == [chain["t_sub"]]


def test_different_metrics_are_refused(session, chain):
    message = _refused(session, chain["t_sla_resolve"], chain["t_uc"])
    assert message == (
        "UC-1 AVAIL/CRM cannot underpin SLA-1 RESOLVE/CRM: they measure different metrics "
        "(AVAIL and RESOLVE)."
    )


def test_a_customer_target_underpins_nothing(session, chain, make):
    other = make.agreement("sla", ref="SLA-2", services=[chain["sla"].services[0]])
    other_target = make.target(other, chain["t_sla"].metric, "99")
    message = _refused(session, other_target, chain["t_sla"])
    assert message == (
        "SLA-1 AVAIL/CRM cannot underpin SLA-2 AVAIL/CRM: only targets of underpinning "
        "contracts, OLAs and sub-contracts underpin other targets."
    )


def test_a_contract_target_does_not_underpin_another_contract(session, chain):
    message = _refused(session, chain["t_ola"], chain["t_uc"])
    assert message == (
        "UC-1 AVAIL/CRM cannot underpin OLA-1 AVAIL/CRM: a supplier target underpins a "
        "customer SLA target, or a target of its sub-contract's parent agreement."
    )


def test_a_sub_contract_does_not_reach_past_its_parent(session, chain):
    message = _refused(session, chain["t_ola"], chain["t_sub"])
    assert message.startswith("SUB-1 AVAIL/CRM cannot underpin OLA-1 AVAIL/CRM: ")


def test_a_cycle_is_refused(session, chain):
    link_targets(session, chain["t_uc"], chain["t_sub"], actor=None)
    message = _refused(session, chain["t_sub"], chain["t_uc"])
    assert message == "UC-1 AVAIL/CRM cannot underpin SUB-1 AVAIL/CRM: the link would make a cycle."
    message = _refused(session, chain["t_uc"], chain["t_uc"])
    assert message == "UC-1 AVAIL/CRM cannot underpin UC-1 AVAIL/CRM: the link would make a cycle."


def test_a_duplicate_is_refused(session, chain):
    link_targets(session, chain["t_sla"], chain["t_uc"], actor=None)
    message = _refused(session, chain["t_sla"], chain["t_uc"], group="b")
    assert message == "UC-1 AVAIL/CRM underpins SLA-1 AVAIL/CRM already."
    assert session.scalar(select(func.count()).select_from(Link)) == 1


def test_a_long_group_label_is_refused(session, chain):
    assert _refused(session, chain["t_sla"], chain["t_uc"], group="g" * 41) == (
        "must be at most 40 characters"
    )


def test_links_of_an_active_contract_need_a_change_request(session, chain):
    chain["uc"].status = "active"
    assert _refused(session, chain["t_sla"], chain["t_uc"]) == "Give the reason for this change."
    assert session.scalar(select(func.count()).select_from(Link)) == 0
    link = link_targets(session, chain["t_sla"], chain["t_uc"], "a", actor=None, change=APPROVED)
    assert chain["uc"].version == 2
    record = chain["uc"].changes[-1]
    assert record.changes == [
        {
            "entity": "link",
            "key": "UC-1 AVAIL/CRM",
            "field": "underpins",
            "before": None,
            "after": "UC-1 AVAIL/CRM → SLA-1 AVAIL/CRM [a]",
        }
    ]
    with pytest.raises(DomainError):
        unlink(session, link, actor=None, change=ChangeRequest("Dropped", "", "Head of IT"))
    unlink(session, link, actor=None, change=APPROVED)
    assert chain["uc"].version == 3
    assert chain["uc"].changes[-1].changes[0]["before"] == "UC-1 AVAIL/CRM → SLA-1 AVAIL/CRM [a]"
    assert session.scalar(select(func.count()).select_from(Link)) == 0


def test_linking_to_an_active_sla_needs_no_request_for_a_draft_contract(session, chain):
    assert chain["sla"].status == "active"
    link_targets(session, chain["t_sla"], chain["t_uc"], actor=None)
    assert chain["sla"].version == 1


def test_upper_candidates(session, chain):
    assert upper_candidates(session, chain["t_uc"]) == [chain["t_sla"]]
    assert upper_candidates(session, chain["t_sub"]) == [chain["t_sla"], chain["t_uc"]]
    link_targets(session, chain["t_sla"], chain["t_uc"], actor=None)
    assert upper_candidates(session, chain["t_uc"]) == []


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [
        (("UC", "underpinning", None, "A"), ("SLA", "sla", None, "A"), []),
        (("UC", "underpinning", None, "A"), ("SLA", "sla", None, "B"), ["metric"]),
        (("SUB", "subcontract", "UC", "A"), ("UC", "underpinning", None, "A"), []),
        (
            ("SUB", "subcontract", "UC", "A"),
            ("UC2", "underpinning", None, "A"),
            ["upper_out_of_reach"],
        ),
        (("SLA", "sla", None, "A"), ("SLA2", "sla", None, "B"), ["metric", "lower_not_supplier"]),
    ],
)
def test_the_pure_rule_shared_with_the_import(lower, upper, expected):
    assert refusals(LinkEnd(*lower), LinkEnd(*upper)) == expected


def test_a_refused_link_reports_every_problem_at_once(session, chain):
    chain["uc"].status = "active"
    session.flush()
    with pytest.raises(DomainError) as refused:
        link_targets(session, chain["t_sla_resolve"], chain["t_uc"], "x" * 41, actor=None)
    fields = [problem.field for problem in refused.value.problems]
    assert fields == ["group", "upper", "reason", "impact", "approver"]
