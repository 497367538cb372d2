"""Request body limits: size, JSON depth, finite numbers, storable text — before any route runs.

An ASGI middleware reads the whole body (counting what arrives, whatever Content-Length
claims), refuses it with a 413 past the size limit, and for a JSON body refuses nesting
deeper than ``MAX_JSON_DEPTH`` (400), NaN or infinite numbers (422, naming the field;
Python's json reads the literals NaN and Infinity and numbers like 1e999 as floats) and
text that cannot be stored (422, naming the field: a NUL character, which PostgreSQL
refuses, or a lone surrogate, which UTF-8 cannot encode — see server.input.text_rules), in values
and keys alike; a JSON or text/* body (the team CSV) that is not UTF-8 is a 422 saying
where. The body it read is then handed on unchanged, so the routes parse exactly what was
checked (a body the client went away from before its end is not handed on at all); a body is
checked as JSON exactly when FastAPI will read it as JSON (by the first Content-Type header,
as FastAPI reads it). A malformed JSON body is left to FastAPI, which
answers it with its usual 422.

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
from email.message import Message as MimeHeader
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.input.json_input import MAX_JSON_DEPTH
from server.input.text_rules import UNSTORABLE, printable_path, unstorable

LARGE_JSON = 64 * 1024
"""Bodies larger than this are checked in a worker thread."""
TOO_DEEP = f"the JSON body is nested too deeply; at most {MAX_JSON_DEPTH} levels"


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    code: str
    detail: str
    field: str | None = None


class BodyTooLarge(Exception):
    pass


def _size(size: int) -> str:
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size / 2**10:g} KiB"


def _is_json(content_type: str | None) -> bool:
    """Whether FastAPI reads the body as JSON: without a content type, or application/json or
    application/*+json, parsed as FastAPI parses it (so that no body escapes the check)."""
    if not content_type:
        return True
    header = MimeHeader()
    header["content-type"] = content_type
    subtype = header.get_content_subtype()
    return header.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def _is_text(content_type: str | None) -> bool:
    """A text/* body (the team CSV): the routes read it as UTF-8 whatever charset it names."""
    header = MimeHeader()
    header["content-type"] = content_type or ""
    return bool(content_type) and header.get_content_maintype() == "text"


def _first_header(scope: Scope, name: bytes) -> str | None:
    """The first value of a header, as Starlette's ``request.headers.get`` reads it."""
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _clean(document: Any) -> bool:
    """Whether the document is within the limits: one quick pass that builds no paths."""
    stack = [(document, 0)]
    while stack:
        item, level = stack.pop()
        kind = type(item)
        if kind is dict:
            if level >= MAX_JSON_DEPTH or any(UNSTORABLE.search(key) for key in item):
                return False
            stack.extend((value, level + 1) for value in item.values())
        elif kind is list:
            if level >= MAX_JSON_DEPTH:
                return False
            stack.extend((value, level + 1) for value in item)
        elif (kind is float and not math.isfinite(item)) or (kind is str and UNSTORABLE.search(item)):
            return False
    return True


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, int, Any]]:
    """Every value in a parsed JSON document with its path and depth, without recursion."""
    stack = [(value, path, depth)]
    while stack:
        item, where, level = stack.pop()
        yield where, level, item
        if isinstance(item, dict):
            stack.extend(
                (v, f"{where}.{printable_path(k)}" if where else printable_path(k), level + 1)
                for k, v in item.items()
            )
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
                422,
                "invalid",
                f"{name}: {item!r} is not a number the server takes; send a finite number",
                name,
            )
        problem = unstorable(item) if isinstance(item, str) else None
        if problem is not None:
            return Refusal(422, "invalid", f"{name}: {problem}", name)
        if isinstance(item, dict):
            key_problem = next((p for key in item if (p := unstorable(key)) is not None), None)
            if key_problem is not None:
                return Refusal(422, "invalid", f"{name}: in a key, {key_problem}", name)
    return None


def _not_utf8(exc: UnicodeDecodeError, what: str, fix: str) -> Refusal:
    byte = exc.object[exc.start]
    reason = f"body: {what} is not UTF-8 text (byte 0x{byte:02x} at offset {exc.start}); {fix}"
    return Refusal(422, "invalid", reason, "body")


def text_refusal(body: bytes) -> Refusal | None:
    """Why a text body (a CSV upload) is refused: it is not UTF-8, which the routes read it as."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _not_utf8(exc, "the text", "save it as UTF-8 (a spreadsheet's “CSV UTF-8”) and send it again")
    return None


def json_refusal(body: bytes) -> Refusal | None:
    """Why this JSON body is refused (not UTF-8, too deep, a non-finite number, unstorable text), or
    None to let it through."""
    try:
        document = json.loads(body)
    except RecursionError:
        return Refusal(400, "too_deep", TOO_DEEP)
    except UnicodeDecodeError as exc:
        return _not_utf8(exc, "the JSON", "send it in UTF-8")
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
        declared = _first_header(scope, b"content-length") or ""
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
        if body is None:  # the client went away before its body's end: nobody to answer, nothing to do
            return
        content_type = _first_header(scope, b"content-type")
        if body and _is_json(content_type):
            # a large body is parsed off the event loop, so that it cannot stall other requests
            large = len(body) > LARGE_JSON
            refusal = await asyncio.to_thread(json_refusal, body) if large else json_refusal(body)
            if refusal is not None:
                await self._refuse(send, refusal)
                return
        elif body and _is_text(content_type) and (refusal := text_refusal(body)) is not None:
            await self._refuse(send, refusal)
            return
        await self.app(scope, self._replay(body, receive), send)

    @staticmethod
    def _too_large(limit: int) -> Refusal:
        return Refusal(413, "too_large", f"the request body is larger than {_size(limit)}; send less")

    @staticmethod
    async def _read(receive: Receive, limit: int) -> bytes | None:
        """The whole body; None if the client went away before its end (a cut-off body is never
        handed on as if whole: a route would refuse it, and a keyed command keep that refusal)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
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
        fields = {"field": refusal.field} if refusal.field is not None else {}
        payload = json.dumps({"detail": refusal.detail, "code": refusal.code, **fields}).encode()
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
