"""Reviews, disputes and improvement actions: the domain rules, with a session and nothing else.

Expected dates are worked out by hand in each test.
"""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from sqlalchemy import func, select

from contracts import governance, reviews
from contracts.errors import DomainError
from contracts.models import DISPUTE_STATUSES, Dispute, DisputeMessage, ImprovementAction, Review
from contracts.queries import agreement_scope

TODAY = date(2026, 11, 1)
LATER = date(2030, 1, 1)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# ── Reviews ──────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("held_on", "months", "due"),
    [
        (date(2026, 3, 15), 6, date(2026, 9, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # no Feb 31: the month's last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 12, 10), 3, date(2027, 3, 10)),  # across the year end
        (date(2026, 5, 20), 12, date(2027, 5, 20)),
    ],
)
def test_the_next_review_falls_due_review_months_after_the_last(
    make, session, held_on, months, due
):
    agreement = make.agreement(review_months=months, start=date(2026, 1, 1), end=date(2029, 12, 31))
    reviews.record_review(session, agreement, held_on, "satisfactory", actor=None, today=LATER)
    assert reviews.next_review_due(agreement) == due


def test_the_latest_review_counts_even_when_recorded_later(make, session):
    agreement = make.agreement(review_months=6)
    manager = make.user()
    reviews.record_review(session, agreement, date(2026, 6, 1), "satisfactory", actor=manager,
                             today=TODAY)  # fmt: skip
    reviews.record_review(session, agreement, date(2026, 3, 1), "unsatisfactory",
                             actor=manager, today=TODAY)  # fmt: skip
    assert reviews.next_review_due(agreement) == date(2026, 12, 1)


def test_a_never_reviewed_agreement_is_due_review_months_after_its_start(make):
    agreement = make.agreement(review_months=1, start=date(2026, 1, 31))
    assert reviews.next_review_due(agreement) == date(2026, 2, 28)


def test_without_a_review_interval_no_review_falls_due(make, session):
    agreement = make.agreement(review_months=None)
    reviews.record_review(session, agreement, date(2026, 3, 1), "satisfactory", actor=None,
                             today=TODAY)  # fmt: skip
    assert reviews.next_review_due(agreement) is None


def test_a_review_records_who_held_it(make, session):
    agreement = make.agreement(review_months=6)
    manager = make.user()
    review = reviews.record_review(
        session, agreement, date(2026, 10, 31), "improvement_needed", "  Late reports.  ",
        actor=manager, today=TODAY,
    )  # fmt: skip
    assert (review.reviewer, review.outcome, review.notes) == (manager, "improvement_needed",
                                                               "Late reports.")  # fmt: skip


@pytest.mark.parametrize(
    ("held_on", "outcome", "field"),
    [
        (date(2026, 11, 2), "satisfactory", "held_on"),  # tomorrow
        (date(2025, 12, 31), "satisfactory", "held_on"),  # before the agreement starts
        (None, "satisfactory", "held_on"),
        (date(2026, 10, 1), "fine", "outcome"),
        (date(2026, 10, 1), "", "outcome"),
    ],
)
def test_a_refused_review_writes_nothing(make, session, held_on, outcome, field):
    agreement = make.agreement(review_months=6, start=date(2026, 1, 1))
    with pytest.raises(DomainError) as refused:
        reviews.record_review(session, agreement, held_on, outcome, actor=None, today=TODAY)
    assert refused.value.field == field
    assert count(session, Review) == 0


def test_reviews_due_lists_agreements_in_force_overdue_first(make, session):
    overdue = make.agreement(ref="UC-LATE", review_months=12, start=date(2025, 1, 1))
    soon = make.agreement(ref="UC-SOON", review_months=6, start=date(2026, 1, 1))
    reviews.record_review(session, soon, date(2026, 5, 20), "satisfactory", actor=None,
                             today=TODAY)  # fmt: skip
    later = make.agreement(ref="UC-LATER", review_months=12, start=date(2026, 6, 1))
    make.agreement(ref="UC-DRAFT", review_months=1, status="draft")
    make.agreement(ref="UC-ENDED", review_months=1, status="expired")
    make.agreement(ref="UC-NEVER", review_months=None)
    rows = reviews.reviews_due(session, agreement_scope(None), today=TODAY)
    assert [(row.agreement.ref, row.due_on, row.overdue) for row in rows] == [
        ("UC-LATE", date(2026, 1, 1), True),
        ("UC-SOON", date(2026, 11, 20), False),
        ("UC-LATER", date(2027, 6, 1), False),
    ]
    assert rows[1].last_held_on == date(2026, 5, 20)
    overdue_rows = reviews.reviews_overdue(session, agreement_scope(None), today=TODAY)
    assert [row.agreement for row in overdue_rows] == [overdue]
    assert later not in [row.agreement for row in overdue_rows]


def test_reviews_due_is_scoped_to_what_the_viewer_sees(make, session):
    own = make.supplier(code="HW")
    mine = make.agreement(ref="UC-HW", supplier=own, review_months=6)
    make.agreement(ref="UC-OT", review_months=6)
    rows = reviews.reviews_due(session, agreement_scope(own.id), today=TODAY)
    assert [row.agreement for row in rows] == [mine]
    filtered = reviews.reviews_due(session, agreement_scope(None), today=TODAY, supplier_code="HW")
    assert [row.agreement for row in filtered] == [mine]


# ── Disputes ─────────────────────────────────────────────────────────────────────────────────
ALLOWED = {
    ("open", "in_progress"),
    ("open", "resolved"),
    ("in_progress", "resolved"),
    ("resolved", "in_progress"),  # reopened
    ("resolved", "closed"),
}


def dispute_in(session, agreement, status: str) -> Dispute:
    dispute = Dispute(
        agreement=agreement, title="Credits for March", status=status, raised_on=date(2026, 4, 2)
    )
    session.add(dispute)
    session.flush()
    return dispute


@pytest.mark.parametrize(("current", "new"), list(product(DISPUTE_STATUSES, repeat=2)))
def test_every_dispute_transition(make, session, current, new):
    dispute = dispute_in(session, make.agreement(), current)
    if (current, new) in ALLOWED:
        governance.change_dispute_status(
            session, dispute, new, "Credit agreed.", actor=None, today=TODAY
        )
        assert dispute.status == new
    else:
        with pytest.raises(DomainError) as refused:
            governance.change_dispute_status(
                session, dispute, new, "Credit agreed.", actor=None, today=TODAY
            )
        assert refused.value.field == "status"
        assert dispute.status == current


@pytest.mark.parametrize(("current", "new"), [("open", "resolved"), ("resolved", "closed"),
                                              ("in_progress", "resolved")])  # fmt: skip
def test_resolving_or_closing_needs_the_resolution(make, session, current, new):
    dispute = dispute_in(session, make.agreement(), current)
    with pytest.raises(DomainError) as refused:
        governance.change_dispute_status(session, dispute, new, "   ", actor=None, today=TODAY)
    assert refused.value.field == "resolution"
    assert (dispute.status, dispute.resolution, dispute.closed_on) == (current, "", None)


def test_closing_dates_the_dispute_and_keeps_the_resolution(make, session):
    dispute = dispute_in(session, make.agreement(), "open")
    governance.change_dispute_status(session, dispute, "resolved", "3 % credit applied.",
                                     actor=None, today=date(2026, 5, 1))  # fmt: skip
    assert dispute.closed_on is None
    governance.change_dispute_status(session, dispute, "closed", "3 % credit applied.",
                                     actor=None, today=date(2026, 5, 9))  # fmt: skip
    assert (dispute.status, dispute.resolution, dispute.closed_on) == (
        "closed", "3 % credit applied.", date(2026, 5, 9)
    )  # fmt: skip


def test_an_unknown_status_is_refused(make, session):
    dispute = dispute_in(session, make.agreement(), "open")
    with pytest.raises(DomainError):
        governance.change_dispute_status(session, dispute, "settled", "x", actor=None)


def test_raising_a_dispute(make, session):
    manager = make.user()
    agreement = make.agreement()
    dispute = governance.raise_dispute(session, agreement, "  Late reports ", "Three months.",
                                       actor=manager, today=TODAY)  # fmt: skip
    assert (dispute.title, dispute.status, dispute.raised_by, dispute.raised_on) == (
        "Late reports", "open", manager, TODAY
    )  # fmt: skip


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_a_dispute_needs_a_title(make, session, title):
    with pytest.raises(DomainError) as refused:
        governance.raise_dispute(session, make.agreement(), title, actor=None)
    assert refused.value.field == "title"
    assert count(session, Dispute) == 0


def test_replies_form_the_thread_until_the_dispute_is_closed(make, session):
    supplier = make.supplier()
    staff = make.user("supplier", supplier=supplier)
    dispute = dispute_in(session, make.agreement(supplier=supplier), "resolved")
    message = governance.reply(session, dispute, "We accept the credit.", actor=staff)
    assert (message.author, dispute.messages) == (staff, [message])
    dispute.status = "closed"
    with pytest.raises(DomainError) as refused:
        governance.reply(session, dispute, "One more thing.", actor=staff)
    assert refused.value.field == "body"
    with pytest.raises(DomainError):
        governance.reply(session, dispute_in(session, make.agreement(), "open"), " ", actor=staff)
    assert count(session, DisputeMessage) == 1


def test_disputes_query_filters(make, session):
    hw = make.supplier(code="HW")
    mine = make.agreement(ref="UC-HW", supplier=hw)
    other = make.agreement(ref="UC-OT")
    first = dispute_in(session, mine, "open")
    dispute_in(session, mine, "closed")
    dispute_in(session, other, "in_progress")

    def ids(**filters):
        statement = governance.disputes_query(governance.dispute_scope(None), **filters)
        return sorted(dispute.id for dispute in session.scalars(statement))

    assert len(ids()) == 3
    assert ids(status="open") == [first.id]
    assert len(ids(status="unresolved")) == 2
    assert len(ids(supplier_code="HW")) == 2
    assert len(ids(agreement_ref="UC-OT")) == 1


# ── Improvement actions ──────────────────────────────────────────────────────────────────────
def entry(owner, **fields) -> governance.ActionInput:
    return governance.ActionInput(
        **{"title": "Fix reporting", "owner": owner, "due_on": date(2026, 12, 1), **fields}
    )


def test_an_action_from_a_missed_target_takes_its_agreement(make, session):
    owner = make.user()
    agreement = make.agreement()
    target = make.target(agreement, make.metric())
    action = governance.create_action(
        session, entry(owner, target=target, period="2026-03", source="scorecard"), actor=owner
    )
    assert (action.agreement, action.target, action.period, action.source, action.status) == (
        agreement, target, "2026-03", "scorecard", "open"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"period": "2026-13"}, "period"),
        ({"period": "March"}, "period"),
        ({"due_on": None}, "due_on"),
        ({"owner": None}, "owner"),
        ({"status": "stalled"}, "status"),
        ({"source": "rumour"}, "source"),
        ({"wrong_target": True}, "target"),
        ({"supplier_owner": True}, "owner"),
        ({"inactive_owner": True}, "owner"),
    ],
)
def test_a_refused_action_writes_nothing(make, session, fields, field):
    fields = dict(fields)
    owner = make.user()
    agreement = make.agreement()
    if fields.pop("wrong_target", False):
        fields.update(agreement=agreement, target=make.target(make.agreement(), make.metric()))
    if fields.pop("supplier_owner", False):
        fields["owner"] = make.user("supplier", supplier=agreement.supplier)
    if fields.pop("inactive_owner", False):
        fields["owner"] = make.user()
        fields["owner"].active = False
    with pytest.raises(DomainError) as refused:
        governance.create_action(session, entry(fields.pop("owner", owner), **fields), actor=owner)
    assert refused.value.field == field
    session.rollback()
    assert count(session, ImprovementAction) == 0


