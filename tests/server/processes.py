"""Real server processes for the tests that kill them: start, wait until healthy, SIGKILL, stop.

With ``log`` the server's standard error goes to that file (appended across restarts), so a
test can read the lines the server wrote; without it, to a pipe that a thread reads as the
server writes into ``output`` (a pipe nobody reads fills up, and a server writing to a full pipe
stops where it writes).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from server.client.api_client import SalesfloorClient

ROOT = Path(__file__).resolve().parents[2]
STOP_SECONDS = 30


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
        self.output: list[str] = []  # the lines written to standard error, without ``log``
        self._reader: threading.Thread | None = None
        if self.process.stderr is not None:
            self._reader = threading.Thread(target=self._read, args=(self.process.stderr,), daemon=True)
            self._reader.start()
        self.health()

    def _read(self, stream: Any) -> None:
        for raw in iter(stream.readline, b""):
            self.output.append(raw.decode(errors="replace").rstrip("\n"))

    def health(self, deadline: float = 60.0) -> dict[str, Any]:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self._written()}")
            try:
                out: dict[str, Any] = SalesfloorClient(self.url, timeout=1).request("GET", "/api/v1/health")
                return out
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"the server at {self.url} did not answer within {deadline} s")

    def log_text(self) -> str:
        """What the server has written to its log file so far ("" without one)."""
        return self.log.read_text(errors="replace") if self.log is not None and self.log.exists() else ""

    def _written(self) -> str:
        """Everything the server wrote to standard error, once it has exited."""
        if self._reader is not None:
            self._reader.join(timeout=5)
            return "\n".join(self.output)
        return self.log_text()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        """SIGTERM, and wait for the server to stop; a server that does not stop within
        ``STOP_SECONDS`` is asked where its threads are (SIGUSR1), killed, and the test fails
        with that dump (the server bounds its own shutdown well below this)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGUSR1)
                time.sleep(1)
                self.process.kill()
                self.process.wait(timeout=10)
                self._close_log()
                raise AssertionError(
                    f"the server did not stop within {STOP_SECONDS} s of SIGTERM; where it was:\n"
                    f"{self._written()}"
                ) from None
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
