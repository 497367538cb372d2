"""The FastAPI application: ``create_app(settings)`` builds it; nothing happens at import.

The lifespan opens the database (running migrations), makes sure there is an instructor
password (from settings, or generated and printed once), recovers every unfinished
competition from its command log and starts the tick loop. With several workers
(``BROADCAST_URL``) a worker instead recovers and runs the competitions whose lease it takes
(``server.workers``), and forwards the other requests.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dashboards import STATIC_DIR
from server.api import board as board_api
from server.api import (
    competitions,
    debrief,
    exports,
    lobby,
    market_controls,
    members,
    monitor,
    peer_review,
    previews,
    public,
    rubric,
    scoring_settings,
    session,
    team,
    team_registration,
    ws,
)
from server.api.http import openapi, pages
from server.api.http.keyed_commands import KeyedCommands
from server.api.http.middleware import ForwardToOwner, SecurityHeaders
from server.api.http.request_limits import BodyLimits
from server.api.http.team_state_path import TeamStatePath
from server.errors import ServerError
from server.live import LiveCompetition
from server.live.keyed_replies import JUDGE
from server.live.runtime import Runtime
from server.persistence.archive.contents import MAX_ARCHIVE_BYTES
from server.persistence.db.engine import make_engine, migrate
from server.persistence.store import Store
from server.security.auth import password_hash
from server.security.client_address import ProxyTrust, WorkerSignature, parse_networks
from server.security.login_throttle import LoginThrottle
from server.security.password_checks import PasswordChecks
from server.settings import Settings
from server.wall_clock import wall_now
from server.wire.broadcast import Broadcaster
from server.wire.broadcast_redis import RedisBroadcaster
from server.workers.forwarding import Forwarder
from server.workers.leadership import Leadership
from server.workers.leases import LeaseBook
from server.workers.ownership import Ownership
from server.workers.renewer import Renewer, book_maker
from server.workers.routing import CompetitionFinder
from server.workers.session_news import SessionNews

log = logging.getLogger("salesfloor")

SHUTDOWN_STEP_SECONDS = 5.0
"""The longest one step of the shutdown may take (see ``_bounded``)."""


def ensure_instructor_password(store: Store, settings: Settings, announce: Callable[[str], None]) -> None:
    """Use the configured password, or generate one at the first start and show it once."""
    if settings.instructor_password:
        salt = secrets.token_hex(8)
        hashed = password_hash(settings.instructor_password, salt)
        store.set_secrets({"instructor_salt": salt, "instructor_hash": hashed})
        return
    if store.secret("instructor_hash"):
        return
    password = secrets.token_urlsafe(9)
    salt = secrets.token_hex(8)
    store.set_secrets({"instructor_salt": salt, "instructor_hash": password_hash(password, salt)})
    announce(f"Instructor password (shown once, keep it): {password}")


def _forget_old_sessions(store: Store, settings: Settings) -> None:
    """Forget sessions unused for a week longer than they may idle: long expired, never to be used.
    With them the instructor's and judges' Idempotency-Keys no retry can come for: claimed as
    long ago, or a judge's whose session is gone (a logout, or forgotten here)."""
    week = 7 * 24 * 3600.0
    long_ago = wall_now() - settings.session_idle_hours * 3600.0 - week
    store.drop_sessions_unused_since(long_ago)
    store.drop_keyed_replies(long_ago, JUDGE)


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    """After a full collection, freeze what survived it: the event log, the ledgers, the boards.

    A live competition only grows (events are never dropped), so a full collection would scan
    the whole game again each time, a pause that grows with the class; frozen, the next one
    scans only what is newer. Frozen objects are still freed when nothing refers to them.
    """
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


