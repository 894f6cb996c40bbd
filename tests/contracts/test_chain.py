"""The supply chain loaded from the database: alignment JSON (CLI and API), trees, what-if,
the text table, and a fixed number of SQL statements whatever the portfolio's size."""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal as D

import pytest
from sqlalchemy import event

from contracts import accounts
from contracts.chain import load_chain, what_if
from contracts.chain_trees import build_trees
from contracts.models import Link
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES


@pytest.fixture
def example(session):
    document = json.loads((EXAMPLES / "portfolio.json").read_text(encoding="utf-8"))
    import_portfolio(session, document)
    session.flush()
    return json.loads((EXAMPLES / "expected/alignment.json").read_text(encoding="utf-8"))


def _matches_expected(document, expected):
    items = document["items"]
    assert [(i["agreement"], i["metric"], i["service"]) for i in items] == [
        (e["agreement"], e["metric"], e["service"]) for e in expected
    ]
    for item, wanted in zip(items, expected, strict=True):
        assert item["status"] == wanted["status"], item
        assert item["composed"] == wanted["composed"], item
        assert set(item) == {
            "agreement", "metric", "service", "target", "composed", "status", "shortfall", "links"
        }  # fmt: skip


def test_the_cli_gives_the_examples_alignment(example, runner):
    result = runner.invoke(args=["alignment", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    _matches_expected(document, example)
    gap = document["items"][2]
    # OLA-NETOPS FTF 80 against SLA-JZ-NET FTF 85 (weakest, higher): short by 5.
    assert (gap["target"], gap["shortfall"]) == (85, 5)
    assert gap["links"] == [
        {"agreement": "OLA-NETOPS", "metric": "FTF", "service": "NET", "group": None, "target": 80}
    ]
    assert document["items"][0]["shortfall"] == 0


def test_the_api_gives_the_same_document(example, client, make, runner, session):
    token = accounts.create_token(session, make.user("procurement"), "reports").secret
    response = client.get("/api/v1/alignment", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    _matches_expected(response.get_json(), example)
    cli = runner.invoke(args=["alignment", "--format", "json"])
    assert response.get_json() == json.loads(cli.output)


def test_the_api_is_for_the_providers_staff(example, client, make, session):
    supplier = make.supplier(code="OTHER")
    for role, status in (("supplier", 403), ("auditor", 200), ("vendor_manager", 200)):
        user = make.user(role, supplier=supplier if role == "supplier" else None)
        token = accounts.create_token(session, user, "t").secret
        response = client.get("/api/v1/alignment", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == status, role
        if status == 403:
            assert response.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/alignment").status_code == 401


def test_a_bad_format_is_refused(runner):
    result = runner.invoke(args=["alignment", "--format", "xml"])
    assert result.exit_code != 0
    assert "xml" in result.output


def _display_width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_the_text_table_lines_up_with_chinese_names(example, runner, make):
    metric = make.metric("AVAIL2")
    sla = make.agreement("sla", customer=make.customer(name="江南制造集团有限公司"), ref="SLA-江南")
    uc = make.agreement(supplier=make.supplier(name="深圳数据中心"), ref="UC-SZ")
    make.link(make.target(uc, metric, "99.9", service=sla.services[0]), make.target(sla, metric))
    make.target(sla, make.metric("FTF2"), "85")  # nothing underpins it
    result = runner.invoke(args=["alignment", "--format", "text"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    table = lines[: lines.index("")]
    assert len(table) == 2 + 6  # header, rule, the example's four items and the two new ones
    assert table[0].split() == [
        "Agreement", "Party", "Metric", "Service", "Target", "Composed", "Status", "Shortfall"
    ]  # fmt: skip
    assert len({_display_width(line) for line in table}) == 1, table
    assert any("江南制造集团有限公司" in line and "aligned" in line for line in table)
    assert any("SLA-JZ-NET" in line and "gap" in line and "5.00" in line for line in table)
    assert any("SLA-江南" in line and "not_underpinned" in line for line in table)
    assert lines[-1] == "4 aligned, 1 with a gap, 1 not underpinned."


@pytest.fixture
def three_levels(make):
    """SLA AVAIL 99.5 ← UC-A 99.9 and OLA-B 99.7 in series;
    UC-A ← SUB-1 99 and SUB-2 98 (parallel, dc-pair) and SUB-3 99.8 in series."""
    avail = make.metric("AVAIL", unit="%")
    service = make.service("CRM")
    sla = make.agreement("sla", ref="SLA", services=[service])
    lead = make.agreement(ref="UC-A", services=[service])
    ola = make.agreement("ola", ref="OLA-B", services=[service])
    subs = [
        make.agreement("subcontract", ref=f"SUB-{n}", parent=lead, services=[service])
        for n in (1, 2, 3)
    ]
    t = {"SLA": make.target(sla, avail, "99.5"), "UC-A": make.target(lead, avail, "99.9")}
    t["OLA-B"] = make.target(ola, avail, "99.7")
    for sub, value in zip(subs, ("99", "98", "99.8"), strict=True):
        t[sub.ref] = make.target(sub, avail, value)
    make.link(t["UC-A"], t["SLA"])
    make.link(t["OLA-B"], t["SLA"])
    make.link(t["SUB-1"], t["UC-A"], group="dc-pair")
    make.link(t["SUB-2"], t["UC-A"], group="dc-pair")
    make.link(t["SUB-3"], t["UC-A"])
    return t


def test_a_three_level_flow_down_from_the_database(session, three_levels):
    chain = load_chain(session)
    (root,) = build_trees(chain, chain.alignment())
    # 100 × 0.999 × 0.997 = 99.6003 ≥ 99.5
    assert (root.status, root.item.composed) == ("aligned", D("99.6003"))
    assert [[n.target.info.agreement for n in b.nodes] for b in root.branches] == [
        ["OLA-B"],
        ["UC-A"],
    ]
    lead = root.branches[1].nodes[0]
    # dc-pair: 1 − 0.01 × 0.02 = 0.9998; in series with 0.998: 99.78004 < 99.9
    assert lead.status == "gap"
    assert lead.item.composed == D("99.78004")
    assert lead.item.shortfall == D("0.11996")
    assert [(b.group, [n.target.info.agreement for n in b.nodes]) for b in lead.branches] == [
        ("dc-pair", ["SUB-1", "SUB-2"]),
        (None, ["SUB-3"]),
    ]
    assert all(n.status is None for b in lead.branches for n in b.nodes)  # leaves


def test_a_cycle_in_the_links_is_drawn_once_and_not_followed(session, make, three_levels):
    session.add(Link(lower=three_levels["UC-A"], upper=three_levels["SUB-3"]))
    session.flush()
    chain = load_chain(session)
    (root,) = build_trees(chain, chain.alignment())
    sub3 = root.branches[1].nodes[0].branches[1].nodes[0]
    (again,) = [node for branch in sub3.branches for node in branch.nodes]
    assert again.cycle and again.target.info.agreement == "UC-A" and not again.branches


def test_what_if_reports_the_changes_by_hand(session, three_levels):
    chain = load_chain(session)
    result = what_if(
        chain, {three_levels["SUB-3"].id: D("99.95"), three_levels["OLA-B"].id: D("99")}
    )
    changes = {(c.after.agreement, c.after.status): c for c in result.changes}
    sla = changes[("SLA", "gap")]
    # 100 × 0.999 × 0.99 = 98.901 → short of 99.5 by 0.599
    assert (sla.before.status, sla.before.composed, sla.before.shortfall) == (
        "aligned",
        D("99.6003"),
        D("0"),
    )
    assert (sla.after.composed, sla.after.shortfall) == (D("98.901"), D("0.599"))
    assert sla.composed_delta == D("-0.6993") and sla.status_changed
    lead = changes[("UC-A", "aligned")]
    # 0.9998 × 0.9995 = 0.99930010 → 99.930010 ≥ 99.9
    assert lead.before.status == "gap" and lead.after.composed == D("99.930010")
    assert lead.after.shortfall == 0
    assert [c.kind for c in result.changes] == ["sla", "underpinning"]
    assert chain.alignment() == result.before  # nothing changed in the chain itself


def test_what_if_refuses_a_customer_target(session, three_levels):
    with pytest.raises(ValueError, match="not a supplier target"):
        what_if(load_chain(session), {three_levels["SLA"].id: D("90")})


def _portfolio(make, agreements):
    """Pairs of a customer SLA and the contract that underpins it."""
    metric = make.metric(unit="%")
    for _ in range(agreements // 2):
        sla = make.agreement("sla")
        uc = make.agreement(services=sla.services)
        make.link(make.target(uc, metric, "99.9"), make.target(sla, metric, "99.5"), group="pair")


def _statements_to_load(session):
    session.flush()
    session.expunge_all()
    statements = []
    connection = session.connection()

    def count(*args):
        statements.append(args[2])

    event.listen(connection, "before_cursor_execute", count)
    try:
        chain = load_chain(session)
        build_trees(chain, chain.alignment())
    finally:
        event.remove(connection, "before_cursor_execute", count)
    return len(statements), len(chain.targets)


def test_loading_takes_the_same_statements_for_2_or_20_agreements(session, make):
    _portfolio(make, 2)
    small, small_targets = _statements_to_load(session)
    _portfolio(make, 20)
    large, large_targets = _statements_to_load(session)
    assert large_targets > small_targets * 5
    # customers, suppliers, agreements, metrics, services, targets, links
    assert small == large == 7
