"""The front door in a real browser: wrong codes are refused with the server's reason, in the
page's language; the pages load nothing from any other host."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PHONE


def test_a_wrong_team_code_is_refused_with_the_reason(open_context: Any, lang: str) -> None:
    page = open_context(lang).new_page()
    page.goto("/")
    heading = page.locator("#join h2")
    assert heading.inner_text() == ("Join your team" if lang == "en" else "加入你的团队")
    page.fill("#join input[name=code]", "NOSUCH22")
    page.fill("#join input[name=name]", "Mei")
    page.click("#join button[type=submit]")
    expect(page.locator("#join .form-message")).to_contain_text("no team has this join code")
    assert page.url.endswith("/")


def test_the_language_switches_and_is_remembered(open_context: Any) -> None:
    page = open_context("en", PHONE).new_page()
    page.goto("/")
    page.click("#lang")
    assert page.locator("#instructor h2").inner_text() == "教师"
    page.reload()
    assert page.locator("#instructor h2").inner_text() == "教师"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
