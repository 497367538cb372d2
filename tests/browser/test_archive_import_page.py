"""The instructor imports an archive from the panel, in both languages: a ZIP bomb is refused with
the server's reason on the page and nothing is created; the real archive becomes a competition
whose page opens with the confirmation.
Checked through the API too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from server.client.api_client import SalesfloorClient
from tests.browser.conftest import Opener
from tests.server.archive_samples import MiB, lines_of, members_of, padded, rezip, sample_archive
from tests.server.processes import ServerProcess

DONE = {"en": "Imported as “Sample cup”", "zh": "已导入为“Sample cup”"}


def _names(server: ServerProcess) -> list[str]:
    client = SalesfloorClient(server.url)
    client.login_instructor("pw")
    return [c["name"] for c in client.request("GET", "/api/v1/competitions")]


def _import(page: Any, archive: Path) -> Any:
    page.set_input_files("#import input[type=file]", str(archive))
    page.click("#import button[type=submit]")
    return page.locator("#import .form-message")


def test_the_instructor_imports_an_archive_and_a_bomb_is_refused_on_the_page(
    open_context: Opener, server: ServerProcess, lang: str, tmp_path: Path
) -> None:
    before = _names(server)
    page = open_context(lang).new_page()
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#import")).to_be_visible()

    events = members_of(sample_archive())["events.jsonl"]
    line = lines_of(sample_archive(), "events.jsonl")[-1] + b"\n"
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(rezip(sample_archive(), {"events.jsonl": padded(events, line, 300 * MiB)}))
    expect(_import(page, bomb)).to_contain_text("archive refused: events.jsonl inflates more than 100 times")
    assert _names(server) == before

    good = tmp_path / "archive.zip"
    good.write_bytes(sample_archive())
    _import(page, good)
    expect(page).to_have_url(re.compile(r"/instructor/\d+$"))  # the new competition's page
    expect(page.get_by_text(DONE[lang])).to_be_visible()
    assert _names(server).count("Sample cup") == before.count("Sample cup") + 1
