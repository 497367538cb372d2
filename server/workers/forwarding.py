"""Forwarding: a worker that does not own the competitions passes API requests to the one that does.

The owner counts failed logins by the client's address, so each forwarded request names it
in ``X-Salesfloor-Client``, signed with the workers' shared key (server/security/client_address.py);
whatever the client itself sent under that name is replaced.
"""

from __future__ import annotations

import httpx
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from server.security.client_address import FORWARDED_BY_WORKER, WorkerSignature, address_of
from server.workers.leadership import Leadership

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}


class Forwarder:
    def __init__(self, leadership: Leadership, signature: WorkerSignature) -> None:
        self.leadership = leadership
        self.signature = signature
        self.client = httpx.AsyncClient(timeout=30.0)

    def wants(self, request: Request) -> bool:
        path = request.url.path
        return not self.leadership.leading and path.startswith("/api/v1/") and path != "/api/v1/health"

    async def forward(self, request: Request) -> Response:
        leader = await self.leadership.leader()
        if leader is None or leader == self.leadership.address:  # nobody, or this worker still taking over
            return JSONResponse(
                {
                    "detail": "no worker owns the competitions right now; try again in a few seconds",
                    "code": "unavailable",
                },
                status_code=503,
                headers={"Retry-After": "2"},
            )
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers[FORWARDED_BY_WORKER] = self.signature.sign(address_of(request))
        try:
            upstream = await self.client.request(
                request.method,
                leader + request.url.path,
                params=request.query_params,
                headers=headers,
                content=request.stream(),  # streamed: a follower holds no upload
            )
        except httpx.HTTPError:
            return JSONResponse(
                {
                    "detail": "the worker that owns the competitions did not answer; try again",
                    "code": "unavailable",
                },
                status_code=503,
                headers={"Retry-After": "2"},
            )
        response = Response(upstream.content, status_code=upstream.status_code)
        for key, value in upstream.headers.multi_items():
            if key.lower() not in HOP_BY_HOP:
                response.headers.append(key, value)
        return response

    async def close(self) -> None:
        await self.client.aclose()
