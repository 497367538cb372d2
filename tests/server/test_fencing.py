"""Fencing: a worker whose owner epoch is stale writes nothing of a competition's logs.

On SQLite and PostgreSQL: each take raises the epoch; every log write with an older epoch
raises ``StaleOwner`` and leaves the database as it was, while no epoch (one process) checks
nothing. A live competition whose owner was taken over refuses its batch with a 503 and stops
its process (one critical line), while the new owner goes on and its log replays to its state;
so does each instructor's change of its state, a join and a peer review (nothing stored).
On PostgreSQL, the row lock orders a stale writer against a takeover: a stale commit lands
before the takeover's read, or is refused. Migration 0011 is tested as the others are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from market.events import event_to_json
from server.live import LiveCompetition
from server.live.refusals import MOVED
from server.live.runtime import Runtime
from server.persistence.db.engine import IDLE_IN_TRANSACTION_MS, make_engine, migrate
from server.persistence.store import StaleOwner, Store
from server.persistence.store.fencing import check_owner
from server.settings import Settings
from server.wire.broadcast import Broadcaster
from simulator.competition import Outcome
from teams import commands as c
from tests.server.helpers import (
    create_competition,
    insert_old_competition,
    join_team,
    login_instructor,
    make_app,
    table_rows,
    wait_for,
)
from tests.server.store_rows import add_competition, command_row

APOLOGY = "/api/v1/team/policies/apology"
T = TypeVar("T")


def _epoch(store: Store, competition_id: int) -> int:
    with store.engine.connect() as connection:
        query = text("SELECT owner_epoch FROM competitions WHERE id = :id")
        return int(connection.execute(query, {"id": competition_id}).scalar_one())


def test_each_take_raises_the_epoch_and_a_stale_epoch_writes_nothing(store: Store) -> None:
    cid = add_competition(store)
    assert _epoch(store, cid) == 0  # a new competition: nobody has taken it yet
    assert [store.take_owner_epoch(cid) for _ in range(3)] == [1, 2, 3]
    assert store.take_owner_epoch(cid + 1) is None  # no such competition
    assert _epoch(store, cid) == 3
    store.add_commands([command_row(cid, 0)], epoch=3)
    for stale in (0, 2, 4):  # an older epoch, and one never taken
        with pytest.raises(StaleOwner) as refused:
            store.add_commands([command_row(cid, 1), command_row(cid, 2)], epoch=stale)
        assert refused.value.competition_id == cid and refused.value.epoch == stale
        with pytest.raises(StaleOwner):
            store.write_behind(cid, [], [(0, True, "fenced")], epoch=stale)
        with pytest.raises(StaleOwner):
            store.save_reply(cid, 0, '{"stale": true}', epoch=stale)
        with pytest.raises(StaleOwner):
            store.drop_commands_from(cid, 0, epoch=stale)
        with pytest.raises(StaleOwner):
            store.save_clock(cid, "running", 9.0, 1.0, epoch=stale)
        with pytest.raises(StaleOwner):
            store.save_board(cid, None, epoch=stale, freeze_t=5.0)
    [row] = store.commands(cid)  # nothing of the stale writes is in the log
    assert (row.seq, row.accepted, row.reason, row.reply) == (0, None, "", None)
    assert _epoch(store, cid) == 3
    competition = store.competition(cid)
    assert competition is not None
    assert (competition.state, competition.sim_t, competition.freeze_t) == ("draft", 0.0, None)
    store.save_clock(cid, "paused", 2.0, None, epoch=3)
    store.save_board(cid, None, epoch=3, freeze_t=5.0)
    competition = store.competition(cid)
    assert competition is not None
    assert (competition.state, competition.sim_t, competition.freeze_t) == ("paused", 2.0, 5.0)
    store.write_behind(cid, [], [(0, True, "owner")], epoch=3)
    store.save_reply(cid, 0, '{"owner": true}', epoch=3)
    [row] = store.commands(cid)
    assert (row.accepted, row.reason, row.reply) == (True, "owner", '{"owner": true}')
    assert store.drop_commands_from(cid, 0, epoch=3) == 1
    store.add_commands([command_row(cid, 0)])  # one process: no epoch, no check
    assert store.command_count(cid) == 1 and _epoch(store, cid) == 3


def _on_loop(client: TestClient, work: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run ``work(*args)`` on the app's event loop, where its live competitions run."""
    portal = client.portal
    assert portal is not None, "use the client as a context manager"
    return portal.call(work, *args)


