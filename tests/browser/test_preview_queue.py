"""The preview card when the server's preview queue is full (issue 11.5a), in both languages.

The server here takes one preview of the instructor at a time (``PREVIEWS_PER_INSTRUCTOR=1``).
With a big preview playing, the card's preview is refused with a 429 and the card says, in the
page's language, to run it again when one is done — not the server's English reason.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from server.client.api_client import ApiError, SalesfloorClient
from tests.browser.conftest import Opener
from tests.browser.test_instructor_panel import sign_in
from tests.server.processes import ServerProcess

BUSY = {"en": "Enough previews are already waiting or playing", "zh": "已有足够多的预览在排队或运行"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    path = tmp_path_factory.mktemp("previews") / "salesfloor.db"
    env = {"DATABASE_URL": f"sqlite:///{path}", "TICK_SECONDS": "0.1", "PREVIEWS_PER_INSTRUCTOR": "1"}
    process = ServerProcess(env)
    yield process
    process.stop()


def test_a_full_preview_queue_is_said_in_the_page_s_language(
    open_context: Opener, server: ServerProcess, lang: str
) -> None:
    api = SalesfloorClient(server.url)
    api.login_instructor("pw")
    try:  # a big preview takes the instructor's one place (still playing from the other language)
        api.request("POST", "/api/v1/previews", json={"seeds": 10, "rounds": 20})
    except ApiError as refused:
        assert refused.status == 429, refused
    page = open_context(lang).new_page()
    sign_in(page)
    page.fill("#create input[name=name]", "Queue")
    page.click("#preview .run-preview")
    message = page.locator("#preview .form-message")
    expect(message).to_contain_text(BUSY[lang])
    expect(page.locator("#preview .run-preview")).to_be_enabled()  # free to try again
