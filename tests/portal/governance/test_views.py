"""Reviews, disputes and the improvement plan on the web: access matrix, supplier isolation,
forms that refuse bad input without writing anything, and text shown as text.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from contracts.models import Dispute, DisputeMessage, ImprovementAction, Review
from portal.audit.models import AuditEntry
from tests.conftest import fix_clock, login

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
MANAGERS = ("admin", "vendor_manager")


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


TODAY = date(2026, 7, 15)


@pytest.fixture(autouse=True)
def _a_given_day(monkeypatch):
    fix_clock(monkeypatch, TODAY)


@pytest.fixture
def world(make, session):
    """HW's contract has a sub-contract placed with SZ; OT is another supplier altogether."""
    hw = make.supplier(code="HW", name="华为技术有限公司")
    sz = make.supplier(code="SZ", name="深圳数据中心有限公司")
    ot = make.supplier(code="OT", name="Other Ltd")
    lead = make.agreement(supplier=hw, ref="UC-HW", review_months=6)
    sub = make.agreement("subcontract", supplier=sz, parent=lead, ref="SUB-SZ")
    foreign = make.agreement(supplier=ot, ref="UC-OT")
    users = {role: make.user(role, supplier=hw if role == "supplier" else None) for role in ROLES}
    disputes = {}
    for name, agreement in (("own", lead), ("under", sub), ("foreign", foreign)):
        disputes[name] = Dispute(
            agreement=agreement, title=f"Dispute on {agreement.ref}", raised_on=date(2026, 4, 2)
        )
    actions = {
        name: ImprovementAction(
            agreement=agreement,
            title=f"Action on {name}",
            owner=users["vendor_manager"],
            due_on=TODAY - timedelta(days=30),
        )  # fmt: skip
        for name, agreement in (("own", lead), ("under", sub), ("foreign", foreign), ("ours", None))
    }
    session.add_all([*disputes.values(), *actions.values()])
    session.flush()
    return {"users": users, "lead": lead, "sub": sub, "foreign": foreign,
            "disputes": disputes, "actions": actions}  # fmt: skip


def url_of(path: str, world) -> str:
    return path.format(
        own=world["disputes"]["own"].id, ref=world["lead"].ref, action=world["actions"]["own"].id
    )


def test_a_supplier_replies_on_its_own_dispute(client, world, session):
    supplier_user = world["users"]["supplier"]
    login(client, supplier_user.email)
    dispute = world["disputes"]["own"]
    response = client.post(f"/disputes/{dispute.id}/replies", data={"body": "已提交修正数据。"})
    assert response.status_code == 302
    message = session.scalar(select(DisputeMessage).where(DisputeMessage.dispute_id == dispute.id))
    assert (message.body, message.author_id) == ("已提交修正数据。", supplier_user.id)
    page = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert "已提交修正数据。" in page
    assert f'action="/disputes/{dispute.id}/status"' not in page  # no status form for it


def test_a_supplier_gets_404_for_any_dispute_not_its_own(client, world, session):
    login(client, world["users"]["supplier"].email)
    own = world["disputes"]["own"].id
    highest = session.scalar(select(func.max(Dispute.id)))
    for dispute_id in [*range(1, highest + 3), 999_999]:
        if dispute_id == own:
            continue
        assert client.get(f"/disputes/{dispute_id}").status_code == 404, dispute_id
        reply = client.post(f"/disputes/{dispute_id}/replies", data={"body": "hi"})
        assert reply.status_code == 404, dispute_id
        assert client.post(f"/disputes/{dispute_id}/status", data={}).status_code == 404
    assert count(session, DisputeMessage) == 0


def test_a_supplier_cannot_read_disputes_on_sub_contracts_under_its_agreement(client, world):
    login(client, world["users"]["supplier"].email)
    under = world["disputes"]["under"]
    assert client.get(f"/disputes/{under.id}").status_code == 404
    listing = client.get("/disputes").get_data(as_text=True)
    assert "Dispute on UC-HW" in listing
    assert "Dispute on SUB-SZ" not in listing
    assert "Dispute on UC-OT" not in listing


def test_a_supplier_reads_the_actions_it_may_see_and_changes_none(client, world):
    login(client, world["users"]["supplier"].email)
    page = client.get("/actions").get_data(as_text=True)
    assert "Action on own" in page and "Action on under" in page
    assert "Action on foreign" not in page and "Action on ours" not in page
    assert "/actions/new" not in page
    actions = world["actions"]
    assert client.get(f"/actions/{actions['own'].id}/edit").status_code == 403
    assert client.get(f"/actions/{actions['foreign'].id}/edit").status_code == 404
    assert client.get(f"/actions/{actions['ours'].id}/edit").status_code == 404
    assert client.get("/agreements/UC-OT/disputes/new").status_code == 404
    assert client.get("/agreements/UC-OT/reviews/new").status_code == 404


