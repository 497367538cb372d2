"""Request body limits: size, JSON depth, finite numbers, no NUL characters — before any route runs.

An ASGI middleware reads the whole body (counting what arrives, whatever Content-Length
claims), refuses it with a 413 past the size limit, and for a JSON body refuses nesting
deeper than ``MAX_JSON_DEPTH`` (400), NaN or infinite numbers (422, naming the field;
Python's json reads the literals NaN and Infinity and numbers like 1e999 as floats) and
text with NUL characters (422, naming the field; PostgreSQL cannot store them). The body
it read is then handed on unchanged, so the routes parse exactly what was checked. A
malformed JSON body is left to FastAPI, which answers it with its usual 422.

An upload path (``large_paths``: the archive import) is not read here, only refused at once
when its Content-Length is past that path's limit: its route checks who sends it first and
then reads it as a stream, counting (413 past the limit), so nobody can make the server hold
a large body before the login is checked. (A worker that forwards requests streams them on.)
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_JSON_DEPTH = 32
"""Deeper than any body the API takes (the deepest, a parameter override, is a handful of levels)."""
LARGE_JSON = 64 * 1024
"""Bodies larger than this are checked in a worker thread."""
TOO_DEEP = f"the JSON body is nested too deeply; at most {MAX_JSON_DEPTH} levels"


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    code: str
    detail: str


class BodyTooLarge(Exception):
    pass


def _size(size: int) -> str:
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size / 2**10:g} KiB"


def _is_json(content_type: str) -> bool:
    """FastAPI reads a body as JSON without a content type too, so those are checked as well."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "" or media == "application/json" or media.endswith("+json")


def _clean(document: Any) -> bool:
    """Whether the document is within the limits: one quick pass that builds no paths."""
    stack = [(document, 0)]
    while stack:
        item, level = stack.pop()
        kind = type(item)
        if kind is dict:
            if level >= MAX_JSON_DEPTH or any("\x00" in key for key in item):
                return False
            stack.extend((value, level + 1) for value in item.values())
        elif kind is list:
            if level >= MAX_JSON_DEPTH:
                return False
            stack.extend((value, level + 1) for value in item)
        elif (kind is float and not math.isfinite(item)) or (kind is str and "\x00" in item):
            return False
    return True


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, int, Any]]:
    """Every value in a parsed JSON document with its path and depth, without recursion."""
    stack = [(value, path, depth)]
    while stack:
        item, where, level = stack.pop()
        yield where, level, item
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k), level + 1) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{i}]", level + 1) for i, v in enumerate(item))


def _refusal(document: Any) -> Refusal | None:
    """What is wrong with a document that is not clean, naming where (the slow pass, with paths)."""
    for where, level, item in _walk(document, "", 0):
        if level >= MAX_JSON_DEPTH and isinstance(item, dict | list):  # containers in containers
            return Refusal(400, "too_deep", TOO_DEEP)
        name = where or "body"
        if isinstance(item, float) and not math.isfinite(item):
            return Refusal(
                422, "invalid", f"{name}: {item!r} is not a number the server takes; send a finite number"
            )
        if isinstance(item, str) and "\x00" in item:
            return Refusal(422, "invalid", f"{name}: the text holds a NUL character (\\u0000); remove it")
        if isinstance(item, dict) and any("\x00" in key for key in item):
            return Refusal(422, "invalid", f"{name}: a key holds a NUL character (\\u0000); remove it")
    return None


def json_refusal(body: bytes) -> Refusal | None:
    """Why this JSON body is refused (too deep, a non-finite number, a NUL), or None to let it through."""
    try:
        document = json.loads(body)
    except RecursionError:
        return Refusal(400, "too_deep", TOO_DEEP)
    except ValueError:
        return None  # malformed: FastAPI refuses it with a 422 that says where
    return None if _clean(document) else _refusal(document)


class BodyLimits:
    """ASGI middleware: ``max_bytes`` for every body, ``large_paths`` ({path: bytes}) for uploads."""

    def __init__(self, app: ASGIApp, max_bytes: int, large_paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.large_paths = large_paths or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.large_paths.get(scope["path"], self.max_bytes)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            await self._refuse(send, self._too_large(limit))
            return
        if scope["path"] in self.large_paths:  # an upload: its route reads and counts it (above)
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(receive, limit)
        except BodyTooLarge:
            await self._refuse(send, self._too_large(limit))
            return
        if body and _is_json(headers.get("content-type", "")):
            # a large body is parsed off the event loop, so that it cannot stall other requests
            large = len(body) > LARGE_JSON
            refusal = await asyncio.to_thread(json_refusal, body) if large else json_refusal(body)
            if refusal is not None:
                await self._refuse(send, refusal)
                return
        await self.app(scope, self._replay(body, receive), send)

    @staticmethod
    def _too_large(limit: int) -> Refusal:
        return Refusal(413, "too_large", f"the request body is larger than {_size(limit)}; send less")

    @staticmethod
    async def _read(receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        return replay

    @staticmethod
    async def _refuse(send: Send, refusal: Refusal) -> None:
        payload = json.dumps({"detail": refusal.detail, "code": refusal.code}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": refusal.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
