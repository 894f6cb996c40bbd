"""The demo portfolio of `flask seed-demo`: valid, complete and the same for the same day."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts import accounts
from contracts.alignment import LinkInfo, TargetInfo, align
from contracts.models import (
    ROLES,
    Agreement,
    ChangeRecord,
    Customer,
    Dispute,
    ImprovementAction,
    Link,
    Review,
    Supplier,
    Target,
)
from portal import audit, demo
from scorecards.models import Measurement

TODAY = date(2026, 11, 25)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _measurements(session: Session) -> list[Measurement]:
    return list(session.scalars(select(Measurement)))


def _missed(figure: Measurement) -> bool:
    if figure.target.metric.direction == "higher":
        return figure.value < figure.target.target
    return figure.value > figure.target.target


def _snapshot(session: Session) -> dict[str, Any]:
    """Everything the demo writes, as plain values independent of ids."""
    figures = sorted(
        (m.target.label, m.period, m.revision, str(m.value), m.status, m.late, m.submitted_at)
        for m in _measurements(session)
    )
    return {
        "figures": figures,
        "agreements": sorted(
            (a.ref, a.status, a.start, a.end, a.version) for a in session.scalars(select(Agreement))
        ),
        "reviews": sorted(
            (r.agreement.ref, r.held_on, r.outcome) for r in session.scalars(select(Review))
        ),
        "disputes": sorted(
            (d.agreement.ref, d.title, d.status, len(d.messages))
            for d in session.scalars(select(Dispute))
        ),
        "actions": sorted(
            (a.title, a.period or "", a.status, a.due_on)
            for a in session.scalars(select(ImprovementAction))
        ),
    }


def test_seed_returns_one_login_per_role_and_each_authenticates(session: Session) -> None:
    logins = demo.seed_demo(session, today=TODAY)

    assert logins == demo.DEMO_LOGINS
    assert sorted(role for role, _email, _password in logins) == sorted(ROLES)
    for role, email, password in logins:
        assert len(password) >= 10
        user = accounts.authenticate(session, email, password)
        assert user is not None and user.role == role
    supplier_user = accounts.find_user(session, logins[-1][1])
    assert supplier_user is not None and CHINESE.search(supplier_user.supplier.name)


def test_portfolio_has_the_supply_chain_shapes_the_demo_shows(session: Session) -> None:
    demo.seed_demo(session, today=TODAY)

    names = [s.name for s in session.scalars(select(Supplier))]
    names += [c.name for c in session.scalars(select(Customer))]
    assert any(CHINESE.search(name) for name in names)
    assert any(not CHINESE.search(name) for name in names)
    kinds = Counter(session.scalars(select(Agreement.kind)))
    assert kinds["sla"] >= 3 and kinds["ola"] >= 1 and kinds["underpinning"] >= 3
    statuses = set(session.scalars(select(Agreement.status)))
    assert {"active", "draft", "under_review", "expired"} <= statuses

    subcontracts = session.scalars(select(Agreement).where(Agreement.kind == "subcontract"))
    assert all(sub.parent is not None for sub in subcontracts)
    flow_down = session.scalars(select(Link)).all()
    assert any(link.upper.agreement.kind == "underpinning" for link in flow_down)

    groups = Counter((link.upper_id, link.group) for link in flow_down if link.group is not None)
    assert any(count >= 2 for count in groups.values())  # a redundancy group


def test_alignment_shows_one_gap_and_one_customer_target_not_underpinned(
    session: Session,
) -> None:
    demo.seed_demo(session, today=TODAY)
    targets = [
        TargetInfo(
            t.id, t.agreement.ref, t.agreement.kind, t.metric.code, t.service.code, t.target,
            t.metric.direction, t.metric.composition,
        )
        for t in session.scalars(select(Target))
    ]  # fmt: skip
    links = [LinkInfo(k.upper_id, k.lower_id, k.group) for k in session.scalars(select(Link))]

    items = align(targets, links)

    problems = {
        (i.agreement, i.metric, i.service): i.status for i in items if i.status != "aligned"
    }
    assert problems == {
        ("SLA-HVU-NET", "FTF", "NET"): "gap",  # the internal OLA's 78 % under the SLA's 80 %
        ("SLA-JNMG-DCH", "P1_RESOLVE", "DCH"): "not_underpinned",
    }
    flow_down = [i for i in items if i.kind == "underpinning" and i.links]
    assert flow_down and all(i.status == "aligned" for i in flow_down)


def test_figures_cover_18_months_with_misses_gaps_late_and_rejected(session: Session) -> None:
    demo.seed_demo(session, today=TODAY)
    figures = _measurements(session)

    periods = sorted({m.period for m in figures})
    assert (periods[0], periods[-1], len(periods)) == ("2025-05", "2026-10", 18)
    statuses = Counter(m.status for m in figures)
    assert statuses["rejected"] >= 2 and statuses["accepted"] > 100
    assert {m.status for m in figures if m.period == "2026-10"} >= {"submitted", "accepted"}
    assert any(m.late for m in figures)
    assert any(m.revision == 2 and m.status == "accepted" for m in figures)  # corrections
    rejected = [m for m in figures if m.status == "rejected"]
    assert all(m.reject_reason for m in rejected)
    for figure in figures:
        assert figure.value >= 0
        if figure.target.metric.unit == "%":
            assert figure.value <= Decimal("100")
        assert figure.submitted_at.date() < TODAY
    missed = [m for m in figures if _missed(m)]
    assert len(missed) >= 10


def test_governance_records(session: Session) -> None:
    demo.seed_demo(session, today=TODAY)

    assert session.scalar(select(func.count(Review.id))) >= 10
    disputes = session.scalars(select(Dispute)).all()
    assert {d.status for d in disputes} == {"open", "in_progress", "resolved", "closed"}
    assert all(d.messages for d in disputes)
    assert any(m.author.role == "supplier" for d in disputes for m in d.messages)

    actions = session.scalars(select(ImprovementAction)).all()
    assert any(a.target is not None and a.period for a in actions)
    assert any(a.due_on < TODAY and a.status in ("open", "in_progress") for a in actions)

    changed = {c.agreement for c in session.scalars(select(ChangeRecord))}
    assert changed
    for agreement in changed:
        assert agreement.version == len(agreement.changes) + 1
        assert all(c.reason and c.impact and c.approver and c.changes for c in agreement.changes)
    assert audit.verify(session).ok


def test_seeding_is_deterministic_for_a_fixed_day(session: Session) -> None:
    first = demo.demo_data.month_start(TODAY.replace(day=1), -demo.MONTHS)
    documents = [
        demo.build_document(first, TODAY, random.Random(demo.SEED)) for _attempt in range(2)
    ]
    assert documents[0] == documents[1]

    snapshots = []
    for _attempt in range(2):
        savepoint = session.begin_nested()
        demo.seed_demo(session, today=TODAY)
        snapshots.append(_snapshot(session))
        savepoint.rollback()
        session.expunge_all()
    assert snapshots[0] == snapshots[1]


def test_seeding_on_new_years_day_has_nothing_from_the_future(session: Session) -> None:
    today = date(2027, 1, 1)
    demo.seed_demo(session, today=today)
    figures = _measurements(session)

    assert max(m.period for m in figures) == "2026-12"
    assert min(m.period for m in figures) == "2025-07"
    assert all(m.submitted_at.date() <= today for m in figures)
    assert all(m.reviewed_at is None or m.reviewed_at.date() <= today for m in figures)
    assert not any(m.late for m in figures if m.period == "2026-12")


def test_changes_submitters_and_evidence_are_as_the_app_makes_them(session: Session) -> None:
    demo.seed_demo(session, today=TODAY)

    huawei = session.scalar(select(Agreement).where(Agreement.ref == "UC-HUAWEI-NET"))
    assert (huawei.monthly_charge, huawei.notice_days, huawei.version) == (Decimal(54600), 90, 3)
    price = huawei.changes[-1]
    assert {
        (c["entity"], c["key"], c["field"], c["before"], c["after"]) for c in price.changes
    } == {
        ("agreement", "UC-HUAWEI-NET", "monthly_charge", "52000", "54600"),
        ("agreement", "UC-HUAWEI-NET", "notice_days", "60", "90"),
    }
    assert price.at.date() < TODAY
    northwind = session.scalar(select(Agreement).where(Agreement.ref == "UC-NORTHWIND-SD-2"))
    assert northwind.status == "under_review"

    figures = _measurements(session)
    assert all(figure.submitted_by is not None for figure in figures)
    with_evidence = [figure for figure in figures if figure.evidence is not None]
    assert with_evidence and all(
        figure.evidence.filename.endswith("月报.csv") for figure in with_evidence
    )