def _readable(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        location = tuple(error.get("loc", ()))
        where = ".".join(str(p) for p in location if p != "body") or (
            "body" if location[:1] == ("body",) else "request"
        )
        message = error.get("msg", "invalid")
        if location == ("body",) and error.get("type") == "model_attributes_type":
            message = "send a JSON object with the header Content-Type: application/json"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


async def _bounded(step: str, work: Awaitable[Any]) -> None:
    """One step of the shutdown, given at most ``SHUTDOWN_STEP_SECONDS``: a stop signal must stop
    the server, even when Redis or a worker process does not answer (what a step left undone,
    the next start recovers from the command log, as after a kill)."""
    try:
        await asyncio.wait_for(work, SHUTDOWN_STEP_SECONDS)
    except TimeoutError:
        log.warning("shutdown: %s took longer than %s s; going on without it", step, SHUTDOWN_STEP_SECONDS)


def _halt() -> None:
    """Stop the process at once (a worker that may have lost a lease must not write again)."""
    os._exit(3)


def _placement(
    ownership: Ownership, runtime: Runtime, broadcaster: RedisBroadcaster
) -> Callable[[LiveCompetition], Awaitable[bool]]:
    """How a worker places a competition it has just stored: here if it takes the lease, else where
    the lease goes (``Ownership.place``)."""

    async def place(live: LiveCompetition) -> bool:
        await broadcaster.take_over(live.id)  # an imported one may have channels already
        return await ownership.place(live.id, lambda: runtime.own(live))

    return place


def _first_field(exc: RequestValidationError) -> str | None:
    """The field the first error is about (``weights.profit``, ``limit``), as the refusal's ``field``."""
    errors = exc.errors()
    location = [str(p) for p in errors[0].get("loc", ())[1:]] if errors else []
    return ".".join(location) or None


def create_app(
    settings: Settings | None = None,
    on_ready: Callable[[FastAPI], Any] | None = None,
    on_stopping: Callable[[], None] | None = None,
) -> FastAPI:
    """The application; ``on_ready`` runs once it serves, ``on_stopping`` when its shutdown begins."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        migrate(engine)
        store = Store(engine)
        ensure_instructor_password(store, settings, lambda text: print(text, flush=True))
        _forget_old_sessions(store, settings)
        app.state.password_checks = PasswordChecks()  # the instructor's password, off the event loop
        app.state.known_browser_key = store.ensure_secret("known_browser_key", secrets.token_hex(32))
        app.state.forwarder = None
        front: Leadership | None = None
        news: SessionNews | None = None
        renewer: Renewer | None = None
        ownership: Ownership | None = None
        if settings.broadcast_url:
            address = settings.advertise_url or f"http://{settings.host}:{settings.port}"
            # the workers sign the client addresses they forward with a key shared in the database
            worker_key = store.ensure_secret("worker_key", secrets.token_hex(32))
            app.state.worker_signature = WorkerSignature(worker_key)
            redis_broadcaster = RedisBroadcaster(
                settings.broadcast_url,
                settings.broadcast_prefix,
                settings.websocket_queue,
                runs=lambda competition_id: ownership is not None and ownership.holds(competition_id),
            )
            broadcaster: Broadcaster = redis_broadcaster
            runtime = Runtime(settings, store, broadcaster)
            runtime.halt = _halt  # fences the writes of each competition it runs by an owner epoch

            async def adopt(competition_id: int) -> None:
                await redis_broadcaster.take_over(competition_id)
                await runtime.adopt(competition_id)

            async def hand_over(competition_id: int, closed: Callable[[], None]) -> bool:
                if not await runtime.hand_over(competition_id, closed):
                    return False
                await redis_broadcaster.give_up(competition_id)  # its messages are in Redis first
                return True

            book = LeaseBook(redis_broadcaster.redis, settings.broadcast_prefix, address)
            ownership = Ownership(book, adopt, hand_over=hand_over)
            prefix = settings.broadcast_prefix
            front = Leadership(redis_broadcaster.redis, prefix, address, holder=book.holder)
            make_book = book_maker(settings.broadcast_url, prefix, address, book.holder)
            renewer = Renewer(make_book, ownership.held_now, front.held_key, halt=_halt)
            ownership.on_round = renewer.loop_ran
            runtime.placement = _placement(ownership, runtime, redis_broadcaster)
            news = SessionNews(redis_broadcaster.redis, settings.broadcast_prefix, address, runtime)
            runtime.tell_workers = news.tell
            app.state.forwarder = Forwarder(
                front,
                ownership,
                CompetitionFinder(runtime),
                app.state.worker_signature,
                settings.forwards_in_flight,
            )
        else:
            broadcaster = Broadcaster(settings.websocket_queue)
            runtime = Runtime(settings, store, broadcaster)
        app.state.runtime = runtime
        app.state.leadership = front
        await broadcaster.start()
        if ownership is None or front is None:
            await runtime.start()
            if on_ready is not None:
                await on_ready(app)
        else:
            runtime.start_ticking()
            if news is not None:
                await news.start()
            front.start()
            if renewer is not None:
                renewer.start()
            ownership.start([row.id for row in store.competitions() if row.id is not None])
        gc.freeze()  # what start-up built lives as long as the server: keep it out of every collection
        gc.callbacks.append(_freeze_survivors)
        try:
            yield
        finally:
            if on_stopping is not None:
                on_stopping()
            gc.callbacks.remove(_freeze_survivors)
            if renewer is not None:  # from here the event loop alone renews, until it gives the leases back
                renewer.stop()
                await _bounded("stopping the lease renewer", asyncio.to_thread(renewer.thread.join, 3.0))
            if ownership is not None:
                ownership.stop_taking()
            if front is not None:
                await _bounded("giving up the front's lease", front.stop())
                await _bounded("closing the forwarder", app.state.forwarder.close())
            await _bounded("stopping the competitions", runtime.stop())
            if ownership is not None:  # the leases last until this worker has stopped writing
                await _bounded("giving up the competitions' leases", ownership.stop())
            if news is not None:
                await _bounded("stopping the session news", news.stop())
            await _bounded("stopping the broadcaster", broadcaster.stop())
            app.state.password_checks.close()
            engine.dispose()

    app = FastAPI(
        title="Salesfloor",
        version="0.1.0",
        description="A live competition platform for teaching customer relationship management.",
        lifespan=lifespan,
        docs_url=None,  # served below from vendored assets: no CDN
        redoc_url=None,
    )

    @app.get("/docs", include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Salesfloor API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    app.state.login_throttle = LoginThrottle(
        settings.login_failures_per_minute, settings.login_failures_per_target
    )
    app.state.proxy_trust = ProxyTrust(parse_networks(settings.trusted_proxies), settings.proxy_header)
    app.state.worker_signature = None
    uploads = {"/api/v1/competitions/import": MAX_ARCHIVE_BYTES}  # read as they come, counted
    app.add_middleware(KeyedCommands, large_paths=uploads)  # innermost: where the request is served
    app.add_middleware(TeamStatePath)  # the consoles' refreshes skip the routing
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ForwardToOwner)  # inside the body limits, outside the headers (as before)

    @app.exception_handler(ServerError)
    async def refused(_request: Request, exc: ServerError) -> JSONResponse:
        body: dict[str, Any] = {"detail": exc.reason, "code": exc.code, **exc.extra}
        return JSONResponse(body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def routing_refused(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        """No such route (404) or method (405, with Allow): the one shape of every refusal."""
        codes = {404: "not_found", 405: "method_not_allowed"}
        body = {"detail": str(exc.detail), "code": codes.get(exc.status_code, "refused")}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        body: dict[str, Any] = {"detail": _readable(exc), "code": "invalid"}
        field = _first_field(exc)
        if field is not None:
            body["field"] = field
        return JSONResponse(body, status_code=422)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        """A bug, not a refusal: the traceback goes to the log, the client gets no internals."""
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        body = {"detail": "the server failed on this request; the error is logged", "code": "internal"}
        return JSONResponse(body, status_code=500)

    # outermost: a body is measured and checked before it is forwarded or routed
    app.add_middleware(
        BodyLimits,
        max_bytes=settings.max_body_bytes,
        large_paths=uploads,
    )

    # the team's routes first: the consoles' refreshes and commands are most of a class's requests,
    # and routing tries each route in turn (no other router's paths overlap /api/v1/team's)
    for router in (
        team.router,
        session.router,
        exports.router,
        competitions.router,
        team_registration.router,
        market_controls.router,
        monitor.router,
        scoring_settings.router,
        members.router,
        peer_review.router,
        rubric.router,
        board_api.router,
        public.router,
        lobby.router,
        debrief.router,
        ws.router,
        previews.router,
        pages.router,
    ):
        app.include_router(router)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    openapi.document(app)
    return app
