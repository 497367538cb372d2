"""A database written before the server refused lone surrogates heals (issue 11.1), on SQLite and
PostgreSQL: the migration turns each stored one into U+FFFD, and the competition replays, shows,
exports and archives as if the text had been sent that way.

How bad text sits in each database was found out, not assumed: the old server stored a
surrogate only inside JSON, as the six ASCII characters of its escape (both drivers refuse to
send a raw one, and PostgreSQL refuses its bytes and its escapes); SQLite also keeps any bytes
another program writes, and those are read with replacement characters.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from alembic.script import Script, ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from server.persistence.db.engine import MIGRATIONS, normalise_url
from server.persistence.db.text_repair import repair_tables
from tests.server.every_view import every_view_works
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    pause,
    postgres_database,
    team_state,
    wait_for,
)

MARK = "LONEMARK"
ESCAPE = "\\ud800"  # what Python's json.dumps wrote for a lone U+D800: six ASCII characters


def _stored(url: str, query: str) -> Any:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar()
    finally:
        engine.dispose()


def _play_with_marked_text(url: str) -> tuple[Game, str, Headers]:
    """A competition whose commands and events carry MARK where the old server took a lone surrogate:
    a note (sent with an Idempotency-Key), a campaign the desk refused, an announcement."""
    with TestClient(make_app(url)) as client:
        ins = login_instructor(client)
        game = create_competition(
            client, ins, teams=(("Ant", None),), seconds_per_hour=0.01, rounds=3, seed=5
        )
        ann = join_team(client, game.codes["Ant"], "Ann")
        customer = wait_for(lambda: team_state(client, ann)["customers"], what="a customer")[0]["customer_id"]
        note = client.post(
            f"/api/v1/team/customers/{customer}/notes",
            json={"text": f"x{MARK}y"},
            headers={**ann, "Idempotency-Key": "note-1"},
        )
        assert note.status_code == 200, note.text
        campaign = client.post(
            "/api/v1/team/campaigns", json={"segment": f"smb{MARK}", "budget": 10}, headers=ann
        )
        assert campaign.status_code == 422, campaign.text  # refused by the desk, and logged
        announced = client.post(game.path("/announcements"), json={"text": f"hi {MARK}"}, headers=ins)
        assert announced.status_code == 200, announced.text
        pause(client, game)
        wait_for(
            lambda: _stored(url, f"SELECT count(*) FROM events WHERE payload LIKE '%{MARK}%'") == 2,
            what="the events written behind",
        )
    return game, customer, ann


def _repair() -> Script:
    """The migration that repairs lone surrogates (found by what it runs)."""
    scripts = ScriptDirectory(str(MIGRATIONS))
    (repair,) = [
        s for s in scripts.walk_revisions() if getattr(s.module, "repair_tables", None) is repair_tables
    ]
    return repair


def _before_the_repair() -> str:
    """The revision before the repair."""
    down = _repair().down_revision
    assert isinstance(down, str)
    return down


def _back_to_the_repair(engine: Engine) -> None:
    """Undo the migrations that came after the repair, so the schema is the one the old server knew."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, _repair().revision)


def _as_the_old_server_left_it(url: str) -> None:
    """Put the escape where the mark is, as the old server stored it, and forget the repair."""
    engine = create_engine(normalise_url(url))
    _back_to_the_repair(engine)
    with engine.begin() as connection:
        for table, column in (
            ("commands", "payload"),
            ("commands", "reply"),
            ("commands", "reason"),
            ("events", "payload"),
        ):
            connection.execute(
                text(
                    f"UPDATE {table} SET {column} = REPLACE({column}, :mark, :escape) WHERE {column} LIKE :x"
                ),
                {"mark": MARK, "escape": ESCAPE, "x": f"%{MARK}%"},
            )
        connection.execute(
            text("UPDATE alembic_version SET version_num = :before"), {"before": _before_the_repair()}
        )
    engine.dispose()


