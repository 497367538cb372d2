"""A stop signal stops the server: no step of the shutdown may hold it up for long.

A step that does not finish (a Redis that stops answering, a worker process that hangs) is
given ``SHUTDOWN_STEP_SECONDS`` and then left behind with one log line; the steps after it
still run, so the database is closed as in any other stop.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI

from server import app as app_module
from server.live.runtime import Runtime
from tests.server.helpers import make_app

ROOT = Path(__file__).resolve().parents[2]


def test_a_step_that_never_finishes_is_left_behind_and_the_rest_still_runs(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(app_module, "SHUTDOWN_STEP_SECONDS", 0.2)
    stopped: list[str] = []

    async def hang(self: Runtime) -> None:
        stopped.append("runtime")
        await asyncio.Event().wait()  # nothing ever sets it

    monkeypatch.setattr(Runtime, "stop", hang)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            broadcaster = app.state.runtime.broadcaster
            original = broadcaster.stop

            async def stop_broadcaster() -> None:
                stopped.append("broadcaster")
                await original()

            broadcaster.stop = stop_broadcaster

    with caplog.at_level(logging.WARNING, logger="salesfloor"):
        asyncio.run(asyncio.wait_for(run(), 30))  # without the bound: never
    assert stopped == ["runtime", "broadcaster"]  # the step after the hung one still ran
    assert any("stopping the competitions took longer than 0.2 s" in r.getMessage() for r in caplog.records)


def test_a_prompt_shutdown_logs_nothing(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(sqlite_url)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            pass

    with caplog.at_level(logging.WARNING, logger="salesfloor"):
        asyncio.run(run())
    assert not [r for r in caplog.records if "shutdown" in r.getMessage()]


def test_a_server_whose_shutdown_hangs_past_the_deadline_writes_its_threads_and_exits() -> None:
    """What `salesfloor serve` arms when its shutdown begins: a thread that never returns cannot
    keep the process alive past the deadline."""
    program = (
        "import threading, time\n"
        "from server.cli import serve as cli\n"
        "cli.SHUTDOWN_DEADLINE_SECONDS = 0.5\n"
        "cli._stop_by_deadline()\n"
        "threading.Thread(target=time.sleep, args=(60,), name='stuck').start()\n"
        "time.sleep(60)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=50
    )
    assert done.returncode == 1
    assert "Timeout (0:00:00.500000)!" in done.stderr and done.stderr.count("Thread 0x") >= 2