def test_an_update_refused_leaves_the_action_as_it_was(make, session):
    owner = make.user()
    action = governance.create_action(session, entry(owner), actor=owner)
    with pytest.raises(DomainError):
        governance.update_action(
            session, action, entry(owner, title="Renamed", status="done", period="x"), actor=owner
        )
    assert (action.title, action.status) == ("Fix reporting", "open")


def test_a_departed_owner_may_keep_an_old_action(make, session):
    owner = make.user()
    action = governance.create_action(session, entry(owner), actor=owner)
    owner.active = False
    governance.update_action(session, action, entry(owner, status="done"), actor=None)
    assert action.status == "done"


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        ("open", date(2026, 10, 31), True),
        ("in_progress", date(2026, 10, 31), True),
        ("open", TODAY, False),  # due today is not yet overdue
        ("open", date(2026, 11, 2), False),
        ("done", date(2026, 10, 31), False),
        ("cancelled", date(2026, 10, 31), False),
    ],
)
def test_overdue_actions(make, session, status, due_on, overdue):
    owner = make.user()
    action = governance.create_action(
        session, entry(owner, status=status, due_on=due_on), actor=owner
    )
    assert governance.is_overdue(action, TODAY) is overdue
    statement = governance.actions_query(agreement_scope(None), status="overdue", today=TODAY)
    assert (action in session.scalars(statement).all()) is overdue


def test_the_plan_is_scoped_and_ordered_overdue_first(make, session):
    owner = make.user()
    hw = make.supplier()
    lead = make.agreement(supplier=hw)
    sub = make.agreement("subcontract", parent=lead)
    foreign = make.agreement()

    def add(title, agreement, status, due_on):
        return governance.create_action(
            session, entry(owner, title=title, agreement=agreement, status=status, due_on=due_on),
            actor=owner,
        )  # fmt: skip

    done = add("done", lead, "done", date(2026, 1, 1))
    pending = add("pending", sub, "open", date(2026, 12, 1))
    late = add("late", lead, "in_progress", date(2026, 10, 1))
    ours = add("ours", None, "open", date(2026, 12, 2))
    add("theirs", foreign, "open", date(2026, 12, 3))
    statement = governance.actions_query(agreement_scope(None), today=TODAY)
    ordered = session.scalars(statement.order_by(*governance.plan_order(TODAY))).all()
    assert [action.title for action in ordered] == ["late", "pending", "ours", "theirs", "done"]
    seen = session.scalars(governance.actions_query(agreement_scope(hw.id), today=TODAY)).all()
    assert sorted(action.id for action in seen) == sorted([done.id, pending.id, late.id])
    assert ours not in seen
