"""The scorecard pages: /scorecards (portfolio overview) and /scorecards/<code> (one supplier).

The numbers are the example portfolio's, worked out by hand in tests/examples/expected/:
CLOUDCO over 2026-01..2026-06 scores 66.67 (AVAIL 4 of 6 met, RESOLVE_P1 4 of 6, equal
weights), red; March misses both targets, June's AVAIL figure is missing; credits are
40,000 × 8 % in March and in June = 6,400.00 USD; SZDC scores 75.00 (red), NETOPS 100.00 (green).
"""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from contracts.models import Agreement, Supplier, Target
from scorecards.portfolio import import_portfolio
from tests import EXAMPLES
from tests.conftest import login

WINDOW = {"from": "2026-01", "to": "2026-06"}


@pytest.fixture
def example(session):
    import_portfolio(session, json.loads((EXAMPLES / "portfolio.json").read_text("utf-8")))
    session.flush()


def _as(client, make, role, supplier_code=None, session=None):
    supplier = None
    if supplier_code:
        supplier = session.scalar(select(Supplier).where(Supplier.code == supplier_code))
    login(client, make.user(role, supplier=supplier).email)


def _page(client, url, **args):
    response = client.get(url, query_string=args)
    return response, html.unescape(response.get_data(as_text=True))


def _section(text, start, end):
    """The part of the page between two markers (both must be there)."""
    head = text.index(start)
    return text[head : text.index(end, head)]


def _rows(text):
    """Overview rows as (supplier code, score, rating) in page order."""
    return re.findall(
        r'<tr class="sc-row-(\w+)">.*?<span class="code">(\w+)</span>.*?'
        r'<td class="number sc-score">([^<]+)</td>',
        text,
        re.S,
    )


# ── Access ────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("url", ["/scorecards", "/scorecards/CLOUDCO", "/scorecards/CLOUDCO.json"])
def test_anonymous_visitors_are_sent_to_the_login(client, example, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["admin", "vendor_manager", "procurement", "auditor"])
def test_staff_see_the_overview_and_every_scorecard(client, make, session, example, role):
    _as(client, make, role)
    assert client.get("/scorecards", query_string=WINDOW).status_code == 200
    for code in ("CLOUDCO", "SZDC", "NETOPS"):
        assert client.get(f"/scorecards/{code}", query_string=WINDOW).status_code == 200


def test_a_supplier_user_sees_only_its_own_scorecard(client, make, session, example):
    _as(client, make, "supplier", "SZDC", session)
    response, text = _page(client, "/scorecards/SZDC", **WINDOW)
    assert response.status_code == 200 and "深圳数据中心有限公司" in text
    for code in ("CLOUDCO", "NETOPS", "NOSUCH"):
        assert client.get(f"/scorecards/{code}", query_string=WINDOW).status_code == 404
        assert client.get(f"/scorecards/{code}.json", query_string=WINDOW).status_code == 404


def test_the_overview_sends_a_supplier_user_to_its_own_scorecard(client, make, session, example):
    _as(client, make, "supplier", "SZDC", session)
    response = client.get("/scorecards", query_string=WINDOW)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert (
        "/scorecards/SZDC" in location and "from=2026-01" in location and "to=2026-06" in location
    )


# ── The supplier scorecard ────────────────────────────────────────────────────────────────
def test_cloudco_scorecard_numbers(client, make, session, example):
    _as(client, make, "procurement")
    response, text = _page(client, "/scorecards/CLOUDCO", **WINDOW)
    assert response.status_code == 200
    headline = _section(text, 'class="sc-headline"', "</section>")
    assert '<span class="sc-figure-number">66.67</span>' in headline
    assert "sc-figure-red" in headline and "status-red" in headline and ">■<" in headline
    assert "6,400.00 USD" in headline
    assert "CloudCo Hosting Ltd" in text and "UC-CLOUDCO-2026" in text
    # Both targets missed in March; June's availability figure is missing (a symbol and a
    # word, not colour alone).
    for metric in ("AVAIL", "RESOLVE_P1"):
        assert f'sc-cell-missed" title="{metric} · 2026-03: Missed"' in text
    assert 'sc-cell-missing" title="AVAIL · 2026-06: Missing"' in text
    assert 'sc-cell-met" title="AVAIL · 2026-01: Met"' in text
    assert "99.87" in _section(text, 'title="AVAIL · 2026-03', "</td>")
    # Attainment 4 of 6 = 66.67 % for each target.
    assert text.count('<span class="sc-attainment-pct">66.67 %</span>') == 2
    # Credits per month: 3,200.00 in March and June, 6,400.00 USD in all.
    credits = _section(text, 'class="sc-credits-row"', "</tr>")
    assert credits.count(">3,200.00<") == 2 and "6,400.00 USD" in credits
    # The renewal recommendation is over the term to date.
    assert "Renegotiate or exit" in text


def test_cloudco_customer_impact_in_march(client, make, session, example):
    _as(client, make, "vendor_manager")
    _, text = _page(client, "/scorecards/CLOUDCO", **WINDOW)
    impact = _section(text, 'id="customer-impact"', "</section>")
    rows = re.findall(r"<tr>(.*?)</tr>", _section(impact, "<tbody>", "</tbody>"), re.S)
    assert len(rows) == 1
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)
    ]
    assert cells[:6] == ["SLA-ACME-CRM", "RESOLVE_P1", "CRM", "2026-03", "9.5", "8"]


