"""The SQLite file's disk fills up under a running server, then gets room again.

The database lives on a small tmpfs (mounted here: the tests run as root); a filler file takes
the rest of it until ENOSPC. Commands are then refused with a 503 that says the database is
full, the log says so once, nothing acknowledged is lost and a refused command does not move
the competition on. Once the filler is deleted the server takes commands again by itself, and
after a SIGKILL it recovers with damaged None, the digest of an offline replay and the
replayed standings. Without permission to mount, the test skips outside CI and fails in it.
"""

from __future__ import annotations

import contextlib
import errno
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.client.api_client import ApiError
from teams import commands as c
from tests.server.fault_drill import Ack, MemberPlayer, instructor, new_competition, verify, wait_until
from tests.server.helpers import in_ci
from tests.server.processes import ServerProcess, free_port

FULL = (503, "unavailable")


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """An 8 MiB tmpfs, unmounted afterwards."""
    where = Path(tempfile.mkdtemp(prefix="sf-small-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        where.rmdir()
        reason = (
            f"cannot mount a tmpfs for the full-disk test: {mounted.stderr.strip() or mounted.returncode}"
        )
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        with contextlib.suppress(OSError):
            where.rmdir()


def fill(path: Path) -> int:
    """Write ``path`` until the disk has no room left; the bytes written."""
    written = 0
    with path.open("wb", buffering=0) as filler:
        for size in (1 << 16, 1 << 12, 1 << 9):
            block = b"\0" * size
            while True:
                try:
                    written += filler.write(block) or 0
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    return written


def test_disk_full_refuses_commands_and_recovers_by_itself(small_disk: Path, tmp_path: Path) -> None:
    database_url = f"sqlite:///{small_disk / 'full.db'}"
    env = {"DATABASE_URL": database_url}
    port, log = free_port(), tmp_path / "server.log"
    server = ServerProcess(env, port, log)
    player: MemberPlayer | None = None
    try:
        cid, code = new_competition(server.url, seed=44, seconds_per_hour=0.5)
        admin = instructor(server.url)  # logged in before the disk fills: a login writes a session
        player = MemberPlayer(server.url, code).start()
        wait_until(lambda: len(player.acks) >= 10, 60, "acknowledged member commands")

        second = MemberPlayer(server.url, code)  # joined now: joining writes a session
        filler = small_disk / "filler"
        assert fill(filler) > 0
        wait_until(lambda: player.refusals[FULL] >= 5, 60, "503 refusals on the full disk")
        reason = player.refusal_reasons[FULL]
        assert "database is full" in reason and "try again" in reason, reason

        def human_commands() -> int:
            rows = admin.request("GET", f"/api/v1/competitions/{cid}/commands", params={"limit": 10000})
            return sum(1 for row in rows if row["source"] == "human")

        # one command at a time: a refused one is not applied, an acknowledged one is (a nearly
        # full disk may still take a write now and then)
        player.hold()
        refusals, flip = 0, False
        for _ in range(300):
            applied, flip = human_commands(), not flip
            try:
                result = second.client.command(c.SetApologyPolicy(team="", enabled=flip))
            except ApiError as exc:
                assert (exc.status, exc.code) == FULL, exc
                assert "database is full" in exc.detail, exc.detail
                assert human_commands() == applied  # the refused command did not move anything
                refusals += 1
                if refusals == 5:
                    break
                continue
            player.acks.append(Ack(result["t_sim"], "set_apology_policy", flip, tuple(result["events"])))
            assert human_commands() == applied + 1
        assert refusals == 5
        assert not [key for key in player.refusals if key[0] >= 500 and key != FULL], player.refusals
        health = admin.request("GET", "/api/v1/health")
        assert (health["ok"], health["database"]) == (False, "full"), health
        acked = len(player.acks)
        player.go()

        filler.unlink()
        player.await_acks(acked + 10, "commands taken once there is room")
        wait_until(
            lambda: "database back after" in server.log_text(), 30, "the log line that the database is back"
        )
        text = server.log_text()
        assert text.count("database full") == 1, text
        assert text.count("database back after") == 1, text
        assert "Traceback" not in text, text
        health = admin.request("GET", "/api/v1/health")
        assert (health["ok"], health["database"]) == (True, "ok"), health

        player.stop()
        second.stop()
        server.kill()
        server = ServerProcess(env, port, log)
        verify(server.url, database_url, cid, player, in_flight=1)
    finally:
        if player is not None:
            player.stop()
        server.stop()
