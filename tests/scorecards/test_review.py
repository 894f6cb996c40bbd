"""Reviewing figures: accept, reject with a reason, only submitted revisions, all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from contracts.errors import DomainError
from scorecards import review
from scorecards.measurements import current_values
from scorecards.models import Measurement

NOW = datetime(2026, 7, 12, 9, 30)


def build_world(make):
    """Two suppliers with one agreement each; HW's covers two services, OT's one."""
    hw = make.supplier(code="HW", name="华为技术有限公司")
    other = make.supplier(code="OT", name="Other Ltd")
    crm, net = make.service("CRM"), make.service("NET")
    avail = make.metric("AVAIL", "higher", "product", "%")
    p1 = make.metric("P1", "lower", "sum", "h")
    term = {"start": date(2025, 1, 1), "end": date(2030, 12, 31)}
    uc = make.agreement("underpinning", supplier=hw, ref="UC-HW", services=[crm, net], **term)
    foreign = make.agreement("underpinning", supplier=other, ref="UC-OT", services=[crm], **term)
    return {
        "hw": hw,
        "other": other,
        "uc": uc,
        "foreign": foreign,
        "avail_crm": make.target(uc, avail, "99.9", service=crm),
        "avail_net": make.target(uc, avail, "99.5", service=net),
        "p1": make.target(uc, p1, "4", service=crm),
        "ot_avail": make.target(foreign, avail, "99"),
    }


@pytest.fixture
def world(make):
    return build_world(make)


@pytest.fixture
def manager(make):
    return make.user("vendor_manager")


def test_accepting_records_who_and_when(session, make, world, manager):
    figure = make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted")
    review.accept(session, [figure.id], actor=manager, now=NOW)
    assert (figure.status, figure.reviewed_by_id, figure.reviewed_at) == (
        "accepted",
        manager.id,
        NOW,
    )


def test_rejecting_keeps_the_reason(session, make, world, manager):
    figure = make.measurement(world["avail_crm"], "2026-06", "98", status="submitted")
    review.reject(session, [figure.id], "  Outage on the 14th is missing  ", actor=manager, now=NOW)
    assert (figure.status, figure.reject_reason, figure.reviewed_by_id) == (
        "rejected",
        "Outage on the 14th is missing",
        manager.id,
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_rejection_needs_a_reason(session, make, world, manager, reason):
    figure = make.measurement(world["avail_crm"], "2026-06", "98", status="submitted")
    with pytest.raises(DomainError) as caught:
        review.reject(session, [figure.id], reason, actor=manager, now=NOW)
    assert caught.value.field == "reason"
    assert figure.status == "submitted" and figure.reviewed_at is None


def test_a_reason_has_a_length_limit(session, make, world, manager):
    figure = make.measurement(world["avail_crm"], "2026-06", "98", status="submitted")
    with pytest.raises(DomainError, match="at most 2000"):
        review.reject(session, [figure.id], "x" * 2001, actor=manager, now=NOW)


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_only_submitted_revisions_are_reviewed(session, make, world, manager, status):
    figure = make.measurement(world["avail_crm"], "2026-06", "99", status=status)
    with pytest.raises(review.NotReviewable, match=f"already {status}"):
        review.accept(session, [figure.id], actor=manager, now=NOW)
    with pytest.raises(review.NotReviewable):
        review.reject(session, [figure.id], "wrong", actor=manager, now=NOW)
    assert figure.status == status


def test_a_batch_is_all_or_nothing(session, make, world, manager):
    waiting = make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted")
    other = make.measurement(world["avail_net"], "2026-06", "99.8", status="submitted")
    done = make.measurement(world["p1"], "2026-06", "3", status="accepted")
    with pytest.raises(review.NotReviewable):
        review.reject(session, [waiting.id, done.id, other.id], "bad", actor=manager, now=NOW)
    assert [waiting.status, other.status] == ["submitted", "submitted"]
    with pytest.raises(review.UnknownFigure, match="999999"):
        review.accept(session, [waiting.id, 999999], actor=manager, now=NOW)
    assert waiting.status == "submitted"
    with pytest.raises(DomainError, match="at least one"):
        review.accept(session, [], actor=manager, now=NOW)
    review.accept(session, [waiting.id, other.id], actor=manager, now=NOW)
    assert [waiting.status, other.status] == ["accepted", "accepted"]


def test_a_rejected_correction_leaves_the_earlier_value_current(session, make, world, manager):
    target = world["avail_crm"]
    first = make.measurement(target, "2026-06", "99.20", status="submitted", revision=1)
    second = make.measurement(target, "2026-06", "99.95", status="submitted", revision=2)
    review.reject(session, [second.id], "No evidence for the higher figure", actor=manager, now=NOW)
    review.accept(session, [first.id], actor=manager, now=NOW)
    ids = select(Measurement.target_id).where(Measurement.target_id == target.id)
    assert current_values(session, ids, "2026-06", "2026-06") == {(target.id, "2026-06"): D("99.2")}


def test_the_queue_lists_submitted_figures_with_filters(session, make, world):
    hw_june = make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted")
    hw_may = make.measurement(world["avail_net"], "2026-05", "99.1", status="submitted")
    ot_june = make.measurement(world["ot_avail"], "2026-06", "99.3", status="submitted")
    make.measurement(world["p1"], "2026-06", "3", status="accepted")

    def listed(**filters):
        statement = review.queue(review.QueueFilters(**filters)).order_by(Measurement.id)
        return [m.id for m in session.scalars(statement).unique()]

    assert listed() == [hw_june.id, hw_may.id, ot_june.id]
    assert listed(supplier="OT") == [ot_june.id]
    assert listed(agreement="UC-HW") == [hw_june.id, hw_may.id]
    assert listed(period="2026-06") == [hw_june.id, ot_june.id]
    assert listed(supplier="HW", period="2026-05") == [hw_may.id]
    assert review.waiting_count(session) == 3


def test_history_shows_the_other_revisions_with_superseded_ones_marked(session, make, world):
    target = world["avail_crm"]
    r1 = make.measurement(target, "2026-06", "97", status="rejected", revision=1)
    r1.reject_reason = "Wrong month"
    make.measurement(target, "2026-06", "98", status="accepted", revision=2)
    make.measurement(target, "2026-06", "98.5", status="submitted", revision=3)
    r4 = make.measurement(target, "2026-06", "99", status="submitted", revision=4)
    make.measurement(target, "2026-06", "99.9", status="rejected", revision=5)
    elsewhere = make.measurement(target, "2026-05", "96", status="submitted")
    shown = review.history(session, [r4, elsewhere])
    assert [(past.revision, past.status) for past in shown[r4.id]] == [
        (5, "rejected"),  # a later correction, rejected: r4 stays the current revision
        (3, "superseded"),  # still "submitted" in the database, replaced by r4
        (2, "accepted"),
        (1, "rejected"),
    ]
    assert shown[r4.id][3].reject_reason == "Wrong month"
    assert shown[elsewhere.id] == []
    stored = session.scalars(select(Measurement.status).where(Measurement.period == "2026-06"))
    assert list(stored) == ["rejected", "accepted", "submitted", "submitted", "rejected"]


def _seven_revisions(make, target, period="2026-06"):
    return [
        make.measurement(target, period, f"99.{n}", status="submitted", revision=n)
        for n in range(1, 8)
    ]


def test_the_queue_lists_one_item_per_figure_its_newest_revision(session, make, world):
    revisions = _seven_revisions(make, world["avail_net"])
    other = make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted")
    listed = session.scalars(review.queue().order_by(Measurement.id)).unique().all()
    assert [m.id for m in listed] == [revisions[-1].id, other.id]
    assert review.waiting_count(session) == 2


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_a_superseded_revision_is_not_reviewed_on_its_own(session, make, world, manager, decision):
    revisions = _seven_revisions(make, world["avail_net"])
    act = {
        "accept": lambda ids: review.accept(session, ids, actor=manager, now=NOW),
        "reject": lambda ids: review.reject(session, ids, "too high", actor=manager, now=NOW),
    }[decision]
    for older in revisions[:-1]:
        with pytest.raises(review.Superseded, match="revision 7 has replaced it"):
            act([older.id])
    with pytest.raises(review.Superseded):  # with the newest in the same batch, too
        act([revisions[-1].id, revisions[0].id])
    assert {m.status for m in revisions} == {"submitted"}
    act([revisions[-1].id])
    assert revisions[-1].status == f"{decision}ed"
    assert review.waiting_count(session) == (0 if decision == "accept" else 1)


def test_after_a_rejected_correction_the_earlier_revision_waits_again(
    session, make, world, manager
):
    first = make.measurement(world["avail_crm"], "2026-06", "99.2", status="submitted")
    correction = make.measurement(
        world["avail_crm"], "2026-06", "99.95", status="submitted", revision=2
    )
    with pytest.raises(review.Superseded):
        review.accept(session, [first.id], actor=manager, now=NOW)
    review.reject(session, [correction.id], "No evidence", actor=manager, now=NOW)
    # The correction is refused, so revision 1 is the current value again, and unreviewed.
    assert [m.id for m in session.scalars(review.queue()).unique()] == [first.id]
    review.accept(session, [first.id], actor=manager, now=NOW)
    assert first.status == "accepted" and review.waiting_count(session) == 0