def test_chart_data_travels_in_data_attributes(client, make, session, example):
    _as(client, make, "procurement")
    _, text = _page(client, "/scorecards/CLOUDCO", **WINDOW)
    assert "vendor/echarts/echarts.min.js" in text and "js/scorecards.js" in text
    assert "<script>" not in text  # the CSP allows no inline script
    chart = _section(text, '<div class="sc-chart"', "</div>")
    assert 'data-months="2026-01,2026-02,2026-03,2026-04,2026-05,2026-06"' in chart
    assert 'data-values="99.95,99.9,99.87,99.99,99.93,"' in chart  # June: missing
    assert 'data-statuses="met,met,missed,met,met,missing"' in chart
    assert 'data-target="99.9"' in chart and 'data-direction="higher"' in chart


def test_raise_action_links_for_contract_editors_only(client, make, session, example):
    _as(client, make, "vendor_manager")
    _, text = _page(client, "/scorecards/CLOUDCO", **WINDOW)
    avail = session.scalar(
        select(Target)
        .join(Target.agreement)
        .where(Agreement.ref == "UC-CLOUDCO-2026", Target.metric.has(code="AVAIL"))
    )
    links = re.findall(r'<a class="sc-raise" href="([^"]+)"', text)
    assert len(links) == 4  # March × 2, June RESOLVE_P1 missed, June AVAIL missing
    expected = f"/actions/new?agreement=UC-CLOUDCO-2026&target={avail.id}&period=2026-06"
    assert any(link.endswith(expected) for link in links), links


@pytest.mark.parametrize("role", ["procurement", "auditor"])
def test_no_raise_action_links_for_readers(client, make, session, example, role):
    _as(client, make, role)
    _, text = _page(client, "/scorecards/CLOUDCO", **WINDOW)
    assert 'class="sc-raise" href' not in text


def test_no_raise_action_links_for_the_supplier(client, make, session, example):
    _as(client, make, "supplier", "CLOUDCO", session)
    _, text = _page(client, "/scorecards/CLOUDCO", **WINDOW)
    assert "66.67" in text and 'class="sc-raise" href' not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "2026-13", "to": "2026-06"}, "From:"),
        ({"from": "2026-01", "to": "June"}, "To:"),
        ({"from": "2026-06", "to": "2026-01"}, "must not be after the end of the window"),
        ({"from": "1990-01", "to": "2026-06"}, "at most 120 months"),
    ],
)
def test_a_bad_window_is_refused_with_a_message(client, make, session, example, args, message):
    _as(client, make, "vendor_manager")
    for url in ("/scorecards/CLOUDCO", "/scorecards"):
        response, text = _page(client, url, **args)
        assert response.status_code == 400
        assert message in text and 'role="alert"' in text
    assert client.get("/scorecards/CLOUDCO.json", query_string=args).status_code == 400


def test_the_json_is_the_scorecard_of_the_spec(client, make, session, example):
    _as(client, make, "procurement")
    document = client.get("/scorecards/CLOUDCO.json", query_string=WINDOW).get_json()
    assert document["score"] == 66.67 and document["rating"] == "red"
    assert document["credits"] == 6400.0
    assert document["customer_impact"][0]["period"] == "2026-03"


# ── The overview ──────────────────────────────────────────────────────────────────────────
def test_the_overview_lists_every_supplier_worst_first(client, make, session, example):
    _as(client, make, "procurement")
    response, text = _page(client, "/scorecards", **WINDOW)
    assert response.status_code == 200
    assert _rows(text) == [
        ("red", "CLOUDCO", "66.67"),
        ("red", "SZDC", "75.00"),
        ("green", "NETOPS", "100.00"),
    ]
    assert "深圳数据中心有限公司" in text and "6,400.00 USD" in text and "320.00 USD" in text
    assert '<svg class="sc-spark"' in text
    assert "/scorecards/CLOUDCO?from=2026-01&amp;to=2026-06" in response.get_data(as_text=True)
    summary = _section(text, 'class="sc-summary"', "</section>")
    counts = re.findall(r'sc-count-(\w+)">\s*<span class="sc-count-number">(\d+)', summary)
    assert counts == [("red", "2"), ("amber", "0"), ("green", "1"), ("none", "0")]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("-score", ["NETOPS", "SZDC", "CLOUDCO"]),
        ("name", ["CLOUDCO", "NETOPS", "SZDC"]),
        ("-credits", ["CLOUDCO", "SZDC", "NETOPS"]),
        ("credits", ["NETOPS", "SZDC", "CLOUDCO"]),
        ("-missing", ["CLOUDCO", "NETOPS", "SZDC"]),
        ("nonsense", ["CLOUDCO", "SZDC", "NETOPS"]),
    ],
)
def test_sorting(client, make, session, example, sort, order):
    _as(client, make, "procurement")
    _, text = _page(client, "/scorecards", sort=sort, **WINDOW)
    assert [code for _, code, _ in _rows(text)] == order


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ({"category": "strategic"}, ["CLOUDCO"]),
        ({"category": "operational"}, ["SZDC"]),
        ({"kind": "internal"}, ["NETOPS"]),
        ({"kind": "external"}, ["CLOUDCO", "SZDC"]),
        ({"kind": "external", "category": "tactical"}, []),
        ({"q": "深圳"}, ["SZDC"]),
    ],
)
def test_filtering(client, make, session, example, args, shown):
    _as(client, make, "vendor_manager")
    response, text = _page(client, "/scorecards", **args, **WINDOW)
    assert response.status_code == 200
    assert [code for _, code, _ in _rows(text)] == shown
    if not shown:
        assert "No supplier matches these filters." in text


def test_the_default_window_is_the_last_twelve_complete_months(client, make, session, example):
    _as(client, make, "procurement")
    response, text = _page(client, "/scorecards")
    assert response.status_code == 200
    assert re.search(r'name="from" value="\d{4}-\d{2}"', text)
