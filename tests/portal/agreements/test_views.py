"""Agreement pages: who may open what, forms that refuse bad input, change control on the web."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from contracts.models import Agreement, ChangeRecord, Link
from portal.audit.models import AuditEntry
from tests.conftest import fix_clock, login

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
EDITORS = ("admin", "vendor_manager")

# (method, path); {ref} is an agreement of the supplier user's own supplier.
READS = [
    ("GET", "/agreements"),
    ("GET", "/agreements/{ref}"),
    ("GET", "/agreements/{ref}/changes/2"),
]
WRITES = [
    ("GET", "/agreements/new"),
    ("POST", "/agreements/new"),
    ("GET", "/agreements/{ref}/edit"),
    ("POST", "/agreements/{ref}/edit"),
    ("GET", "/agreements/{ref}/status"),
    ("POST", "/agreements/{ref}/status"),
    ("GET", "/agreements/{ref}/targets/new"),
    ("POST", "/agreements/{ref}/targets/new"),
    ("GET", "/agreements/{ref}/targets/AVAIL/CRM/edit"),
    ("POST", "/agreements/{ref}/targets/AVAIL/CRM/edit"),
    ("POST", "/agreements/{ref}/targets/AVAIL/CRM/remove"),
    ("GET", "/agreements/{ref}/targets/AVAIL/CRM/links/new"),
    ("POST", "/agreements/{ref}/targets/AVAIL/CRM/links/new"),
    ("GET", "/agreements/{ref}/links/{link_id}/remove"),
    ("POST", "/agreements/{ref}/links/{link_id}/remove"),
]


@pytest.fixture
def world(make, session):
    avail = make.metric("AVAIL")
    crm = make.service("CRM")
    hw = make.supplier(code="HW", name="华为技术有限公司")
    other = make.supplier(code="OT", name="Other & <Sons>")
    sla = make.agreement("sla", ref="SLA-1", services=[crm])
    lead = make.agreement("underpinning", supplier=hw, ref="UC-HW", services=[crm])
    sub = make.agreement("subcontract", parent=lead, ref="SUB-HW", services=[crm])
    foreign = make.agreement("underpinning", supplier=other, ref="UC-OT", services=[crm])
    t_sla = make.target(sla, avail, "99.5")
    t_lead = make.target(lead, avail, "99.9")
    t_sub = make.target(sub, avail, "99.95")
    t_foreign = make.target(foreign, avail, "99.9")
    links = {
        "lead": make.link(t_lead, t_sla),
        "sub": make.link(t_sub, t_lead),
        "foreign": make.link(t_foreign, t_sla),
    }
    for agreement in (lead, sub, foreign, sla):
        session.add(
            ChangeRecord(
                agreement=agreement, version=2, reason="r", impact="i", approver="a", changes=[]
            )
        )
    session.flush()
    users = {role: make.user(role, supplier=hw if role == "supplier" else None) for role in ROLES}
    return {
        "users": users,
        "links": links,
        "lead": lead,
        "sub": sub,
        "foreign": foreign,
        "sla": sla,
    }


def _url(path, ref, link_id):
    return path.format(ref=ref, link_id=link_id)


@pytest.mark.parametrize(("method", "path"), READS + WRITES)
def test_anonymous_visitors_are_sent_to_the_login(client, world, method, path):
    response = client.open(_url(path, "UC-HW", world["links"]["lead"].id), method=method)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), READS)
def test_everyone_reads_what_is_in_scope(client, world, role, method, path):
    login(client, world["users"][role].email)
    assert client.open(_url(path, "UC-HW", 0), method=method).status_code == 200
    assert client.open(_url(path, "SUB-HW", 0), method=method).status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), WRITES)
def test_only_editors_write(client, world, role, method, path):
    login(client, world["users"][role].email)
    response = client.open(_url(path, "UC-HW", world["links"]["lead"].id), method=method, data={})
    if role in EDITORS:
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), READS[1:] + WRITES[2:])
@pytest.mark.parametrize("ref", ["UC-OT", "SLA-1", "NO-SUCH-REF", "UC-ot"])
def test_a_supplier_user_never_reaches_another_suppliers_agreement(
    client, world, method, path, ref
):
    login(client, world["users"]["supplier"].email)
    url = _url(path, ref, world["links"]["foreign"].id)
    assert client.open(url, method=method, data={}).status_code == 404


@pytest.mark.parametrize(("method", "path"), WRITES[2:])
def test_a_supplier_user_reads_its_sub_contracts_but_changes_nothing(client, world, method, path):
    login(client, world["users"]["supplier"].email)
    url = _url(path, "SUB-HW", world["links"]["sub"].id)
    assert client.open(url, method=method, data={}).status_code == 403


def test_a_supplier_user_lists_only_its_agreements(client, world):
    login(client, world["users"]["supplier"].email)
    page = client.get("/agreements").get_data(as_text=True)
    assert "UC-HW" in page and "SUB-HW" in page
    assert "UC-OT" not in page and "SLA-1" not in page
    assert "SLA-1" not in client.get("/agreements/UC-HW").get_data(as_text=True)


def test_the_list_searches_and_filters(client, world):
    login(client, world["users"]["vendor_manager"].email)
    page = client.get("/agreements", query_string={"q": "华为"}).get_data(as_text=True)
    assert "UC-HW" in page and "UC-OT" not in page
    page = client.get("/agreements", query_string={"kind": "sla"}).get_data(as_text=True)
    assert "SLA-1" in page and "UC-HW" not in page
    page = client.get("/agreements", query_string={"incomplete": "1", "sort": "-ref"})
    assert "UC-OT" in page.get_data(as_text=True)


def test_names_render_as_text(client, world):
    login(client, world["users"]["vendor_manager"].email)
    page = client.get("/agreements/UC-OT").get_data(as_text=True)
    assert "Other &amp; &lt;Sons&gt;" in page
    assert "<Sons>" not in page


def _form(agreement_ref="UC-NEW", **changes):
    form = {
        "ref": agreement_ref,
        "kind": "underpinning",
        "title": 'New <b>"deal"</b> & more',
        "supplier": "HW",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "notice_days": "30",
        "services": ["CRM"],
        "monthly_charge": "1200.50",
        "currency": "CNY",
    }
    form.update(changes)
    return form


def _counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Agreement, ChangeRecord, AuditEntry, Link)
    )


def test_create_then_change_under_control(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    response = client.post("/agreements/new", data=_form())
    assert response.status_code == 302
    page = client.get("/agreements/UC-NEW").get_data(as_text=True)
    assert "New &lt;b&gt;&#34;deal&#34;&lt;/b&gt; &amp; more" in page
    assert (
        client.post(
            "/agreements/UC-NEW/targets/new",
            data={"metric": "AVAIL", "target": "99.9", "weight": "1", "credit_pct": "5"},
        ).status_code
        == 302
    )
    sla_target = world["sla"].targets[0]
    response = client.post(
        "/agreements/UC-NEW/targets/AVAIL/CRM/links/new",
        data={"upper": str(sla_target.id), "group": "a"},
    )
    assert response.status_code == 302
    response = client.post(
        "/agreements/UC-NEW/status",
        data={"status": "active", "reason": "Signed", "impact": "None", "approver": "CIO"},
    )
    assert response.status_code == 302
    before = _counts(session)
    response = client.post("/agreements/UC-NEW/edit", data=_form(title="Renamed"))
    assert response.status_code == 400
    assert "Give the reason for this change." in response.get_data(as_text=True)
    assert _counts(session) == before
    response = client.post(
        "/agreements/UC-NEW/edit",
        data=_form(title="Renamed", reason="Scope grew", impact="Low", approver="CIO"),
    )
    assert response.status_code == 302
    agreement = session.scalar(select(Agreement).where(Agreement.ref == "UC-NEW"))
    session.refresh(agreement)
    assert (agreement.title, agreement.version) == ("Renamed", 2)
    page = client.get("/agreements/UC-NEW/changes/2").get_data(as_text=True)
    assert "Scope grew" in page and "Renamed" in page
    assert "New &lt;b&gt;&#34;deal&#34;&lt;/b&gt; &amp; more" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2025-01-01"}, "The agreement ends before it starts (2026-01-01)."),
        ({"ref": "UC-HW"}, "An agreement UC-HW exists already."),
        ({"kind": "sla"}, "A customer SLA&#39;s party is a customer: choose one."),
        ({"credit_cap_pct": "120"}, "must be between 0 and 100"),
    ],
)
def test_a_refused_form_shows_the_message_and_writes_nothing(
    client, world, session, changes, message
):
    login(client, world["users"]["vendor_manager"].email)
    before = _counts(session)
    response = client.post("/agreements/new", data=_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _counts(session) == before


def test_a_refused_link_names_both_targets(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    lead_target = world["lead"].targets[0]
    response = client.post(
        "/agreements/SUB-HW/targets/AVAIL/CRM/links/new",
        data={"upper": str(lead_target.id)},
    )
    assert response.status_code == 400
    assert "SUB-HW AVAIL/CRM underpins UC-HW AVAIL/CRM already." in response.get_data(as_text=True)


def test_a_bad_weight_is_shown_beside_its_field(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    response = client.post(
        "/agreements/UC-HW/targets/AVAIL/CRM/edit",
        data={
            "target": "99.9",
            "weight": "0",
            "credit_pct": "0",
            "reason": "r",
            "impact": "i",
            "approver": "a",
        },
    )
    assert response.status_code == 400
    assert 'id="weight-errors"' in response.get_data(as_text=True)


def test_every_problem_of_a_form_shows_at_once(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    before = _counts(session)
    response = client.post(
        "/agreements/new",
        data=_form(end="2025-01-01", monthly_charge="-1", credit_cap_pct="-5"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The agreement ends before it starts (2026-01-01)." in page
    assert "must not be negative" in page
    assert "must be between 0 and 100" in page
    assert _counts(session) == before


def test_a_change_without_reason_impact_or_approver_names_all_three(client, world, session):
    login(client, world["users"]["vendor_manager"].email)
    world["lead"].status = "active"
    session.flush()
    before = _counts(session)
    response = client.post(
        "/agreements/UC-HW/targets/AVAIL/CRM/edit",
        data={"target": "99.95", "weight": "1", "credit_pct": "0"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the reason for this change." in page
    assert "Give the impact assessment of this change." in page
    assert "Name who approved this change." in page
    assert _counts(session) == before


def test_a_customer_sla_target_has_no_link_form(client, world):
    login(client, world["users"]["vendor_manager"].email)
    assert client.get("/agreements/SLA-1/targets/AVAIL/CRM/links/new").status_code == 404
    assert client.post("/agreements/SLA-1/targets/AVAIL/CRM/links/new", data={}).status_code == 404


def test_the_list_filters_notice_deadlines_and_expiries_in_the_next_90_days(
    client, world, session, monkeypatch
):
    today = date(2026, 7, 15)
    fix_clock(monkeypatch, today)
    world["lead"].end, world["lead"].notice_days = today + timedelta(days=120), 60  # notice in 60
    world["foreign"].end, world["foreign"].notice_days = today + timedelta(days=30), 0
    world["sub"].end = today + timedelta(days=400)
    session.flush()
    login(client, world["users"]["procurement"].email)

    def refs(due):
        page = client.get(f"/agreements?due={due}").get_data(as_text=True)
        return {ref for ref in ("UC-HW", "UC-OT", "SUB-HW", "SLA-1") if f">{ref}<" in page}

    assert refs("notice") == {"UC-HW", "UC-OT"}
    assert refs("expiry") == {"UC-OT"}
    dashboard = client.get("/").get_data(as_text=True)
    assert "/agreements?due=notice" in dashboard and "/agreements?due=expiry" in dashboard
