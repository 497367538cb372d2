"""The front door in a real browser: wrong codes and a wrong password are refused with the
reason and what to do, in the page's language; the pages load nothing from any other host."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from server.input.text_rules import name_problem
from tests.browser.conftest import PHONE

WRONG = {  # a refused sign-in (the server's 401), as each form writes it
    "en": {
        "join": "No team has this join code. Check it against your join card",
        "judge": "No competition has this judge code. Check it with the instructor.",
        "instructor": "That is not the instructor password. Try again.",
    },
    "zh": {
        "join": "没有团队使用这个团队码。请对照加入卡核对",
        "judge": "没有比赛使用这个评委码。请向教师核对。",
        "instructor": "教师密码不正确，请重试。",
    },
}


def test_a_wrong_team_code_is_refused_with_the_reason(open_context: Any, lang: str) -> None:
    page = open_context(lang).new_page()
    page.goto("/")
    heading = page.locator("#join h2")
    assert heading.inner_text() == ("Join your team" if lang == "en" else "加入你的团队")
    page.fill("#join input[name=code]", "NOSUCH22")
    page.fill("#join input[name=name]", "Mei")
    page.click("#join button[type=submit]")
    expect(page.locator("#join .form-message")).to_contain_text(WRONG[lang]["join"])
    assert page.url.endswith("/")
    page.fill("#judge input[name=code]", "NOSUCH22")
    page.fill("#judge input[name=name]", "Mei")
    page.click("#judge button[type=submit]")
    expect(page.locator("#judge .form-message")).to_have_text(WRONG[lang]["judge"])
    page.fill("#instructor input[name=password]", "not the password")
    page.click("#instructor button[type=submit]")
    expect(page.locator("#instructor .form-message")).to_have_text(WRONG[lang]["instructor"])
    page.click("#lang")  # the messages follow a change of language
    other = "zh" if lang == "en" else "en"
    expect(page.locator("#judge .form-message")).to_have_text(WRONG[other]["judge"])
    expect(page.locator("#instructor .form-message")).to_have_text(WRONG[other]["instructor"])


def test_an_error_does_not_outlive_what_it_was_about(open_context: Any, lang: str) -> None:
    """Editing the form clears its error; a message of the page follows a change of language."""
    page = open_context(lang).new_page()
    page.goto("/")
    message = page.locator("#join .form-message")
    page.fill("#join input[name=code]", "NOSUCH22")
    page.fill("#join input[name=name]", "Mei")
    page.click("#join button[type=submit]")
    expect(message).to_contain_text(WRONG[lang]["join"])
    page.fill("#join input[name=code]", "NOSUCH23")
    expect(message).to_be_empty()
    page.fill("#join input[name=name]", "Mei\u202eLi")
    page.click("#join button[type=submit]")
    first = "text-direction control" if lang == "en" else "文字方向控制符"
    expect(message).to_contain_text(first)
    page.click("#lang")
    expect(message).to_contain_text("文字方向控制符" if lang == "en" else "text-direction control")


def test_the_language_switches_and_is_remembered(open_context: Any) -> None:
    page = open_context("en", PHONE).new_page()
    page.goto("/")
    page.click("#lang")
    assert page.locator("#instructor h2").inner_text() == "教师"
    page.reload()
    assert page.locator("#instructor h2").inner_text() == "教师"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_a_name_with_a_control_character_is_refused_in_the_page_s_language(
    open_context: Any, lang: str
) -> None:
    """The server refuses it too (in English, naming the field); the page says it first, in its language."""
    page = open_context(lang).new_page()
    page.goto("/")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/api/" in request.url else None)
    page.fill("#join input[name=code]", "NOSUCH22")
    page.fill("#join input[name=name]", "Mei\u202eLi")
    page.click("#join button[type=submit]")
    expected = "text-direction control (U+202E)" if lang == "en" else "文字方向控制符（U+202E）"
    expect(page.locator("#join .form-message")).to_contain_text(expected)
    expect(page.locator("#join .form-message")).to_contain_text("4")  # where: the 4th character
    page.fill("#judge input[name=code]", "NOSUCH22")
    page.fill("#judge input[name=name]", "Zhao\u0007")
    page.click("#judge button[type=submit]")
    expected = "control character (U+0007)" if lang == "en" else "控制字符（U+0007）"
    expect(page.locator("#judge .form-message")).to_contain_text(expected)
    assert sent == [] and page.url.endswith("/")


def test_the_pages_name_rule_is_the_server_s(open_context: Any) -> None:
    """The forms' check (static/common/names.js) refuses exactly what server.input.text_rules refuses,
    for every character of the Basic Multilingual Plane, lone surrogates included."""
    page = open_context("en").new_page()
    page.goto("/")
    flagged = page.evaluate(
        """async () => {
            const { nameProblem } = await import("/static/common/names.js");
            const out = [];
            for (let c = 0; c < 0x10000; c++) {
              if (nameProblem("a" + String.fromCharCode(c) + "b")) out.push(c);
            }
            return out;
        }"""
    )
    expected = [c for c in range(0x10000) if name_problem(f"a{chr(c)}b") is not None]
    assert flagged == expected
