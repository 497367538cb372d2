"""A small Python client for the Salesfloor API (HTTP + websocket), for bots and scripts.

client = SalesfloorClient("http://127.0.0.1:8000")
client.join("ABCD2345", "Bot", "manager")
client.command(SendQuote(team="", inquiry_id=..., discount=0.05))
async for message in client.stream_team(): ...
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import fields
from typing import Any
from urllib.parse import quote

import httpx
import websockets

from server.api.http.endpoints import COMMAND_ENDPOINTS, TEAM_PREFIX
from server.live.idempotency import HEADER
from teams import commands as c

MIN_PAUSE = 0.1
"""The least a busy refusal's wait counts (and lasts), whatever its ``Retry-After`` says."""


class ApiError(Exception):
    """A refusal from the server: its status, ``detail`` and ``code``, and when to try again if it said."""

    def __init__(self, status: int, detail: str, code: str = "", retry_after: float | None = None) -> None:
        self.status, self.detail, self.code, self.retry_after = status, detail, code, retry_after
        super().__init__(f"{status} {code}: {detail}")


def _retry_after(value: str | None) -> float | None:
    """The seconds a ``Retry-After`` header asks for (its delay form), or None."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < 3600 else None


class SalesfloorClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        transport: httpx.BaseTransport | None = None,
        wait_when_busy: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retries = retries  # a command whose answer was lost is sent again, with the same key
        # a command refused with 503 and Retry-After (a worker busy, a competition being handed
        # over, the database away) is sent again, with the same key, for this many seconds in all
        self.wait_when_busy = wait_when_busy
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self.http.close()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        response = self.http.request(method, path, headers={**self._headers(), **(headers or {})}, **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()
            except json.JSONDecodeError:
                body = {"detail": response.text}
            raise ApiError(
                response.status_code,
                str(body.get("detail")),
                str(body.get("code", "")),
                _retry_after(response.headers.get("retry-after")),
            )
        return response.json() if response.content else None

    # --- sessions ---------------------------------------------------------------------------------

    def login_instructor(self, password: str) -> dict[str, Any]:
        out: dict[str, Any] = self.request("POST", "/api/v1/session/instructor", json={"password": password})
        self.token = out["token"]
        return out

    def join(self, code: str, name: str, role: str = "manager") -> dict[str, Any]:
        out: dict[str, Any] = self.request(
            "POST", "/api/v1/session/join", json={"code": code, "name": name, "role": role}
        )
        self.token = out["token"]
        return out

    # --- team ------------------------------------------------------------------------------------------

    def command(self, command: c.Command, key: str | None = None) -> dict[str, Any]:
        """Send a desk command (its team and role come from the session).

        The command carries an Idempotency-Key (``key``, or a new random one); if the
        connection fails before the answer arrives, it is sent again with the same key,
        so it is applied once whatever happened to the first try. A 503 that says when to
        try again (``Retry-After``) is waited out and the command sent again with the same
        key, for ``wait_when_busy`` seconds in all; then the refusal is raised.
        """
        method, path, path_field = COMMAND_ENDPOINTS[type(command)]
        body = {
            f.name: getattr(command, f.name)
            for f in fields(command)
            if f.name not in ("team", "role", "member")
        }
        if path_field is not None:
            value = quote(str(body.pop(path_field)), safe="/")
            path = path.replace(f"{{{path_field}:path}}", value).replace(f"{{{path_field}}}", value)
        headers = {HEADER: key or uuid.uuid4().hex}
        failures, waited = 0, 0.0
        while True:
            try:
                out: dict[str, Any] = self.request(method, TEAM_PREFIX + path, headers=headers, json=body)
                return out
            except httpx.TransportError:
                failures += 1
                if failures > self.retries:
                    raise
            except ApiError as refused:
                if refused.status != 503 or refused.retry_after is None:
                    raise
                pause = max(refused.retry_after, MIN_PAUSE)  # "0" must not make the budget endless
                if waited + pause > self.wait_when_busy:
                    raise
                time.sleep(pause)
                waited += pause

    def team(self) -> dict[str, Any]:
        out: dict[str, Any] = self.request("GET", "/api/v1/team")
        return out

    def team_events(self, after: int = -1) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = self.request(
            "GET", "/api/v1/team/events", params={"after": after, "limit": 5000}
        )
        return out

    async def stream(
        self, path: str, after: int | None = None, epoch: str | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Messages of a websocket channel (``/ws/team``, ``/ws/public/1``, …)."""
        url = self.base_url.replace("http", "ws", 1) + path
        params = []
        if after is not None:
            params.append(f"after={after}")
        if epoch is not None:
            params.append(f"epoch={epoch}")
        if params:
            url += "?" + "&".join(params)
        headers = self._headers()
        async with websockets.connect(url, additional_headers=headers, max_size=2**24) as ws:
            async for raw in ws:
                yield json.loads(raw)
