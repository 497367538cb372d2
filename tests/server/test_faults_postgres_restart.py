"""PostgreSQL restarted, and stopped for a few seconds, under a running server.

A private cluster (tests/server/private_postgres.py) so the machine's shared one is left
alone. While the database is away, commands are refused with a 503 that says the database is
unavailable and to try again (never a 500, never an acknowledgement of a command not stored);
the tick loop and the public websocket keep going; the server logs one line when the database
goes away and one when it is back. Once it is back, commands are taken again without a
restart, the write-behind catches up, and a later SIGKILL recovers with damaged None, the
digest of an offline replay and the replayed standings.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.persistence.db.engine import make_engine
from server.persistence.store import Store
from tests.server.fault_drill import (
    BoardWatcher,
    MemberPlayer,
    instructor,
    new_competition,
    resume,
    verify,
    wait_until,
)
from tests.server.helpers import in_ci
from tests.server.private_postgres import PrivateCluster
from tests.server.processes import ServerProcess, free_port

UNAVAILABLE = (503, "unavailable")


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    try:
        cluster = PrivateCluster()
    except (RuntimeError, OSError, LookupError) as exc:
        if in_ci():
            pytest.fail(f"a private PostgreSQL cluster is required in CI: {exc}")
        pytest.skip(f"cannot make a private PostgreSQL cluster: {exc}")
    try:
        yield cluster
    finally:
        cluster.close()


def stored_events(url: str, cid: int) -> int:
    store = Store(make_engine(url))
    try:
        return len(store.event_payloads(cid))
    finally:
        store.engine.dispose()


def test_postgres_restart_and_outage_under_a_running_server(cluster: PrivateCluster, tmp_path: Path) -> None:
    env = {"DATABASE_URL": cluster.url}
    port, log = free_port(), tmp_path / "server.log"
    server = ServerProcess(env, port, log)
    player: MemberPlayer | None = None
    board: BoardWatcher | None = None
    try:
        cid, code = new_competition(server.url, seed=33, seconds_per_hour=0.5)
        player = MemberPlayer(server.url, code).start()
        board = BoardWatcher(server.url, cid)
        wait_until(lambda: len(player.acks) >= 10, 60, "acknowledged member commands")

        # a restart: connections in the pool die in the middle of whatever they were doing
        cluster.restart()
        before = len(player.acks)
        wait_until(lambda: player.acknowledged_since(before) >= 10, 60, "commands taken after the restart")

        # an outage of a few seconds
        refused = player.refusals[UNAVAILABLE]
        cluster.stop()
        wait_until(lambda: player.refusals[UNAVAILABLE] >= refused + 5, 60, "503 refusals during the outage")
        acked_in_outage, seen, t_seen = len(player.acks), time.monotonic(), board.latest_t()
        wait_until(
            lambda: board.latest_t(after=seen) > t_seen,
            60,
            "the public board to move on while the database is away",
        )
        assert len(player.acks) == acked_in_outage  # nothing acknowledged while the database is away
        cluster.start()
        before = len(player.acks)
        wait_until(lambda: player.acknowledged_since(before) >= 10, 60, "commands taken after the outage")

        reason = player.refusal_reasons[UNAVAILABLE]
        assert "database is unavailable" in reason and "try again" in reason, reason
        assert not [key for key in player.refusals if key[0] >= 500 and key != UNAVAILABLE], player.refusals
        assert board.error is None, board.error

        # the write-behind catches up: once paused, every event up to the pause is stored
        admin = instructor(server.url)
        admin.request("POST", f"/api/v1/competitions/{cid}/pause")
        events = admin.request("GET", f"/api/v1/competitions/{cid}")["events"]
        wait_until(lambda: stored_events(cluster.url, cid) >= events, 30, "the write-behind to catch up")
        assert resume(server.url, cid) == "running"

        wait_until(
            lambda: "database back after" in server.log_text(), 30, "the log line that the database is back"
        )
        text = server.log_text()
        away, back = text.count("database unavailable"), text.count("database back after")
        assert 1 <= away <= 2 and back == away, text  # the restart may pass unseen; never once per tick
        assert player.refusals[UNAVAILABLE] > away
        assert "Traceback" not in text, text

        before = len(player.acks)
        wait_until(lambda: player.acknowledged_since(before) >= 5, 60, "more play")
        player.stop()
        board.stop()
        server.kill()
        server = ServerProcess(env, port, log)
        verify(server.url, cluster.url, cid, player, in_flight=1)
    finally:
        if player is not None:
            player.stop()
        if board is not None:
            board.stop()
        server.stop()
