"""A private PostgreSQL cluster for one test, which it may stop and restart at will.

The machine's shared cluster serves other tests in parallel, so a test that takes the
database away under a running server gets its own: ``initdb`` into a temporary directory owned
by the ``postgres`` user (initdb refuses root), trust authentication, a free port on
127.0.0.1 and the unix socket in the same directory. ``stop`` and ``start`` make an outage,
``restart`` a quick one; ``close`` stops the cluster and removes its files.
"""

from __future__ import annotations

import contextlib
import glob
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.server.processes import free_port


def postgres_bin() -> Path | None:
    """The directory of PostgreSQL's server programs (initdb, pg_ctl), if installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PrivateCluster:
    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None or shutil.which("runuser") is None:
            raise RuntimeError("PostgreSQL's initdb (or runuser) is not installed")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="sf-private-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        shutil.chown(self.root, "postgres", "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.start()

    def _as_postgres(self, program: str, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(self.bin / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}\n{done.stderr}")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            "pg_ctl",
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-w",
            "-o",
            options,
            *extra,
        )

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # not running
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
