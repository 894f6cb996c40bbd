"""Scorecard pages in a real browser: the overview, a supplier's scorecard with its trend charts
(ECharts on a canvas, under the portal's CSP), and a supplier's user confined to its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import log_in, log_out

pytestmark = pytest.mark.browser

LOGINS = {role: (email, password) for role, email, password in DEMO_LOGINS}


def _watch_errors(page: Page) -> list[str]:
    """Script errors and CSP refusals (reported on the console) would leave the charts blank."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return errors


def test_a_vendor_manager_reads_the_overview_and_a_scorecard(page: Page, screenshots: Path) -> None:
    errors = _watch_errors(page)
    log_in(page, *LOGINS["vendor_manager"])
    page.goto("/scorecards")
    rows = page.locator("table.sc-overview tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 5
    expect(page.locator("table.sc-overview")).to_contain_text("华为技术有限公司")
    expect(page.locator("svg.sc-spark").first).to_be_visible()
    page.screenshot(path=screenshots / "scorecards-overview.png", full_page=True)

    # Sorting by name, then a filter: the page answers with the rows it says.
    page.locator("th a.sort-link", has_text=re.compile("Supplier", re.I)).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    page.locator("select[name=kind]").select_option("internal")
    page.locator("form.sc-toolbar button[type=submit]").click()
    expect(rows).to_have_count(1)

    page.goto("/scorecards")
    with page.expect_navigation():
        page.locator(".sc-supplier a", has_text="华为技术有限公司").click()
    expect(page).to_have_url(re.compile(r"/scorecards/HUAWEI\?from=\d{4}-\d{2}&to=\d{4}-\d{2}$"))
    expect(page.locator("h1")).to_have_text("华为技术有限公司")
    expect(page.locator(".sc-grid").first).to_be_visible()
    canvas = page.locator(".sc-chart canvas").first
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 150
    # The canvas has been drawn on: some of its pixels are not blank.
    painted = canvas.evaluate(
        """canvas => {
            const pixels = canvas.getContext("2d")
                .getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) return true; }
            return false;
        }"""
    )
    assert painted
    page.screenshot(path=screenshots / "scorecards-supplier.png", full_page=True)
    assert errors == []
    log_out(page)


def test_a_supplier_user_sees_only_its_own_scorecard(page: Page, screenshots: Path) -> None:
    log_in(page, *LOGINS["supplier"])
    page.goto("/scorecards")
    expect(page).to_have_url(re.compile(r"/scorecards/HUAWEI(\?|$)"))
    expect(page.locator("h1")).to_have_text("华为技术有限公司")
    expect(page.locator(".sc-chart canvas").first).to_be_visible()
    expect(page.locator("a.sc-raise")).to_have_count(0)
    page.screenshot(path=screenshots / "scorecards-supplier-own.png", full_page=True)
    for code in ("CLOUDCO", "SZDC"):
        response = page.goto(f"/scorecards/{code}")
        assert response is not None and response.status == 404
    log_out(page)
