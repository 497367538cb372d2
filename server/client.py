"""A small Python client for the Salesfloor API (HTTP + websocket), for bots and scripts.

client = SalesfloorClient("http://127.0.0.1:8000")
client.join("ABCD2345", "Bot", "manager")
client.command(SendQuote(team="", inquiry_id=..., discount=0.05))
async for message in client.stream_team(): ...
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import fields
from typing import Any
from urllib.parse import quote

import httpx
import websockets

from teams import commands as c

# the path of each command's endpoint (mirrors server.api.team.ENDPOINTS)
_PATHS: dict[str, tuple[str, str, str | None]] = {
    "send_quote": ("POST", "/inquiries/{}/quote", "inquiry_id"),
    "revise_quote": ("POST", "/inquiries/{}/revise", "inquiry_id"),
    "decline_inquiry": ("POST", "/inquiries/{}/decline", "inquiry_id"),
    "follow_up": ("POST", "/inquiries/{}/follow-up", "inquiry_id"),
    "approve_discount": ("POST", "/approvals/{}/approve", "approval_id"),
    "reject_discount": ("POST", "/approvals/{}/reject", "approval_id"),
    "send_reminder": ("POST", "/invoices/{}/reminder", "invoice_id"),
    "hand_over_to_collection": ("POST", "/invoices/{}/collection", "invoice_id"),
    "write_off": ("POST", "/invoices/{}/write-off", "invoice_id"),
    "resolve_complaint": ("POST", "/complaints/{}/resolve", "complaint_id"),
    "request_survey": ("POST", "/customers/{}/survey", "customer_id"),
    "check_credit": ("POST", "/customers/{}/credit-check", "customer_id"),
    "set_credit_limit": ("PUT", "/customers/{}/credit-limit", "customer_id"),
    "care_for_account": ("POST", "/customers/{}/care", "customer_id"),
    "add_note": ("POST", "/customers/{}/notes", "customer_id"),
    "launch_campaign": ("POST", "/campaigns", None),
    "set_quote_policy": ("PUT", "/policies/quotes/{}", "segment"),
    "set_reminder_policy": ("PUT", "/policies/reminders", None),
    "set_apology_policy": ("PUT", "/policies/apology", None),
}


class ApiError(Exception):
    def __init__(self, status: int, detail: str, code: str = "") -> None:
        self.status, self.detail, self.code = status, detail, code
        super().__init__(f"{status} {code}: {detail}")


class SalesfloorClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, headers=self._headers(), **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()
            except json.JSONDecodeError:
                body = {"detail": response.text}
            raise ApiError(response.status_code, str(body.get("detail")), str(body.get("code", "")))
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

    def command(self, command: c.Command) -> dict[str, Any]:
        """Send a desk command (its team and role come from the session)."""
        method, path, path_field = _PATHS[command.kind]
        body = {
            f.name: getattr(command, f.name)
            for f in fields(command)
            if f.name not in ("team", "role", "member")
        }
        if path_field is not None:
            path = path.format(quote(str(body.pop(path_field)), safe="/"))
        out: dict[str, Any] = self.request(method, "/api/v1/team" + path, json=body)
        return out

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