# ── Dispute flow ─────────────────────────────────────────────────────────────────────────────
def test_a_dispute_from_raising_to_closure(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    response = client.post(
        "/agreements/UC-HW/disputes/new",
        data={"title": "Credits for March", "description": "5 % applies."},
    )
    assert response.status_code == 302
    dispute = session.scalar(select(Dispute).where(Dispute.title == "Credits for March"))
    page = f"/disputes/{dispute.id}"
    assert response.headers["Location"].endswith(page)
    refused = client.post(f"{page}/status", data={"status": "resolved", "resolution": ""})
    assert refused.status_code == 400
    assert "Describe the resolution" in refused.get_data(as_text=True)
    assert client.post(f"{page}/status", data={"status": "in_progress"}).status_code == 302
    resolved = {"status": "resolved", "resolution": "Credit on the next invoice."}
    assert client.post(f"{page}/status", data=resolved).status_code == 302
    closed = {"status": "closed", "resolution": "Credit on the next invoice."}
    assert client.post(f"{page}/status", data=closed).status_code == 302
    session.expire_all()
    assert (dispute.status, dispute.closed_on) == ("closed", TODAY)
    assert client.post(f"{page}/status", data=resolved).status_code == 400  # closed is final
    login(client, world["users"]["supplier"].email)
    assert client.post(f"{page}/replies", data={"body": "Late."}).status_code == 400


def test_a_refused_status_change_writes_nothing(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    dispute = world["disputes"]["own"]
    before = (count(session, Dispute), count(session, AuditEntry))
    response = client.post(
        f"/disputes/{dispute.id}/status", data={"status": "closed", "resolution": "Done."}
    )
    assert response.status_code == 400  # open → closed skips resolution
    assert "cannot go from" in response.get_data(as_text=True)
    assert (count(session, Dispute), count(session, AuditEntry)) == before
    session.refresh(dispute)
    assert (dispute.status, dispute.resolution) == ("open", "")


def test_names_with_markup_show_as_text(client, world):
    login(client, world["users"]["vendor_manager"].email)
    title = """<script>alert("x")</script> & 'quotes'"""
    response = client.post("/agreements/UC-HW/disputes/new", data={"title": title})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;" in page
    listing = client.get("/disputes").get_data(as_text=True)
    assert "<script>alert" not in listing


# ── Reviews ──────────────────────────────────────────────────────────────────────────────────
def test_recording_a_review(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    held_on = TODAY.isoformat()
    response = client.post(
        "/agreements/UC-HW/reviews/new",
        data={"held_on": held_on, "outcome": "improvement_needed", "notes": "Reports late."},
    )
    assert response.status_code == 302
    review = session.scalar(select(Review))
    assert (review.agreement_id, review.outcome) == (world["lead"].id, "improvement_needed")
    page = client.get("/reviews").get_data(as_text=True)
    assert "UC-HW" in page


def test_a_review_in_the_future_is_refused_beside_its_field(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    before = (count(session, Review), count(session, AuditEntry))
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client.post(
        "/agreements/UC-HW/reviews/new", data={"held_on": tomorrow, "outcome": "satisfactory"}
    )
    assert response.status_code == 400
    assert re.search(r'id="held_on-errors">\s*<li>A review cannot be recorded before it is held',
                     response.get_data(as_text=True))  # fmt: skip
    assert (count(session, Review), count(session, AuditEntry)) == before


def test_reviews_page_marks_overdue_first(client, world, make):
    today = TODAY
    make.agreement(ref="UC-NEXT", review_months=12, start=today, end=today + timedelta(days=800))
    make.agreement(ref="UC-LATE", review_months=1, start=date(2020, 1, 1), end=date(2040, 1, 1))
    login(client, world["users"]["auditor"].email)
    page = client.get("/reviews").get_data(as_text=True)
    assert page.index("UC-LATE") < page.index("UC-NEXT")
    late_row = page[page.index("UC-LATE") : page.index("</tr>", page.index("UC-LATE"))]
    assert "2020-02-01" in late_row and "Overdue" in late_row
    assert "/reviews/new" not in page  # an auditor reads only


# ── Improvement actions ──────────────────────────────────────────────────────────────────────
def selected(page: str, name: str) -> str | None:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select_html, name
    chosen = re.search(r'<option selected value="([^"]*)"', select_html.group(1))
    return chosen.group(1) if chosen else None


def test_a_new_action_is_prefilled_from_a_missed_target(client, world, make):
    target = make.target(world["lead"], make.metric(code="AVAIL"))
    login(client, world["users"]["vendor_manager"].email)
    page = client.get(f"/actions/new?agreement=UC-HW&target={target.id}&period=2026-03").get_data(
        as_text=True
    )
    assert selected(page, "agreement") == "UC-HW"
    assert selected(page, "target") == str(target.id)
    assert selected(page, "source") == "scorecard"
    assert selected(page, "owner") == str(world["users"]["vendor_manager"].id)
    assert 'name="period" type="text" value="2026-03"' in page


def test_a_prefilled_target_of_another_agreement_is_ignored(client, world, make):
    target = make.target(world["foreign"], make.metric())
    login(client, world["users"]["vendor_manager"].email)
    page = client.get(f"/actions/new?agreement=UC-HW&target={target.id}").get_data(as_text=True)
    assert selected(page, "agreement") == "UC-HW"
    assert selected(page, "target") in ("", None)
    assert selected(page, "source") == "manual"


def test_adding_and_editing_an_action(client, world, session, make):
    target = make.target(world["lead"], make.metric())
    manager = world["users"]["vendor_manager"]
    login(client, manager.email)
    form = {
        "title": "Staff the call peak", "agreement": "UC-HW", "target": str(target.id),
        "period": "2026-03", "owner": str(manager.id), "due_on": "2026-12-01",
        "status": "open", "source": "scorecard",
    }  # fmt: skip
    assert client.post("/actions/new", data=form).status_code == 302
    action = session.scalar(
        select(ImprovementAction).where(ImprovementAction.target_id.isnot(None))
    )
    assert (action.agreement_id, action.period) == (world["lead"].id, "2026-03")
    edited = {**form, "status": "done"}
    assert client.post(f"/actions/{action.id}/edit", data=edited).status_code == 302
    session.expire_all()
    assert action.status == "done"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period": "2026-3"}, "period"),
        ({"title": ""}, "title"),
        ({"due_on": ""}, "due_on"),
        ({"agreement": "UC-NOPE"}, "agreement"),
        ({"target": "999999"}, "target"),
    ],
)
def test_a_refused_action_writes_nothing(client, world, session, change, field):
    manager = world["users"]["vendor_manager"]
    login(client, manager.email)
    form = {"title": "Fix it", "owner": str(manager.id), "due_on": "2026-12-01",
            "status": "open", "source": "manual", **change}  # fmt: skip
    before = (count(session, ImprovementAction), count(session, AuditEntry))
    response = client.post("/actions/new", data=form)
    assert response.status_code == 400
    assert f'id="{field}-errors"' in response.get_data(as_text=True)
    assert (count(session, ImprovementAction), count(session, AuditEntry)) == before


def test_the_plan_marks_overdue_actions_and_filters(client, world, session):
    login(client, world["users"]["procurement"].email)
    page = client.get("/actions").get_data(as_text=True)
    assert page.count("gov-row-overdue") == 4  # all four are open and were due a month ago
    assert "/actions/new" not in page
    world["actions"]["own"].status = "done"
    session.flush()
    overdue = client.get("/actions?status=overdue").get_data(as_text=True)
    assert "Action on own" not in overdue and "Action on foreign" in overdue
    by_agreement = client.get("/actions?agreement=UC-OT").get_data(as_text=True)
    assert "Action on foreign" in by_agreement and "Action on under" not in by_agreement


# ── The agreement page's panels ──────────────────────────────────────────────────────────────
def render_panels(app, user, agreement) -> str:
    from flask import render_template
    from flask_login import login_user

    with app.test_request_context():
        login_user(user)
        return render_template("governance/_agreement_panels.html", agreement=agreement)


def test_panels_for_a_vendor_manager(app, world):
    html = render_panels(app, world["users"]["vendor_manager"], world["lead"])
    assert "Dispute on UC-HW" in html and "Action on own" in html
    assert "/agreements/UC-HW/reviews/new" in html
    assert "/agreements/UC-HW/disputes/new" in html
    assert "/actions/new?agreement=UC-HW" in html
    assert "Overdue" in html  # Action on own was due a month ago


def test_panels_for_the_supplier_on_a_sub_contract_under_its_agreement(app, world):
    html = render_panels(app, world["users"]["supplier"], world["sub"])
    assert 'id="disputes"' not in html and "Dispute on SUB-SZ" not in html
    assert "Action on under" in html
    assert "/new" not in html and "/edit" not in html


def test_an_action_form_shows_every_problem_at_once(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    form = {"title": "", "owner": "", "due_on": "", "status": "open", "source": "nowhere"}
    response = client.post("/actions/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("title", "owner", "due_on", "source"):
        assert f'id="{field}-errors"' in page, field
    assert "Enter a title." in page and "Choose who owns the action." in page


def test_a_review_form_shows_every_problem_at_once(client, world):
    login(client, world["users"]["vendor_manager"].email)
    response = client.post("/agreements/UC-HW/reviews/new", data={"held_on": "", "outcome": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="held_on-errors"' in page and 'id="outcome-errors"' in page
