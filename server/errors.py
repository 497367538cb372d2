"""The server's one exception: a refusal with its HTTP status and a reason to show."""

from __future__ import annotations

from typing import Any

STATUS_OF_CODE = {
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "invalid": 422,
    "insufficient_cash": 409,
    "credit_limit": 409,
    "unauthorized": 401,
    "session_expired": 401,
    "rate_limited": 429,
    "unavailable": 503,
    "too_large": 413,
}


class ServerError(Exception):
    """A request the server refuses; nothing changed. ``code`` is stable, ``reason`` is for people."""

    def __init__(self, code: str, reason: str, headers: dict[str, str] | None = None, **extra: Any) -> None:
        self.code = code
        self.reason = reason
        self.status = STATUS_OF_CODE.get(code, 400)
        self.headers = headers or {}
        self.extra = extra
        super().__init__(reason)
