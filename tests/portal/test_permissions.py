"""Who may see and change what: the permission matrix (every route × every role) and `can`.

Which route each role may open is tests/portal/test_access.py's one table.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contracts.models import Agreement, Dispute, Supplier
from portal.permissions import agreement_scope, can, supplier_scope

ROLES = ("admin", "vendor_manager", "procurement", "auditor", "supplier")
STAFF = ROLES[:-1]


@pytest.fixture
def people(make):
    supplier = make.supplier(code="HW", name="华为技术有限公司")
    make.agreement(supplier=supplier, ref="UC-HW")
    make.agreement(supplier=make.supplier(code="OT", name="Other Ltd"), ref="UC-OT")
    users = {
        role: make.user(role, supplier=supplier if role == "supplier" else None) for role in ROLES
    }
    users["target"] = make.user("auditor")
    return users


def test_a_deactivated_user_may_do_nothing(people, session):
    user = people["vendor_manager"]
    user.active = False
    assert not can(user, "view_contracts")
    assert not can(user, "edit_contracts")


@pytest.fixture
def chain(make):
    """Two suppliers; HW's contract has a sub-contract placed with SZ."""
    hw = make.supplier(code="HW", name="华为技术有限公司")
    sz = make.supplier(code="SZ", name="深圳数据中心有限公司")
    other = make.supplier(code="OT", name="Other Ltd")
    lead = make.agreement("underpinning", supplier=hw, ref="UC-HW")
    sub = make.agreement("subcontract", supplier=sz, parent=lead, ref="SUB-SZ")
    foreign = make.agreement("underpinning", supplier=other, ref="UC-OT")
    return {"hw": hw, "sz": sz, "other": other, "lead": lead, "sub": sub, "foreign": foreign}


def test_a_supplier_user_sees_its_agreements_and_reads_its_sub_contracts(make, chain):
    user = make.user("supplier", supplier=chain["hw"])
    assert can(user, "view_contracts", chain["lead"])
    assert can(user, "view_contracts", chain["sub"])
    assert not can(user, "view_contracts", chain["foreign"])
    assert can(user, "submit_measurements", chain["lead"])
    assert not can(user, "submit_measurements", chain["sub"])  # read-only
    assert not can(user, "submit_measurements", chain["foreign"])
    assert not can(user, "edit_contracts", chain["lead"])
    assert can(user, "view_contracts", chain["hw"])
    assert not can(user, "view_contracts", chain["other"])


def test_the_sub_contractor_sees_only_its_own_agreement(make, chain):
    user = make.user("supplier", supplier=chain["sz"])
    assert can(user, "view_contracts", chain["sub"])
    assert not can(user, "view_contracts", chain["lead"])
    assert can(user, "submit_measurements", chain["sub"])


def test_disputes_only_on_the_suppliers_own_agreements(make, chain, session):
    from datetime import date

    user = make.user("supplier", supplier=chain["hw"])
    own = Dispute(agreement=chain["lead"], title="Credits for March", raised_on=date(2026, 4, 2))
    under = Dispute(
        agreement=chain["sub"], title="Sub-contract dispute", raised_on=date(2026, 4, 2)
    )
    session.add_all([own, under])
    session.flush()
    assert can(user, "reply_dispute", own)
    assert not can(user, "view_disputes", under)
    assert not can(user, "reply_dispute", under)


def test_list_queries_are_scoped(make, chain, session):
    user = make.user("supplier", supplier=chain["hw"])
    refs = session.scalars(
        select(Agreement.ref).where(agreement_scope(user)).order_by(Agreement.ref)
    ).all()
    assert refs == ["SUB-SZ", "UC-HW"]
    codes = session.scalars(select(Supplier.code).where(supplier_scope(user))).all()
    assert codes == ["HW"]
    manager = make.user("vendor_manager")
    assert len(session.scalars(select(Agreement).where(agreement_scope(manager))).all()) == 3


@pytest.mark.parametrize("role", ["procurement", "auditor"])
def test_readers_change_nothing(make, chain, role):
    user = make.user(role)
    assert can(user, "view_contracts", chain["lead"])
    for permission in (
        "edit_contracts",
        "submit_measurements",
        "review_measurements",
        "manage_users",
        "reply_dispute",
    ):
        assert not can(user, permission, chain["lead"])


def test_only_admin_and_auditor_see_the_audit_log(make):
    allowed = {
        role
        for role in ROLES
        if can(
            make.user(role, supplier=make.supplier() if role == "supplier" else None), "view_audit"
        )
    }
    assert allowed == {"admin", "auditor"}


def test_a_supplier_does_not_see_actions_on_no_agreement(make):
    from contracts.models import ImprovementAction

    user = make.user("supplier", supplier=make.supplier())
    assert not can(user, "view_contracts", ImprovementAction(title="Provider-wide"))


@pytest.mark.parametrize("role", ROLES)
def test_renewals_and_customer_impact_are_for_staff_only(make, chain, role):
    user = make.user(role, supplier=chain["hw"] if role == "supplier" else None)
    staff = role != "supplier"
    for agreement in ("lead", "sub"):  # its own contract, and the sub-contract under it
        assert can(user, "view_renewals", chain[agreement]) is staff
    assert can(user, "view_customers") is staff


