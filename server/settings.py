"""Server settings, read from the environment (and a .env file) with pydantic-settings.

Only the server reads settings; the domain packages get plain frozen objects.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.security.client_address import parse_networks


class Settings(BaseSettings):
    """Everything the server needs to start. Environment names are the upper-case field names."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite:///salesfloor.db", description="SQLite file by default; postgresql://… works"
    )
    broadcast_url: str | None = Field(
        None, description="redis://host:port/0: several workers serve one class"
    )
    broadcast_prefix: str = Field("salesfloor", description="key prefix in Redis (one per deployment)")
    advertise_url: str | None = Field(
        None, description="how other workers reach this one (default http://host:port)"
    )
    forwards_in_flight: int = Field(
        64,
        ge=1,
        le=10_000,
        description="requests this worker may have forwarded to one other worker and not yet answered; "
        "more are refused at once with 503 and Retry-After (the other worker has fallen behind)",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    secret: str | None = Field(None, description="extra secret mixed into token hashes")
    instructor_password: str | None = Field(None, description="set it, or one is generated and printed once")
    tick_seconds: float = Field(0.2, gt=0, le=5, description="how often running competitions advance")
    commands_per_minute: int = Field(240, ge=1, description="rate limit per team member")
    # websockets: what one client may cost the server (docs/api.md, "Websocket limits")
    websocket_queue: int = Field(1000, ge=10, description="messages a slow websocket client may lag behind")
    websocket_max_connections: int = Field(
        5000, ge=1, description="websockets open at once; more are closed with 1013 (server busy)"
    )
    websocket_send_timeout: float = Field(
        10.0, gt=0, le=300, description="seconds a client may leave the server's messages unread"
    )
    websocket_send_buffer: int = Field(
        256 * 1024, ge=0, description="kernel send buffer per websocket in bytes (0: the system's)"
    )
    websocket_max_message: int = Field(
        64 * 1024, ge=1024, description="largest message a client may send; larger ones close with 1009"
    )
    websocket_client_messages: int = Field(
        30, ge=1, description="messages a client may send a minute on the read-only channels (1008 beyond)"
    )
    websocket_compression: bool = Field(
        False,
        description="permessage-deflate for websockets: less bandwidth, but each board is compressed once "
        "per client — off, the server carries a class four times larger (docs/performance.md)",
    )
    cookie_secure: bool = False
    # --- hostile input: request limits and login attempts ---
    max_body_bytes: int = Field(
        2**20, ge=1024, description="largest request body (JSON, CSV); archive imports have their own limit"
    )
    login_failures_per_minute: int = Field(
        60,
        ge=1,
        description="wrong logins of one kind (instructor password, judge code, join code) a client "
        "address may make a minute before a 429; a right code always passes (docs/security.md, section 4)",
    )
    login_failures_per_target: int = Field(
        600,
        ge=1,
        description="wrong logins of one kind all addresses together may make a minute before a 429 "
        "(against guessing from many addresses)",
    )
    # --- who is asking: addresses behind a reverse proxy (docs/operations.md, "Behind a proxy") ---
    trusted_proxies: str = Field(
        "",
        description="reverse proxies whose PROXY_HEADER is believed: addresses or networks, separated "
        "by commas (none by default: the peer's address counts, 127.0.0.1 included)",
    )
    proxy_header: Literal["X-Forwarded-For", "Forwarded", "X-Real-IP"] = Field(
        "X-Forwarded-For", description="the header the trusted proxies set (the others are never read)"
    )
    # --- sessions (docs/api.md, "Sessions") ---
    session_idle_hours: float = Field(
        12.0, gt=0, le=24 * 366, description="a session unused this long has expired (a class day)"
    )
    session_grace_hours: float = Field(
        24.0,
        ge=0,
        le=24 * 366,
        description="a judge's or a member's session ends this long after its competition finished",
    )
    session_cache_seconds: float = Field(
        30.0,
        ge=0,
        le=3600,
        description="a session is read from the database again after this long in the server's memory "
        "(a change by another worker or program is seen within it; 0: on every request)",
    )

    # --- previews (docs/operations.md, "Previews") ---
    preview_workers: int = Field(
        1, ge=1, le=64, description="worker processes that play previews, outside the live server's process"
    )
    previews_per_instructor: int = Field(
        2, ge=1, le=20, description="previews one instructor may have waiting or playing; more are a 429"
    )
    previews_in_all: int = Field(
        4, ge=1, le=20, description="previews all instructors together may have waiting or playing"
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # a ValueError names the entry that is wrong
        return value
