"""What a supplier must submit for a month (SPEC section 3 "Due months")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

from sqlalchemy import event

from scorecards.due import due_figures
from scorecards.models import Measurement


def test_due_targets_follow_the_term_and_never_a_draft(session, make):
    hw, other = make.supplier("HW"), make.supplier("OT")
    avail = make.metric("AVAIL")
    mid = make.agreement(supplier=hw, ref="UC-MID", start=date(2026, 3, 15))
    ended = make.agreement(supplier=hw, ref="UC-ENDED", status="expired", end=date(2026, 5, 31))
    draft = make.agreement(supplier=hw, ref="UC-DRAFT", status="draft")
    foreign = make.agreement(supplier=other, ref="UC-OT")
    for agreement in (mid, ended, draft, foreign):
        make.target(agreement, avail)

    def refs(period):
        return [figure.agreement for figure in due_figures(session, hw.id, period).figures]

    assert refs("2026-02") == ["UC-ENDED"]
    assert refs("2026-03") == ["UC-ENDED", "UC-MID"]  # starts on the 15th: March is due
    assert refs("2026-05") == ["UC-ENDED", "UC-MID"]  # expired now, but May was in its term
    assert refs("2026-06") == ["UC-MID"]
    assert refs("2027-01") == []


def test_each_due_target_shows_last_month_and_this_months_latest_revision(session, make):
    hw = make.supplier("HW")
    crm = make.service("CRM", name="客户关系管理")
    uc = make.agreement(supplier=hw, ref="UC-HW", services=[crm])
    p1 = make.target(uc, make.metric("P1", "lower", "sum", "h"), "4")
    make.measurement(p1, "2026-05", "3.5", status="accepted")
    make.measurement(p1, "2026-05", "2", status="rejected", revision=2)
    make.measurement(p1, "2026-06", "4.5", status="accepted")
    late = make.measurement(p1, "2026-06", "3.9", status="rejected", revision=2)
    late.late, late.reject_reason = True, "no evidence"
    session.flush()

    month = due_figures(session, hw.id, "2026-06", due_day=10)
    assert (month.period, month.due_on, month.missing) == ("2026-06", date(2026, 7, 10), 0)
    [figure] = month.figures
    assert (figure.metric, figure.service, figure.service_name) == ("P1", "CRM", "客户关系管理")
    assert (figure.direction, figure.unit, figure.target) == ("lower", "h", D("4"))
    assert figure.last_month == D("3.5")  # the rejected revision 2 does not count
    assert figure.current == D("4.5")
    latest = figure.latest
    assert (latest.revision, latest.value, latest.status) == (2, D("3.9"), "rejected")
    assert (latest.reject_reason, latest.late) == ("no evidence", True)

    nothing_yet = due_figures(session, hw.id, "2026-07").figures[0]
    assert (nothing_yet.last_month, nothing_yet.current, nothing_yet.latest) == (
        D("4.5"),
        None,
        None,
    )


def test_the_due_list_costs_the_same_queries_for_one_target_or_many(session, make):
    def queries_for(targets: int) -> int:
        supplier = make.supplier()
        agreement = make.agreement(supplier=supplier)
        for _ in range(targets):
            target = make.target(agreement, make.metric())
            session.add(
                Measurement(
                    target=target,
                    period="2026-06",
                    value=D("99"),
                    submitted_at=datetime(2026, 7, 1),
                )
            )
        session.flush()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.connection(), "before_cursor_execute", listener)
        try:
            due = due_figures(session, supplier.id, "2026-07")
        finally:
            event.remove(session.connection(), "before_cursor_execute", listener)
        assert len(due.figures) == targets
        return len(statements)

    assert queries_for(1) == queries_for(12) == 2
