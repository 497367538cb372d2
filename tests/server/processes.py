"""Real server processes for the tests that kill them: start, wait until healthy, SIGKILL, stop.

With ``log`` the server's standard error goes to that file (appended across restarts), so a
test can read the lines the server wrote; without it, to a pipe read when the server exits.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from server.client import SalesfloorClient

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``salesfloor serve`` in a subprocess, with the instructor password ``pw``."""

    def __init__(self, env: dict[str, str], port: int | None = None, log: Path | None = None) -> None:
        port = port or free_port()
        self.log = log
        self._log_file = log.open("ab") if log is not None else None
        self.url = f"http://127.0.0.1:{port}"
        full = {
            **os.environ,
            "INSTRUCTOR_PASSWORD": "pw",
            "TICK_SECONDS": "0.05",
            "COMMANDS_PER_MINUTE": "100000",
            "ADVERTISE_URL": self.url,
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
            env=full,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE if self._log_file is None else self._log_file,
        )
        self.health()

    def health(self, deadline: float = 60.0) -> dict[str, Any]:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else self.log_text()
                raise RuntimeError(f"the server exited: {error}")
            try:
                out: dict[str, Any] = SalesfloorClient(self.url, timeout=1).request("GET", "/api/v1/health")
                return out
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"the server at {self.url} did not answer within {deadline} s")

    def log_text(self) -> str:
        """What the server has written to its log file so far ("" without one)."""
        return self.log.read_text(errors="replace") if self.log is not None and self.log.exists() else ""

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
