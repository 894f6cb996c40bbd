"""A supplier's user submits a month by the form, then by the template it downloaded."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

SUPPLIER = next((email, password) for role, email, password in DEMO_LOGINS if role == "supplier")
TARGET = re.compile(r"[≥≤]\s*([0-9.]+)")


def _targets(page: Page) -> list[str]:
    """Each due target's own value, in the order of the form (and of the template)."""
    texts = page.locator(".submissions-target").all_inner_texts()
    return [TARGET.search(text).group(1) for text in texts]


def test_a_supplier_submits_by_the_form_and_by_the_template(page: Page, screenshots, tmp_path):
    log_in(page, *SUPPLIER)
    page.get_by_role("link", name="Monthly figures").click()
    expect(page.locator("h1")).to_have_text("Monthly figures")
    targets = _targets(page)
    assert targets, "the demo supplier has figures due last month"
    first_row = page.locator(".submissions-table tbody tr[id^=target-]").first
    first_row.get_by_label("Value").fill(targets[0])
    first_row.get_by_label("Comment").fill("浏览器提交：按目标完成")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit figures").click()
    expect(page.locator(".flash")).to_contain_text("saved as a new revision")
    expect(first_row).to_contain_text("浏览器提交：按目标完成")
    page.screenshot(path=str(screenshots / "submissions-form.png"), full_page=True)

    with page.expect_navigation():
        page.locator("a[rel=prev]").click()
    targets = _targets(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download template (XLSX)").click()
    template = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.active
    assert sheet.max_row - 1 == len(targets)
    for row, target in enumerate(targets, start=2):
        sheet.cell(row, 5).value = float(target)
        sheet.cell(row, 6).value = "模板上传"
    filled = io.BytesIO()
    workbook.save(filled)
    page.locator("#upload-file").set_input_files(
        {
            "name": "figures.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": filled.getvalue(),
        }
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and submit").click()
    expect(page.locator(".flash")).to_contain_text(f"Imported {len(targets)} figure")
    expect(page.locator(".submissions-latest").first).to_contain_text("模板上传")
    page.screenshot(path=str(screenshots / "submissions-template.png"), full_page=True)
