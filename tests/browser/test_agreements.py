"""The vendor manager's agreement work in a real browser: create, target, link, activate, change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

MANAGER = next(
    (email, password) for role, email, password in DEMO_LOGINS if role == "vendor_manager"
)


def _submit(page: Page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


def test_a_vendor_manager_creates_links_activates_and_changes_an_agreement(page: Page, screenshots):
    log_in(page, *MANAGER)
    page.goto("/agreements/new")
    page.get_by_label("Reference", exact=True).fill("UC-CLOUDCO-EDGE")
    page.get_by_label("Kind").select_option("underpinning")
    page.get_by_label("Title", exact=True).fill('Edge hosting <CDN> & "cache"')
    page.get_by_label("Supplier", exact=True).select_option("CLOUDCO")
    page.get_by_label("Start", exact=True).fill("2026-01-01")
    page.get_by_label("End", exact=True).fill("2027-12-31")
    page.get_by_label(re.compile(r"^CRM")).check()
    page.get_by_label("Monthly charge", exact=True).fill("5000")
    page.get_by_label("Scope", exact=True).fill("Edge caching for the CRM platform")
    _submit(page, "Create draft")
    expect(page.locator(".flash-success")).to_contain_text("UC-CLOUDCO-EDGE")
    expect(page.locator("h1")).to_contain_text('Edge hosting <CDN> & "cache"')

    page.get_by_role("link", name="Add target").click()
    page.get_by_label("Metric").select_option("AVAIL")
    page.get_by_label("Target value").fill("99.95")
    page.get_by_label("Weight").fill("2")
    _submit(page, "Add target")
    expect(page.locator("#targets")).to_contain_text("AVAIL/CRM")

    page.get_by_role("link", name="Link to a target above").click()
    option = page.locator("#upper option", has_text="SLA-ACME-CRM AVAIL/CRM")
    page.get_by_label("Underpins").select_option(option.get_attribute("value"))
    page.get_by_label("Redundancy group").fill("edge")
    _submit(page, "Add link")
    expect(page.locator("#targets")).to_contain_text("SLA-ACME-CRM")
    expect(page.locator("#targets")).to_contain_text("group edge")

    page.get_by_role("link", name="Change status").click()
    page.get_by_label("New status").select_option("active")
    page.get_by_label("Reason for the change").fill("Contract signed")
    page.get_by_label("Impact assessment").fill("Adds an edge path to CRM availability")
    page.get_by_label("Approved by").fill("Head of IT Procurement")
    _submit(page, "Change status")
    expect(page.locator(".page-subtitle")).to_contain_text("Active")

    page.get_by_role("link", name="Edit", exact=True).first.click()
    page.get_by_label("Monthly charge", exact=True).fill("4500")
    _submit(page, "Save")
    expect(page.locator("#reason-errors")).to_contain_text("Give the reason for this change.")
    page.get_by_label("Reason for the change").fill("Volume discount")
    page.get_by_label("Impact assessment").fill("Lower cost, no service change")
    page.get_by_label("Approved by").fill("Head of IT Procurement")
    _submit(page, "Save")
    expect(page.locator(".flash-success")).to_contain_text("version 2")

    page.get_by_role("link", name="v2").click()
    expect(page.locator(".change-table")).to_contain_text("5000")
    expect(page.locator(".change-table")).to_contain_text("4500")
    page.screenshot(path=str(screenshots / "agreements-change-record.png"), full_page=True)