def _second_runtime(db_url: str, halted: list[str], name: str) -> Runtime:
    """Another worker's runtime on the same database, whose halt is recorded instead of exiting."""
    settings = Settings(database_url=db_url, instructor_password="pw", broadcast_url=None, secret=None)
    runtime = Runtime(settings, Store(make_engine(db_url)), Broadcaster())
    runtime.halt = lambda: halted.append(name)
    return runtime


def _events(live: LiveCompetition) -> list[str]:
    return [event_to_json(event) for event in live.started().log]


def test_a_stale_owner_refuses_its_batch_and_stops_while_the_new_owner_goes_on(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    halted: list[str] = []
    with TestClient(make_app(db_url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Humans", None),))
        member = join_team(client, game.codes["Humans"], "Ann")
        first = client.app.state.runtime  # type: ignore[attr-defined]
        first.halt = lambda: halted.append("first")
        stale = first.get(game.id)
        _on_loop(client, first.own, stale)  # as a worker placing a new competition
        assert stale.writer.epoch == 1
        ok = client.put(APOLOGY, json={"enabled": True}, headers=member)
        assert ok.status_code == 200, ok.text
        # frozen past its lease: another worker takes the competition over and recovers it
        second = _second_runtime(db_url, halted, "second")
        _on_loop(client, second.adopt, game.id)
        owner = second.get(game.id)
        assert owner.writer.epoch == 2 and owner.next_seq == 1 and owner.damaged is None
        # the first runs again: its next batch is refused, nothing is written, and it stops
        with caplog.at_level(logging.CRITICAL, logger="salesfloor.live"):
            refused = client.put(APOLOGY, json={"enabled": False}, headers=member)
            assert refused.status_code == 503, refused.text
            wait_for(lambda: "first" in halted, what="the stale worker stopping")
        stopping = [r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL]
        assert stopping == [
            f"competition {game.id}: another worker has taken it over (owner epoch 1 is stale); "
            "stopping so that only one worker writes its log"
        ]
        assert second.store.command_count(game.id) == 1
        # the new owner takes commands on, from the next seq, and writes behind
        member_id = second.store.commands(game.id)[0].member_id
        command = c.SetApologyPolicy(team="Humans", enabled=False)

        async def send() -> Outcome:
            outcome = await owner.submit(command, "human", member_id)
            await owner.flush()
            return outcome

        assert _on_loop(client, send).accepted
        assert "second" not in halted
        assert [row.seq for row in second.store.commands(game.id)] == [0, 1]
        # its log replays to its live state: a third take recovers the same events, undamaged
        third = _second_runtime(db_url, halted, "third")
        _on_loop(client, third.adopt, game.id)
        again = third.get(game.id)
        assert again.writer.epoch == 3 and again.damaged is None
        assert _events(again) == _events(owner)
        assert halted.count("second") == halted.count("third") == 0
        for runtime in (second, third):
            runtime.store.engine.dispose()


CRITERION = {"name_en": "Pitch", "name_zh": "推介", "max_points": 10, "per_round": False}
WEIGHTS = {"conversion": 1, "satisfaction": 0, "receivables": 0, "profit": 0, "rubric": 0}


def test_a_stale_owner_refuses_every_change_of_the_competitions_state_and_stops(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker frozen past its lease, woken after the takeover, with instructor's changes and a
    join at its door: each is answered 503 (try again: by then at the new owner), the worker
    stops at the first (one critical line), and the database is exactly as the takeover left it."""
    halted: list[str] = []
    with TestClient(make_app(db_url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Humans", None),), start=False)
        join_team(client, game.codes["Humans"], "Ann")
        added = client.post(game.path("/rubric/criteria"), json=CRITERION, headers=instructor)
        assert added.status_code == 201, added.text
        criterion = added.json()["id"]
        first = client.app.state.runtime  # type: ignore[attr-defined]
        first.halt = lambda: halted.append("first")
        _on_loop(client, first.own, first.get(game.id))  # epoch 1
        second = _second_runtime(db_url, halted, "second")
        _on_loop(client, second.adopt, game.id)  # epoch 2: the first is stale from here on
        before = table_rows(second.store.engine, leave_out=("sessions",))
        sessions = table_rows(second.store.engine)["sessions"]
        changes: list[tuple[str, str, Any]] = [
            ("POST", "/parameters", {"changes": {"product.list_price": 101}}),
            ("POST", "/teams", {"name": "Late"}),
            ("PUT", "/starts-at", {"minutes": 5}),
            ("PUT", "/scoring", {"weights": WEIGHTS, "normalisation": "rank"}),
            ("POST", "/rubric/criteria", CRITERION),
            ("PUT", f"/rubric/criteria/{criterion}", {**CRITERION, "max_points": 20}),
            ("DELETE", f"/rubric/criteria/{criterion}", None),
            (
                "PUT",
                "/rubric/scores",
                {"criterion_id": criterion, "team": "Humans", "points": 3, "judge": "Jo"},
            ),
            ("PUT", "/awards/medals", {"gold": 2, "silver": 1, "bronze": 1}),
            ("POST", "/teams/Humans/join-code", None),
            ("DELETE", "/teams/Humans/members/Ann", None),
        ]
        with caplog.at_level(logging.CRITICAL, logger="salesfloor.live"):
            for method, suffix, body in changes:
                answer = client.request(method, game.path(suffix), json=body, headers=instructor)
                assert answer.status_code == 503, (suffix, answer.text)
                assert answer.json()["detail"] == MOVED and answer.headers["Retry-After"] == "2"
            join = {"code": game.codes["Humans"], "name": "Bea", "role": "sales"}
            answer = client.post("/api/v1/session/join", json=join)
            assert answer.status_code == 503 and answer.json()["detail"] == MOVED, answer.text
        assert halted == ["first"] * (len(changes) + 1)  # it stops at the first; each refusal says so again
        assert [r.levelno for r in caplog.records if r.levelno >= logging.ERROR] == [logging.CRITICAL]
        assert table_rows(second.store.engine, leave_out=("sessions",)) == before
        assert len(table_rows(second.store.engine)["sessions"]) == len(sessions)  # Ann's stays, no Bea's
        second.store.engine.dispose()


def test_a_stale_owner_takes_no_peer_review(db_url: str) -> None:
    """Ratings open once the competition has finished, as the worker's live state says: a stale
    worker's review is refused (503) like its other writes, and nothing of it is stored."""
    halted: list[str] = []
    with TestClient(make_app(db_url)) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Humans", None),))
        ann = join_team(client, game.codes["Humans"], "Ann")
        join_team(client, game.codes["Humans"], "Bea", role="sales")
        ended = client.post(game.path("/end"), headers=instructor)
        assert ended.status_code == 200 and ended.json()["state"] == "finished", ended.text
        mates = client.get("/api/v1/team/peer-review", headers=ann).json()["teammates"]
        ratings = {"ratings": [{"member_id": mates[0]["member_id"], "rating": 4}]}
        first = client.app.state.runtime  # type: ignore[attr-defined]
        first.halt = lambda: halted.append("first")
        _on_loop(client, first.own, first.get(game.id))
        second = _second_runtime(db_url, halted, "second")
        _on_loop(client, second.adopt, game.id)
        refused = client.put("/api/v1/team/peer-review", json=ratings, headers=ann)
        assert refused.status_code == 503 and refused.json()["detail"] == MOVED, refused.text
        assert halted == ["first"] and second.store.peer_reviews(game.id) == []
        second.store.engine.dispose()


def _blocked_on_a_lock(store: Store) -> bool:
    """Whether another connection to the database waits for a row lock (PostgreSQL)."""
    with store.engine.connect() as connection:
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return bool(connection.execute(query).scalar_one())


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_on_postgresql_a_stale_commit_lands_before_the_takeover_reads_or_is_refused(
    store: Store,
) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("the row lock's order is PostgreSQL's (SQLite has one writer at a time)")
    cid = add_competition(store)
    assert store.take_owner_epoch(cid) == 1
    # the stale writer's check locks the row first: the takeover waits, then reads its commit
    session = store.session()
    check_owner(session.connection(), cid, 1)
    session.add(command_row(cid, 0))
    session.flush()
    taking, took = _in_thread(lambda: (store.take_owner_epoch(cid), store.command_count(cid)))
    wait_for(lambda: _blocked_on_a_lock(store), timeout=30, what="the takeover waiting for the row")
    session.commit()
    session.close()
    taking.join(30)
    assert took == {"value": (2, 1)}  # the epoch raised after the stale commit, which it reads
    # the takeover locks the row first: the stale writer waits, then matches no row
    with store.engine.connect() as raising:
        transaction = raising.begin()
        raising.execute(
            text("UPDATE competitions SET owner_epoch = owner_epoch + 1 WHERE id = :id"), {"id": cid}
        )
        writing, wrote = _in_thread(lambda: store.add_commands([command_row(cid, 1)], epoch=2))
        wait_for(lambda: _blocked_on_a_lock(store), timeout=30, what="the stale writer waiting for the row")
        transaction.commit()
    writing.join(30)
    assert isinstance(wrote.get("error"), StaleOwner)
    assert [row.seq for row in store.commands(cid)] == [0] and _epoch(store, cid) == 3


def test_migration_0011_starts_every_competition_at_epoch_0(db_url: str) -> None:
    engine: Engine = make_engine(db_url)
    migrate(engine, "0010")
    with engine.begin() as connection:
        insert_old_competition(connection, 1, "running")
        insert_old_competition(connection, 2, "finished", judge_code="K")
    migrate(engine)
    with engine.begin() as connection:
        epochs = connection.execute(text("SELECT id, owner_epoch FROM competitions ORDER BY id")).all()
    assert epochs == [(1, 0), (2, 0)]
    store = Store(engine)
    assert store.take_owner_epoch(2) == 1 and _epoch(store, 1) == 0
    engine.dispose()


def test_on_postgresql_a_transaction_frozen_with_the_row_lock_is_ended_and_the_takeover_goes_on(
    store: Store, db_url: str
) -> None:
    """A worker frozen inside a fenced write (SIGSTOP, a paused VM) holds the competition's row:
    PostgreSQL ends its session once it is idle in its transaction for IDLE_IN_TRANSACTION_MS (here
    1 s, through the URL's own options), and the takeover's raise of the epoch goes through."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no sessions to end")
    with store.engine.connect() as connection:
        setting = connection.execute(text("SHOW idle_in_transaction_session_timeout")).scalar_one()
    assert setting == f"{IDLE_IN_TRANSACTION_MS // 1000}s"
    cid = add_competition(store)
    assert store.take_owner_epoch(cid) == 1
    joiner = "&" if "?" in db_url else "?"
    frozen_engine = make_engine(f"{db_url}{joiner}options=-c%20idle_in_transaction_session_timeout%3D1000")
    try:
        frozen = frozen_engine.connect()
        frozen.begin()
        check_owner(frozen, cid, 1)  # the row locked, then nothing more: the process froze
        assert store.take_owner_epoch(cid) == 2  # waits about 1 s, then takes the row
        with pytest.raises(Exception, match=r"idle-in-transaction|terminat|closed"):
            frozen.execute(text("SELECT 1"))  # woken: its session is gone
        frozen.invalidate()
    finally:
        frozen_engine.dispose()