def test_a_database_holding_lone_surrogates_heals_at_the_next_start(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    game, customer, ann = _play_with_marked_text(db_url)
    _as_the_old_server_left_it(db_url)
    assert (
        _stored(db_url, "SELECT count(*) FROM commands WHERE payload LIKE '%\\ud800%'") == 3
    )  # note, campaign, announcement
    with caplog.at_level(logging.WARNING, logger="salesfloor"), TestClient(make_app(db_url)) as client:
        game.instructor = login_instructor(client)
        lin = join_team(client, game.codes["Ant"], "Lin", "sales")
        detail = every_view_works(client, game, lin, "Ant")
        assert not detail["damaged"], detail["damaged"]  # the repaired log replays to the repaired events
        notes = [n for c in team_state(client, lin)["customers"] for n in c.get("notes", [])]
        assert any("x\ufffdy" in str(note) for note in notes), notes
        log = client.get(game.path("/commands"), headers=game.instructor).json()
        assert [e["command"]["text"] for e in log if e["command"]["kind"] == "add_note"] == ["x\ufffdy"]
        campaign = next(e for e in log if e["command"]["kind"] == "launch_campaign")
        assert campaign["command"]["segment"] == "smb\ufffd" and campaign["accepted"] is False
        events = client.get(game.path("/events"), params={"limit": 5000}, headers=game.instructor).json()
        assert any(e.get("text") == "hi \ufffd" for e in events)
        # the keyed note's retry (as repaired) still gets its first reply, and applies nothing
        retry = client.post(
            f"/api/v1/team/customers/{customer}/notes",
            json={"text": "x\ufffdy"},
            headers={**ann, "Idempotency-Key": "note-1"},
        )
        assert retry.status_code == 200, retry.text
        assert len(client.get(game.path("/commands"), headers=game.instructor).json()) == len(log)
    assert any("repaired stored text holding lone surrogates" in r.getMessage() for r in caplog.records)
    for table in ("commands", "events"):
        assert _stored(db_url, f"SELECT count(*) FROM {table} WHERE payload LIKE '%\\ud800%'") == 0


def test_sqlite_text_that_is_not_utf8_is_read_with_replacement_characters(sqlite_url: str) -> None:
    """Only another program can write such bytes (sqlite3 refuses to encode a surrogate); the
    server reads them with replacement characters instead of failing on every read."""
    with TestClient(make_app(sqlite_url)) as client:
        ins = login_instructor(client)
        game = create_competition(client, ins, teams=(("Ant", None),), seconds_per_hour=0.01, seed=6)
        join_team(client, game.codes["Ant"], "Ann")
        criterion = client.post(
            game.path("/rubric/criteria"),
            json={"name_en": "Care", "name_zh": "关怀", "max_points": 5},
            headers=ins,
        ).json()
        judge = login_judge(client, game.judge_code, "Zhao")
        body = {"criterion_id": criterion["id"], "team": "Ant", "points": 3, "note": "fine"}
        assert client.put(game.path("/rubric/scores"), json=body, headers=judge).status_code == 200
        pause(client, game)
    connection = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    with connection:
        connection.execute("UPDATE members SET name = CAST(X'416EEDA0806E' AS TEXT) WHERE name = 'Ann'")
        connection.execute("UPDATE rubric_entries SET note = CAST(X'66FF696E65' AS TEXT)")
    connection.close()
    with TestClient(make_app(sqlite_url)) as client:
        game.instructor = login_instructor(client)
        lin = join_team(client, game.codes["Ant"], "Lin", "sales")
        every_view_works(client, game, lin, "Ant")
        members = client.get(game.path("/members"), headers=game.instructor).json()[0]["members"]
        assert "An\ufffd\ufffd\ufffdn" in {m["name"] for m in members}
        rubric = client.get(game.path("/rubric/log"), headers=game.instructor).json()
        assert rubric[0]["note"] == "f\ufffdine"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_database()


def test_postgresql_holds_a_lone_surrogate_only_as_a_json_escape(postgres_url: str) -> None:
    """Why the PostgreSQL path is the JSON escape alone: psycopg refuses to send a raw surrogate,
    and the server refuses its UTF-8 bytes and its escapes in a string or a jsonb value."""
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        assert connection.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        with pytest.raises(UnicodeEncodeError):
            connection.execute("SELECT %s::text", ("x\ud800",))
        for refused in (
            "SELECT convert_from('\\x78eda080'::bytea, 'UTF8')",
            "SELECT E'x\\uD800'",
            "SELECT U&'x\\D800'",
            "SELECT '\"x\\ud800\"'::jsonb",
        ):
            with pytest.raises(psycopg.Error):
                connection.execute(refused)  # type: ignore[arg-type]
        stored = connection.execute("SELECT %s::text", ('"x\\ud800"',)).fetchone()
        assert stored == ('"x\\ud800"',)  # six ASCII characters: what the old server wrote, and kept
