"""The vendor manager's review queue in a real browser: reject one figure with a reason,
accept another."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

MANAGER = next(
    (email, password) for role, email, password in DEMO_LOGINS if role == "vendor_manager"
)


def test_a_vendor_manager_rejects_one_figure_and_accepts_another(page: Page, screenshots):
    log_in(page, *MANAGER)
    page.get_by_role("link", name="Open the review queue").click()
    expect(page.locator("h1")).to_have_text("Review queue")
    rows = page.locator("table.review-table tbody tr")
    expect(rows.first).to_be_visible()
    waiting = rows.count()
    first_id = rows.nth(0).get_attribute("id").removeprefix("figure-")
    second_id = rows.nth(1).get_attribute("id").removeprefix("figure-")

    first = page.locator(f"#figure-{first_id}")
    first.get_by_text("Reject…").click()
    first.get_by_label("Reason").fill("The incident report shows 4 h of outage on the 14th.")
    page.screenshot(path=str(screenshots / "review-reject.png"), full_page=True)
    with page.expect_navigation():
        first.get_by_role("button", name=f"Reject figure {first_id}").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Figure {first_id} rejected")
    expect(page.locator(f"#figure-{first_id}")).to_have_count(0)

    with page.expect_navigation():
        page.get_by_role("button", name=f"Accept figure {second_id}").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Figure {second_id} accepted")
    expect(page.locator(f"#figure-{second_id}")).to_have_count(0)
    expect(rows).to_have_count(min(waiting - 2, 50))
    page.screenshot(path=str(screenshots / "review-queue.png"), full_page=True)
