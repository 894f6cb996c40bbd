"""What is due: a supplier's figures for last month and this month; per supplier what is missing."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import event

from scorecards import notices
from scorecards.due import due_figures
from tests.conftest import fix_clock, login
from tests.scorecards.test_review import build_world

TODAY = date(2026, 7, 15)  # June's figures were due on 10 July


@pytest.fixture
def world(make):
    return build_world(make)


def test_a_suppliers_figures_due_with_their_state(session, make, world):
    make.measurement(world["avail_crm"], "2026-06", "99.95", status="accepted")
    late = make.measurement(world["avail_net"], "2026-06", "99.1", status="submitted")
    late.late = True
    rejected = make.measurement(world["p1"], "2026-06", "9", status="rejected")
    rejected.reject_reason = "P1 count includes P2 tickets"
    session.flush()
    june, july = notices.figures_due(session, world["hw"].id, today=TODAY)
    assert (june.period, june.due_on, july.period, july.due_on) == (
        "2026-06",
        date(2026, 7, 10),
        "2026-07",
        date(2026, 8, 10),
    )
    assert [(f.metric, f.service, f.status, f.late) for f in june.figures] == [
        ("AVAIL", "CRM", "accepted", False),
        ("AVAIL", "NET", "submitted", True),
        ("P1", "CRM", "rejected", False),
    ]
    assert june.figures[2].reject_reason == "P1 count includes P2 tickets"
    assert (june.missing, june.late) == (1, 1)
    # July is not over: missing, but not late until 10 August.
    assert [(f.status, f.late) for f in july.figures] == [("missing", False)] * 3


def _rejected_correction(make, world, period="2026-06"):
    """Every target has a value in force for ``period``, but P1's third revision was rejected."""
    make.measurement(world["avail_crm"], period, "99.95", status="accepted")
    make.measurement(world["avail_net"], period, "99.6", status="submitted")
    make.measurement(world["p1"], period, "3.5", status="accepted")
    make.measurement(world["p1"], period, "3.2", status="submitted", revision=2)
    third = make.measurement(world["p1"], period, "1", status="rejected", revision=3)
    third.reject_reason = "P1 count leaves out the outage of the 14th"


def test_a_rejected_correction_leaves_nothing_to_send(session, make, world):
    _rejected_correction(make, world)
    session.flush()
    june = notices.figures_due(session, world["hw"].id, today=TODAY)[0]
    p1 = june.figures[2]
    assert (p1.metric, p1.status, p1.current) == ("P1", "rejected", D("3.2"))
    assert p1.correction_rejected and not p1.needs_action
    assert june.missing == 0
    # The monthly form's list says the same: every target has a figure.
    assert due_figures(session, world["hw"].id, "2026-06").missing == 0


def test_the_dashboard_and_the_monthly_form_agree_after_a_rejection(
    client, make, world, monkeypatch
):
    fix_clock(monkeypatch, TODAY)
    last_month = "2026-06"  # the dashboard's last month, TODAY being in July
    _rejected_correction(make, world, last_month)
    user = make.user("supplier", supplier=world["hw"])
    login(client, user.email)
    dashboard = client.get("/").get_data(as_text=True)
    tile = dashboard.split(f"{last_month} · due by")[1].split(" · due by")[0]
    assert re.search(r"(\d+) of (\d+) sent", tile).groups() == ("3", "3")
    assert "to send" not in tile
    assert "P1 count leaves out the outage of the 14th" in tile
    assert "The figure you sent before stays in force." in tile
    form = client.get(f"/submissions?period={last_month}").get_data(as_text=True)
    assert "every one has a figure" in form


def test_a_missing_figure_is_late_after_the_due_day(session, world):
    on_the_day = notices.figures_due(session, world["hw"].id, today=date(2026, 7, 10))[0]
    day_after = notices.figures_due(session, world["hw"].id, today=date(2026, 7, 11))[0]
    assert {f.late for f in on_the_day.figures} == {False}
    assert {f.late for f in day_after.figures} == {True}
    assert day_after.missing == 3
    later = notices.figures_due(session, world["hw"].id, today=date(2026, 7, 20), due_day=25)
    assert {f.late for f in later[0].figures} == {False}


def test_drafts_and_months_outside_the_term_are_not_due(session, make, world):
    avail = world["avail_crm"].metric
    draft = make.agreement("underpinning", supplier=world["hw"], ref="UC-DRAFT", status="draft")
    make.target(draft, avail, "99")
    ended = make.agreement(
        "underpinning",
        supplier=world["hw"],
        ref="UC-OLD",
        start=date(2025, 1, 1),
        end=date(2026, 5, 31),
    )
    make.target(ended, avail, "99")
    june = notices.figures_due(session, world["hw"].id, today=TODAY)[0]
    assert {f.agreement for f in june.figures} == {"UC-HW"}


def test_missing_by_supplier(session, make, world):
    make.measurement(world["avail_crm"], "2026-06", "99.95", status="accepted")
    make.measurement(world["avail_net"], "2026-06", "99.1", status="rejected")
    make.measurement(world["avail_net"], "2026-05", "99.1", status="accepted")
    make.measurement(world["ot_avail"], "2026-06", "99.5", status="submitted")
    gaps = notices.missing_by_supplier(session, "2026-06")
    assert [(g.code, g.name, g.due, g.missing) for g in gaps] == [
        ("HW", "华为技术有限公司", 3, 2),  # NET only rejected, P1 never sent
        ("OT", "Other Ltd", 1, 0),
    ]


def _count_queries(session, call):
    statements = []

    def record(*_args):
        statements.append(1)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_a_fixed_number_of_queries_however_many_targets(session, make, world):
    hw_id = world["hw"].id
    small = _count_queries(session, lambda: notices.missing_by_supplier(session, "2026-06"))
    small_due = _count_queries(session, lambda: notices.figures_due(session, hw_id, today=TODAY))
    for _ in range(5):
        supplier = make.supplier()
        agreement = make.agreement(
            "underpinning", supplier=supplier, start=date(2025, 1, 1), end=date(2030, 1, 1)
        )
        make.target(agreement, world["avail_crm"].metric, "99")
        extra = make.agreement(
            "underpinning", supplier=world["hw"], start=date(2025, 1, 1), end=date(2030, 1, 1)
        )
        make.target(extra, world["avail_crm"].metric, "99")
    session.expire_all()
    assert _count_queries(session, lambda: notices.missing_by_supplier(session, "2026-06")) == small
    assert (
        _count_queries(session, lambda: notices.figures_due(session, hw_id, today=TODAY))
        == small_due
    )


def test_the_dashboard_shows_a_supplier_its_figures_due(client, make, world):
    user = make.user("supplier", supplier=world["hw"])
    login(client, user.email)
    page = client.get("/").get_data(as_text=True)
    assert "Figures due" in page and "due by" in page
    assert "UC-HW" in page and "UC-OT" not in page


def test_the_dashboard_shows_staff_what_is_missing_per_supplier(client, make, world):
    make.measurement(world["avail_crm"], "2026-06", "99.95", status="submitted")
    manager = make.user("vendor_manager")
    login(client, manager.email)
    page = client.get("/").get_data(as_text=True)
    assert "Figures missing for" in page and "华为技术有限公司" in page
    assert "missing" in page and "Open the review queue" in page
    client.post("/logout")
    auditor = make.user("auditor")
    login(client, auditor.email)
    page = client.get("/").get_data(as_text=True)
    assert "Figures missing for" in page and "Open the review queue" not in page
