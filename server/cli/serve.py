"""The live server from the command line: ``serve``, ``demo`` (the server with house bots playing),
and ``bot`` (a reference bot that plays one team of a running server).
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import signal
import sys
from typing import Any

from server.cli.args import CliError, whole_number
from teams.bots import BOTS

KEEP_ALIVE_SECONDS = 30
"""How long an idle HTTP connection stays open: longer than the console's 5 s refresh, so a refresh
never meets a connection the server is closing (uvicorn's default is 5 s)."""
SHUTDOWN_GRACE_SECONDS = 5
"""How long a stop signal waits for requests under way before the server closes them: without a
bound, one slow client would keep the server from stopping."""
SHUTDOWN_DEADLINE_SECONDS = 20
"""How long the shutdown may take once the requests are done: past it the server writes where each
thread is to standard error and exits (code 1), as after a kill — the next start recovers from the
command log."""


def _stop_by_deadline() -> None:
    faulthandler.dump_traceback_later(SHUTDOWN_DEADLINE_SECONDS, exit=True)


LISTEN_WAIT_SECONDS = 60.0
_announcing: set[asyncio.Task[None]] = set()


def _once_listening(host: str, port: int) -> Any:
    """``print``, but once the server accepts connections: the demo is set up while the server
    starts, before it listens, and an address printed earlier would refuse the first click."""
    target = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host

    async def wait_then_print(text: str) -> None:
        deadline = asyncio.get_running_loop().time() + LISTEN_WAIT_SECONDS
        while asyncio.get_running_loop().time() < deadline:
            try:
                _reader, writer = await asyncio.open_connection(target, port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            break
        print(text, flush=True)

    def announce(text: str) -> None:
        task = asyncio.get_running_loop().create_task(wait_then_print(text))
        _announcing.add(task)
        task.add_done_callback(_announcing.discard)

    return announce


def _settings(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from server.settings import Settings

    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first.get("loc", ())).upper() or "a setting"
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise CliError(f"setting {name}: {message} (from the environment or .env)") from None


def _allow_open_files(wanted: int) -> None:
    """Raise the soft limit on open files towards ``wanted`` (each websocket holds one)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < wanted:
        print(
            f"salesfloor: warning: at most {soft} open files (ulimit -n), fewer than the "
            f"{wanted} that WEBSOCKET_MAX_CONNECTIONS needs; raise the limit or lower the setting",
            file=sys.stderr,
        )


def _run_server(args: argparse.Namespace, demo: bool) -> int:
    import uvicorn

    from server.app import create_app
    from server.wire.ws_protocol import bounded_protocol

    settings = _settings(args)  # a bad setting stops here, before anything is announced
    on_ready = None
    if not demo:
        print(f"Salesfloor on http://{settings.host}:{settings.port} (Ctrl-C to stop)", flush=True)
    if demo:
        from server.live.demo import start_demo

        async def on_ready(app: Any) -> None:
            announce = _once_listening(settings.host, settings.port)
            await start_demo(app, settings.host, settings.port, announce=announce, seed=args.seed)

    app = create_app(settings, on_ready=on_ready, on_stopping=_stop_by_deadline)
    # `kill -USR1 PID` writes where every thread is to standard error: what a hung server waits on
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    _allow_open_files(settings.websocket_max_connections + 1000)  # and some for HTTP, the database
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            ws=bounded_protocol(settings.websocket_send_timeout, settings.websocket_send_buffer),
            ws_max_size=settings.websocket_max_message,
            ws_per_message_deflate=settings.websocket_compression,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            proxy_headers=False,  # TRUSTED_PROXIES decides whom to believe (security/client_address.py)
        )
    except OSError as exc:
        raise CliError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return _run_server(args, demo=False)


def cmd_demo(args: argparse.Namespace) -> int:
    return _run_server(args, demo=True)


def cmd_bot(args: argparse.Namespace) -> int:
    import asyncio

    from server.client.api_client import ApiError
    from server.client.remote_bot import play

    try:
        asyncio.run(play(args.url, args.code, args.strategy, args.name, args.role))
    except ApiError as exc:
        raise CliError(exc.detail) from None
    except OSError as exc:
        raise CliError(f"cannot reach {args.url}: {exc}") from None
    return 0


def add_parsers(sub: Any) -> None:
    """``serve``, ``demo`` and ``bot``."""
    for name, run, text in (
        ("serve", cmd_serve, "start the server (DATABASE_URL or salesfloor.db)"),
        ("demo", cmd_demo, "start the server with a demo competition played by house bots"),
    ):
        sv = sub.add_parser(name, help=text)
        sv.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
        sv.add_argument("--port", type=whole_number(1, 65535), default=None, help="port (default 8000)")
        if name == "demo":
            sv.add_argument(
                "--seed",
                type=whole_number(0, 2**31 - 1),
                default=None,
                help="the market's seed (default: a new one each time; the same seed plays the same market)",
            )
        sv.set_defaults(run=run)

    bt = sub.add_parser("bot", help="play a team of a live competition with a reference bot")
    bt.add_argument("--url", default="http://127.0.0.1:8000", help="the server")
    bt.add_argument("--code", required=True, help="the team's join code")
    bt.add_argument("--strategy", default="balanced", choices=sorted(BOTS))
    bt.add_argument("--name", default="bot", help="the member name the bot joins with")
    bt.add_argument("--role", default="manager", choices=("manager", "sales", "service", "finance"))
    bt.set_defaults(run=cmd_bot)
