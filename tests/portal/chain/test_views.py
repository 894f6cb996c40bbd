"""The supply-chain page /chain: the picture, filters, the what-if panel and who may use them."""

from __future__ import annotations

import re

import pytest

from contracts.models import Target
from tests.conftest import login
from tests.contracts.test_chain import three_levels  # noqa: F401  (fixture)


@pytest.fixture
def chain(make, three_levels):  # noqa: F811
    """The three-level chain, plus a second customer's SLA that nothing underpins."""
    other = make.agreement("sla", ref="SLA-JZ", customer=make.customer("JZ", name="江南制造"))
    make.target(other, make.metric("FTF", composition="weakest"), "85")
    return three_levels


def _field(target: Target) -> str:
    return f"target_{target.id}"


def _as(client, make, role):
    login(client, make.user(role).email)


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/chain")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        ("admin", 200, 200),
        ("vendor_manager", 200, 200),
        ("procurement", 200, 403),
        ("auditor", 200, 403),
        ("supplier", 403, 403),
    ],
)
def test_who_may_see_the_chain_and_try_values(client, make, chain, role, get, post):
    user = make.user(role, supplier=make.supplier() if role == "supplier" else None)
    login(client, user.email)
    assert client.get("/chain").status_code == get
    assert client.post("/chain", data={}).status_code == post
    page = client.get("/chain").get_data(as_text=True) if get == 200 else ""
    assert ("What if" in page) == (post == 200)


def test_the_picture_shows_every_level_and_the_redundancy_group(client, make, chain):
    _as(client, make, "auditor")
    page = client.get("/chain").get_data(as_text=True)
    for ref in ("SLA", "UC-A", "OLA-B", "SUB-1", "SUB-2", "SUB-3", "SLA-JZ"):
        assert f">{ref}<" in page
    group = page[page.index('class="ctree-group"') :]
    group = group[: group.index("</ul>")]
    assert "parallel: dc-pair" in group
    assert ">SUB-1<" in group and ">SUB-2<" in group and ">SUB-3<" not in group
    # the lead contract's flow-down gap: short by 99.9 − 99.78004 = 0.11996 → 0.12
    assert "short by 0.12" in page and "composed 99.78" in page
    assert "1 flow-down gap" in page
    assert "not_underpinned" in page and "江南制造" in page
    assert ' style="' not in page and "<script>" not in page


def test_counts_at_the_top_and_gaps_first(client, make, chain):
    _as(client, make, "procurement")
    page = client.get("/chain").get_data(as_text=True)
    counts = dict(
        (status, int(number))
        for status, number in re.findall(
            r'chain-count-(\w+)">\s*<span class="chain-count-number">(\d+)', page
        )
    )
    assert counts == {"gap": 0, "not_underpinned": 1, "aligned": 1}
    assert page.index(">SLA-JZ<") < page.index(">SLA<")  # the not underpinned one first


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("customer=JZ", ["SLA-JZ"], ["UC-A"]),
        ("supplier={supplier}", ["SLA", "SUB-3"], ["SLA-JZ"]),
        ("service=CRM", ["SLA", "UC-A"], ["SLA-JZ"]),
        ("customer=NOBODY", [], ["SLA", "SLA-JZ"]),
    ],
)
def test_filters(client, make, chain, query, shown, hidden):
    _as(client, make, "auditor")
    supplier = chain["SUB-3"].agreement.supplier.code
    page = client.get("/chain?" + query.format(supplier=supplier)).get_data(as_text=True)
    for ref in shown:
        assert f">{ref}<" in page
    for ref in hidden:
        assert f">{ref}<" not in page
    if not shown:
        assert "No customer SLA target matches this filter." in page


def test_the_what_if_form_lists_the_supplier_targets_in_view(client, make, chain):
    _as(client, make, "vendor_manager")
    page = client.get("/chain?customer=" + chain["SLA"].agreement.customer.code).get_data(
        as_text=True
    )
    for ref in ("UC-A", "OLA-B", "SUB-1", "SUB-2", "SUB-3"):
        target = chain[ref]
        value = f'value="{target.target.normalize():f}"'
        assert re.search(rf'name="{_field(target)}"[^>]*{value}', page), ref
    assert f'name="{_field(chain["SLA"])}"' not in page


def test_what_if_shows_the_changes_and_saves_nothing(client, make, chain, session):
    _as(client, make, "vendor_manager")
    response = client.post(
        "/chain",
        data={_field(chain["SUB-3"]): "99.95", _field(chain["OLA-B"]): "99", "unused": "x"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    changes = page[page.index("What would change") : page.index("</table>")]
    # SLA: 100 × 0.999 × 0.99 = 98.901, short of 99.5 by 0.599 (was 99.6003, aligned)
    assert "99.6003 → <strong>98.901</strong>" in changes
    assert "0 → <strong>0.599</strong>" in changes
    assert "(-0.6993)" in changes
    # UC-A: 100 × 0.9998 × 0.9995 = 99.93001, no longer short (was 0.11996)
    assert "99.78 → <strong>99.93</strong>" in changes
    assert "0.12 → <strong>0</strong>" in changes
    sla_row = changes[changes.index(">SLA<") : changes.index(">UC-A<")]
    assert "status-aligned" in sla_row.split("→")[0] and "status-gap" in sla_row
    assert "was 99.8" in page and "was 99.7" in page  # the picture redrawn with the values
    session.expire_all()
    assert str(session.get(Target, chain["SUB-3"].id).target.normalize()) == "99.8"


def test_what_if_without_a_change(client, make, chain):
    _as(client, make, "admin")
    response = client.post("/chain", data={_field(chain["SUB-3"]): "99.8"})
    assert "You changed no value" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "must be a decimal number"),
        ("100.5", "outside the sane range 0 to 100"),
        ("-1", "outside the sane range"),
    ],
)
def test_bad_values_are_refused_beside_the_field(client, make, chain, value, message):
    _as(client, make, "vendor_manager")
    response = client.post(
        "/chain", data={_field(chain["SUB-3"]): value, _field(chain["OLA-B"]): "99"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = page[page.index(f'id="{_field(chain["SUB-3"])}-errors"') :]
    assert message in errors[: errors.index("</ul>")]
    assert "What would change" not in page


def test_a_draft_agreement_in_the_picture_is_marked_draft(client, make, chain, session):
    chain["SUB-3"].agreement.status = "draft"
    session.flush()
    _as(client, make, "vendor_manager")
    page = client.get("/chain").get_data(as_text=True)
    drafts = re.findall(r'class="cnode-draft"', page)
    assert len(drafts) == 1
    box = page[page.index('href="/agreements/SUB-3">SUB-3</a>') :][:400]
    assert 'class="cnode-draft"' in box and ">Draft<" in box
