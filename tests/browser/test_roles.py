"""Each demo login: log in, land on the dashboard, see only the navigation the role may use."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import log_in, log_out

pytestmark = pytest.mark.browser

USERS_LINK = "a[href$='/admin/users']"


@pytest.mark.parametrize(
    ("role", "email", "password"), DEMO_LOGINS, ids=[role for role, *_ in DEMO_LOGINS]
)
def test_demo_login_sees_its_dashboard_and_navigation(
    page: Page, screenshots: Path, role: str, email: str, password: str
) -> None:
    log_in(page, email, password)
    nav = page.locator("nav").first
    expect(nav).to_be_visible()
    expect(nav.locator(USERS_LINK)).to_have_count(1 if role == "admin" else 0)
    for href in _local_links(nav):
        response = page.request.get(href)
        assert response.status < 400, f"{role} is offered {href}, which answers {response.status}"
    page.screenshot(path=screenshots / f"dashboard-{role}.png", full_page=True)
    log_out(page)


def _local_links(nav: Locator) -> list[str]:
    hrefs = nav.locator("a[href^='/']").evaluate_all("links => links.map(a => a.href)")
    return sorted(set(hrefs))