def test_a_supplier_sees_only_the_links_above_it_that_it_may_open(make, chain):
    from portal.permissions import visible_underpins

    sla = make.agreement("sla", ref="SLA-CUST")
    metric = make.metric("AVAIL")
    customer = make.target(sla, metric, "99.5")
    lead = make.target(chain["lead"], metric)
    sub = make.target(chain["sub"], metric)
    to_customer, to_lead = make.link(lead, customer), make.link(sub, lead)

    hw = make.user("supplier", supplier=chain["hw"])
    sz = make.user("supplier", supplier=chain["sz"])
    manager = make.user("vendor_manager")
    assert visible_underpins(hw, lead) == ([], 1)  # the customer SLA: counted, not named
    assert visible_underpins(hw, sub) == ([to_lead], 0)  # its own contract above the sub
    assert visible_underpins(sz, sub) == ([], 1)  # the lead supplier's contract
    assert visible_underpins(manager, lead) == ([to_customer], 0)


# ── can() on every kind of object (portal/permissions.py is kept at 100 % branch coverage:
#    make coverage-permissions) ───────────────────────────────────────────────────────────
def test_a_supplier_user_reaches_its_own_objects_only(make, chain, session):
    from contracts.models import DisputeMessage, SupplierContact
    from scorecards.models import Measurement

    hw = make.user("supplier", supplier=chain["hw"])
    other = make.user("supplier", supplier=chain["sz"])
    metric = make.metric()
    foreign_target = make.target(chain["foreign"], metric)
    own_target = make.target(chain["lead"], metric)
    dispute = Dispute(agreement=chain["lead"], title="June", raised_on=chain["lead"].start)
    session.add(dispute)
    objects = {
        "own contact": SupplierContact(supplier=chain["hw"], name="Wang"),
        "other contact": SupplierContact(supplier=chain["sz"], name="Li"),
        "own figure": Measurement(target=own_target, period="2026-06", value=1),
        "other figure": Measurement(target=foreign_target, period="2026-06", value=1),
        "message": DisputeMessage(dispute=dispute, body="Our view"),
    }
    session.add_all([dispute, *objects.values()])
    session.flush()
    assert can(hw, "view_contracts", objects["own contact"])
    assert not can(hw, "view_contracts", objects["other contact"])
    assert can(hw, "view_contracts", objects["own figure"])
    assert not can(hw, "view_contracts", objects["other figure"])
    assert can(hw, "view_disputes", objects["message"])
    assert not can(other, "view_disputes", objects["message"])
    for reference in (metric, make.customer(), make.service()):
        assert can(hw, "view_contracts", reference)  # reference data: read
        assert not can(hw, "edit_contracts", reference)  # never written


def test_a_supplier_user_reaches_its_own_account_and_tokens(make, chain, session):
    from contracts import accounts

    hw = make.user("supplier", supplier=chain["hw"])
    other = make.user("supplier", supplier=chain["hw"])
    own, theirs = (accounts.create_token(session, user, "t").token for user in (hw, other))
    assert can(hw, "own_tokens", hw) and not can(hw, "own_tokens", other)
    assert can(hw, "own_tokens", own) and not can(hw, "own_tokens", theirs)


def test_a_supplier_user_reaches_nothing_the_table_does_not_know(make, chain):
    from portal.audit.models import AuditEntry

    hw = make.user("supplier", supplier=chain["hw"])
    assert not can(hw, "view_contracts", AuditEntry(entity="agreements", entity_id="1"))


def test_a_deactivated_user_has_no_scope(make, chain, session):
    user = make.user("vendor_manager")
    user.active = False
    assert session.scalar(select(Agreement.id).where(agreement_scope(user))) is None
    assert session.scalar(select(Supplier.id).where(supplier_scope(user))) is None


def test_a_role_that_sees_renewals_but_not_customers_gets_no_impact(make, monkeypatch):
    from portal import permissions
    from scorecards.scorecard import Scorecard

    monkeypatch.setitem(permissions.PERMISSIONS, "view_customers", ("admin",))
    card = Scorecard("HW", "Huawei", "2026-01", "2026-06", None, "none", ["kept"], ["at risk"])
    shown = permissions.visible_scorecard(make.user("vendor_manager"), card)
    assert (shown.agreements, shown.impact) == (["kept"], [])


def test_staff_see_a_scorecard_whole_and_a_supplier_without_the_providers_judgement(make):
    from dataclasses import dataclass

    from portal.permissions import visible_scorecard
    from scorecards.scorecard import Scorecard

    @dataclass(frozen=True)
    class Line:  # an agreement's line on the card: what visible_scorecard replaces
        recommendation: str | None
        term_score: int | None

    card = Scorecard(
        "HW", "Huawei", "2026-01", "2026-06", None, "none", [Line("renew", 97)], ["at risk"]
    )
    supplier = make.user("supplier", supplier=make.supplier())
    assert visible_scorecard(make.user("procurement"), card) is card
    shown = visible_scorecard(supplier, card)
    assert (shown.agreements, shown.impact) == ([Line(None, None)], [])
