"""Switching the interface to Simplified Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import log_in, log_out

pytestmark = pytest.mark.browser

HAN = re.compile(r"[\u4e00-\u9fff]")


def _text_without_language_choice(region: Locator) -> str:
    # The language menu names 简体中文 in every language; only the rest of the text counts.
    return region.evaluate(
        """element => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll("[name=language]").forEach(choice => choice.remove());
            return copy.innerText;
        }"""
    )


def _choose_language(page: Page, language: str) -> None:
    """Press the language's button (or pick it in a menu and submit)."""
    form = page.locator("form:has([name=language])").first
    button = form.locator(f"button[name=language][value={language}]")
    with page.expect_navigation():
        if button.count():
            button.click()
        else:
            form.locator("select[name=language]").select_option(language)
            form.locator("[type=submit]").first.click()


def test_switching_to_simplified_chinese(page: Page, screenshots: Path) -> None:
    role, email, password = next(login for login in DEMO_LOGINS if login[0] == "vendor_manager")
    page.goto("/login")
    assert not HAN.search(_text_without_language_choice(page.locator("body")))

    _choose_language(page, "zh_Hans_CN")
    assert HAN.search(_text_without_language_choice(page.locator("body")))
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))

    log_in(page, email, password)
    nav = page.locator("nav").first
    assert HAN.search(_text_without_language_choice(nav))
    page.screenshot(path=screenshots / f"dashboard-{role}-zh.png", full_page=True)
    log_out(page)
