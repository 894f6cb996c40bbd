"""Agreements and targets as domain operations: validation, change control, statuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from contracts import agreements, reviews, targets
from contracts.agreements import AgreementTerms
from contracts.change_control import ChangeRequest
from contracts.errors import DomainError
from contracts.models import CONTRACT_CONTENTS, ChangeRecord

APPROVED = ChangeRequest("Renegotiated charge", "Lower cost, same service", "Head of IT")


def _terms(make, **changes) -> AgreementTerms:
    fields = {
        "title": "Hosting",
        "start": date(2026, 1, 1),
        "end": date(2026, 12, 31),
        "supplier": make.supplier(),
        "services": [make.service()],
        "monthly_charge": Decimal("1000"),
    }
    fields.update(changes)
    return AgreementTerms(**fields)


def _refusal(call, *args, **kwargs) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as refused:
        call(*args, **kwargs)
    return refused.value.field, str(refused.value.message)


def test_create_makes_a_draft_at_version_one(session, make):
    agreement = agreements.create_agreement(
        session, "UC-9", "underpinning", _terms(make), actor=None
    )
    assert (agreement.status, agreement.version, agreement.ref) == ("draft", 1, "UC-9")
    assert agreement.monthly_charge == Decimal("1000")


@pytest.mark.parametrize(
    ("ref", "kind", "changes", "field", "message"),
    [
        ("UC 9", "underpinning", {}, "ref", None),
        ("new", "underpinning", {}, "ref", None),
        ("UC-9", "weird", {}, "kind", "Choose the kind of agreement."),
        ("UC-9", "underpinning", {"title": " "}, "title", "Give the agreement a title."),
        (
            "UC-9",
            "underpinning",
            {"end": date(2025, 12, 31)},
            "end",
            "The agreement ends before it starts (2026-01-01).",
        ),
        ("SLA-9", "sla", {}, "customer", "A customer SLA's party is a customer: choose one."),
        (
            "UC-9",
            "underpinning",
            {"supplier": None},
            "supplier",
            "The party of this agreement is a supplier: choose one.",
        ),
        ("UC-9", "subcontract", {}, "parent", None),
        (
            "UC-9",
            "underpinning",
            {"services": []},
            "services",
            "Choose at least one service in scope.",
        ),
        (
            "UC-9",
            "underpinning",
            {"monthly_charge": Decimal("-1")},
            "monthly_charge",
            "must not be negative",
        ),
        (
            "UC-9",
            "underpinning",
            {"credit_cap_pct": Decimal("101")},
            "credit_cap_pct",
            "must be between 0 and 100",
        ),
        ("UC-9", "underpinning", {"currency": "usd"}, "currency", None),
        ("UC-9", "underpinning", {"auto_renew": True}, "renewal_months", None),
        ("UC-9", "underpinning", {"notice_days": -1}, "notice_days", None),
    ],
)
def test_bad_terms_are_refused(session, make, ref, kind, changes, field, message):
    refused_field, refused_message = _refusal(
        agreements.create_agreement, session, ref, kind, _terms(make, **changes), actor=None
    )
    assert refused_field == field
    if message:
        assert refused_message == message


def test_party_kinds(session, make):
    internal = make.supplier(kind="internal", name="Network Ops")
    field, message = _refusal(
        agreements.create_agreement,
        session,
        "UC-9",
        "underpinning",
        _terms(make, supplier=internal),
        actor=None,
    )
    assert field == "supplier"
    assert "Network Ops is an internal supplier" in message
    field, _ = _refusal(
        agreements.create_agreement, session, "OLA-9", "ola", _terms(make), actor=None
    )
    assert field == "supplier"
    sla = make.agreement("sla")
    field, message = _refusal(
        agreements.create_agreement,
        session,
        "SUB-9",
        "subcontract",
        _terms(make, parent=sla),
        actor=None,
    )
    assert (field, message) == (
        "parent",
        f"{sla.ref} is not an underpinning contract; a sub-contract's parent must be one.",
    )


def test_a_ref_is_unique(session, make):
    make.agreement(ref="UC-9")
    assert _refusal(
        agreements.create_agreement, session, "UC-9", "underpinning", _terms(make), actor=None
    ) == ("ref", "An agreement UC-9 exists already.")


def test_a_draft_changes_freely(session, make):
    agreement = make.agreement(status="draft")
    terms = AgreementTerms.of(agreement)
    terms.title = "Renamed"
    assert agreements.update_agreement(session, agreement, terms, actor=None) is None
    assert (agreement.title, agreement.version, agreement.changes) == ("Renamed", 1, [])


def test_a_change_to_an_active_agreement_is_recorded(session, make):
    author = make.user()
    agreement = make.agreement(monthly_charge=Decimal("1000"), ref="UC-ACT")
    terms = AgreementTerms.of(agreement)
    terms.monthly_charge = Decimal("900.50")
    terms.contents = {**terms.contents, "scope": "Hosting & <backup>"}
    record = agreements.update_agreement(session, agreement, terms, actor=author, change=APPROVED)
    assert agreement.version == 2
    assert (record.version, record.reason, record.impact, record.approver) == (
        2,
        "Renegotiated charge",
        "Lower cost, same service",
        "Head of IT",
    )
    assert record.author_id == author.id
    assert record.changes == [
        {
            "entity": "agreement",
            "key": "UC-ACT",
            "field": "monthly_charge",
            "before": "1000",
            "after": "900.5",
        },
        {
            "entity": "agreement",
            "key": "UC-ACT",
            "field": "scope",
            "before": "",
            "after": "Hosting & <backup>",
        },
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (None, "reason"),
        (ChangeRequest("", "x", "y"), "reason"),
        (ChangeRequest("x", " ", "y"), "impact"),
        (ChangeRequest("x", "y", ""), "approver"),
    ],
)
def test_a_change_without_its_request_writes_nothing(session, make, change, field):
    from portal.audit.models import AuditEntry

    agreement = make.agreement(status="under_review")
    session.flush()
    count = {
        model: session.scalar(select(func.count()).select_from(model))
        for model in (ChangeRecord, AuditEntry)
    }
    terms = AgreementTerms.of(agreement)
    terms.title = "Renamed"
    assert (
        _refusal(agreements.update_agreement, session, agreement, terms, actor=None, change=change)[
            0
        ]
        == field
    )
    assert agreement.title != "Renamed"
    assert agreement.version == 1
    for model, before in count.items():
        assert session.scalar(select(func.count()).select_from(model)) == before


def test_an_unchanged_save_needs_no_request(session, make):
    agreement = make.agreement()
    terms = AgreementTerms.of(agreement)
    assert agreements.update_agreement(session, agreement, terms, actor=None) is None
    assert agreement.version == 1


@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("draft", "active", True),
        ("draft", "terminated", True),
        ("draft", "under_review", False),
        ("draft", "expired", False),
        ("active", "under_review", True),
        ("active", "expired", True),
        ("active", "terminated", True),
        ("active", "draft", False),
        ("under_review", "active", True),
        ("under_review", "expired", True),
        ("under_review", "terminated", True),
        ("expired", "active", False),
        ("terminated", "active", False),
        ("active", "active", False),
    ],
)
def test_status_transitions(session, make, before, after, allowed):
    agreement = make.agreement(status=before, ref="UC-ST")
    if not allowed:
        field, message = _refusal(
            agreements.change_status, session, agreement, after, actor=None, change=APPROVED
        )
        assert field == "status"
        assert message == f"UC-ST cannot move from {before} to {after}."
        assert agreement.status == before
        return
    record = agreements.change_status(session, agreement, after, actor=None, change=APPROVED)
    assert agreement.status == after
    assert record.changes == [
        {"entity": "agreement", "key": "UC-ST", "field": "status", "before": before, "after": after}
    ]
    # Leaving draft records the approval of version 1; later moves make a new version.
    assert agreement.version == (1 if before == "draft" else 2) == record.version


def test_a_move_needs_its_reason(session, make):
    agreement = make.agreement(status="draft")
    assert (
        _refusal(agreements.change_status, session, agreement, "active", actor=None, change=None)[0]
        == "reason"
    )
    assert agreement.status == "draft"


def test_missing_contents_and_incomplete_active_agreements(session, make):
    owner = make.user()
    full = {name: "stated" for name in CONTRACT_CONTENTS}
    complete = make.agreement(owner=owner, **full)
    partial = make.agreement(owner=owner, **{**full, "workload": "", "termination": ""})
    make.agreement(status="draft", owner=owner)  # incomplete, but not active
    sla = make.agreement("sla", owner=owner)
    assert agreements.missing_contents(complete) == []
    assert agreements.missing_contents(partial) == ["workload", "termination"]
    assert agreements.missing_contents(sla) == []
    assert agreements.incomplete_active_agreements(session, owner.id) == [partial]
    assert agreements.incomplete_active_agreements(session, make.user().id) == []


def test_term_dates(make):
    agreement = make.agreement(
        start=date(2026, 1, 31), end=date(2026, 12, 31), notice_days=90, review_months=1
    )
    assert agreements.notice_deadline(agreement) == date(2026, 10, 2)
    assert reviews.next_review_due(agreement) == date(2026, 2, 28)


# Targets ---------------------------------------------------------------------------------------


def test_a_target_takes_the_only_service(session, make):
    agreement = make.agreement(status="draft")
    target = targets.add_target(
        session, agreement, make.metric("AV"), None, Decimal("99.9"), actor=None
    )
    assert target.service == agreement.services[0]
    assert (target.weight, target.credit_pct) == (Decimal(1), Decimal(0))


@pytest.mark.parametrize(
    ("value", "weight", "credit", "field", "message"),
    [
        ("100.1", "1", "0", "target", "100.1 is outside the sane range 0 to 100 (unit %)"),
        ("-1", "1", "0", "target", "-1 is outside the sane range 0 to 100 (unit %)"),
        ("99", "0", "0", "weight", "must be greater than 0"),
        ("99", "-2", "0", "weight", "must be greater than 0"),
        ("99", "1", "-1", "credit_pct", "must be between 0 and 100"),
        ("99", "1", "100.5", "credit_pct", "must be between 0 and 100"),
    ],
)
def test_bad_target_values(session, make, value, weight, credit, field, message):
    agreement = make.agreement(status="draft")
    assert _refusal(
        targets.add_target,
        session,
        agreement,
        make.metric(),
        None,
        Decimal(value),
        Decimal(weight),
        Decimal(credit),
        actor=None,
    ) == (field, message)


def test_a_target_needs_a_service_when_several_are_covered(session, make):
    agreement = make.agreement(status="draft", services=[make.service(), make.service()])
    assert (
        _refusal(
            targets.add_target, session, agreement, make.metric(), None, Decimal(1), actor=None
        )[0]
        == "service"
    )


def test_one_target_per_metric_and_service(session, make):
    agreement = make.agreement(status="draft")
    metric = make.metric("AV")
    make.target(agreement, metric)
    assert _refusal(
        targets.add_target, session, agreement, metric, None, Decimal(99), actor=None
    ) == ("metric", f"{agreement.ref} has a target AV/{agreement.services[0].code} already.")


def test_target_changes_on_an_active_agreement_are_recorded(session, make):
    agreement = make.agreement(ref="UC-T", services=[make.service("CRM")])
    metric = make.metric("AV")
    assert (
        _refusal(targets.add_target, session, agreement, metric, None, Decimal(99), actor=None)[0]
        == "reason"
    )
    assert agreement.targets == []
    target = targets.add_target(
        session, agreement, metric, None, Decimal("99.5"), actor=None, change=APPROVED
    )
    assert agreement.version == 2
    targets.update_target(
        session, target, Decimal("99.9"), Decimal(1), Decimal(5), actor=None, change=APPROVED
    )
    assert agreement.version == 3
    assert agreement.changes[-1].changes == [
        {"entity": "target", "key": "AV/CRM", "field": "target", "before": "99.5", "after": "99.9"},
        {"entity": "target", "key": "AV/CRM", "field": "credit_pct", "before": "0", "after": "5"},
    ]
    targets.remove_target(session, target, actor=None, change=APPROVED)
    assert agreement.version == 4
    assert agreement.targets == []
    assert agreement.changes[-1].changes[0] == {
        "entity": "target",
        "key": "AV/CRM",
        "field": "target",
        "before": "99.9",
        "after": None,
    }


def test_a_target_with_figures_stays(session, make):
    agreement = make.agreement(status="draft")
    target = make.target(agreement, make.metric())
    make.measurement(target, "2026-03", "99.9")
    field, message = _refusal(targets.remove_target, session, target, actor=None)
    assert field is None
    assert "has monthly figures" in message
