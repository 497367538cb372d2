"""A forwarded request the owner took and never answered: a client is told to send it again
(``Retry-After``) only when that cannot apply it twice — a read, a PUT (it sets a value) or a
command with its Idempotency-Key that the owner applies once (the desk's, the instructor's and the
judges': server.api.http.keyed_paths; the owner answers a repeated key with the first reply).
Anything else — a command without its key, a login — gets a 503 without ``Retry-After`` that says
to look before sending it again, so neither the browser nor the Python client resends it on its own."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from server.workers.forwarding import _no_answer, resend_is_safe


def _request(method: str, path: str, key: str | None) -> Request:
    headers = [(b"idempotency-key", key.encode())] if key is not None else []
    return Request({"type": "http", "method": method, "path": path, "headers": headers, "query_string": b""})


@pytest.mark.parametrize(
    ("method", "path", "key", "safe"),
    [
        ("GET", "/api/v1/competitions/3/standings", None, True),
        ("HEAD", "/api/v1/competitions/3", None, True),
        ("PUT", "/api/v1/competitions/3/scoring", None, True),
        ("PUT", "/api/v1/team/peer-review", None, True),
        ("POST", "/api/v1/team/quotes", "k-1", True),
        ("POST", "/api/v1/team/quotes", None, False),
        ("POST", "/api/v1/competitions/3/rubric/criteria", "k-2", True),
        ("POST", "/api/v1/competitions/3/announcements", None, False),
        ("DELETE", "/api/v1/competitions/3/teams/A/members/Ann", "k-3", True),
        ("DELETE", "/api/v1/competitions/3/teams/A/members/Ann", None, False),
        ("post", "/api/v1/team/campaigns", "k-4", True),
        ("POST", "/api/v1/competitions", "k-5", True),  # creating one: keyed per instructor account
        ("POST", "/api/v1/competitions", None, False),
        ("POST", "/api/v1/competitions/import", "k-6", True),
        ("POST", "/api/v1/competitions/3/next-round", "k-7", True),
        ("POST", "/api/v1/competitions/3/reveal", "k-8", True),
        ("POST", "/api/v1/previews", "k-9", True),
        ("POST", "/api/v1/competitionsX", "k-10", False),  # not under the prefix
        ("POST", "/api/v1/session/join", "k-11", False),  # a login honours no key
        ("POST", "/api/v1/session/logout", "k-12", False),
    ],
)
def test_only_a_request_that_cannot_apply_twice_is_told_to_retry(
    method: str, path: str, key: str | None, safe: bool
) -> None:
    assert resend_is_safe(method, path, key is not None) is safe
    answer = _no_answer(_request(method.upper(), path, key))
    body = json.loads(bytes(answer.body))
    assert answer.status_code == 503 and body["code"] == "unavailable"
    assert ("retry-after" in answer.headers) is safe
    if safe:
        assert answer.headers["retry-after"] == "2"
        assert "may or may not" in body["detail"]
    else:
        assert "look at the current state before sending it again" in body["detail"]
