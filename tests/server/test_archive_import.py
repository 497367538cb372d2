"""Importing archives through the API and the command line: refusals are 422s (or 413s) that say
where, nothing is written, the upload is read only after the login is checked, and an export
of an import is the same archive again (SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import server.api.exports
import server.app
from server.cli import main
from tests.server.archive_samples import (
    MiB,
    deep,
    lines_of,
    members_of,
    padded,
    rezip,
    sample_archive,
    sample_competition,
)
from tests.server.helpers import Headers, login_instructor, make_app

IMPORT = "/api/v1/competitions/import"
ZIP = {"Content-Type": "application/zip"}


def _upload(client: TestClient, headers: Headers, data: bytes | Iterator[bytes]) -> Any:
    return client.post(IMPORT, content=data, headers={**headers, **ZIP})


def test_an_import_exported_again_is_the_same_archive(db_url: str) -> None:
    """The export side writes what the import reads: the logs come back byte for byte."""
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, sample_archive())
        assert response.status_code == 201, response.text
        imported = response.json()
        assert imported["digest"] == sample_competition().digest() and imported["damaged"] is None
        again = client.get(f"/api/v1/competitions/{imported['id']}/exports/archive.zip", headers=ins)
        assert again.status_code == 200
    before, after = members_of(sample_archive()), members_of(again.content)
    assert after["events.jsonl"] == before["events.jsonl"]
    assert [json.loads(line)["command"] for line in after["commands.jsonl"].splitlines()] == [
        json.loads(line)["command"] for line in before["commands.jsonl"].splitlines()
    ]
    assert (
        json.loads(after["rubric.json"])["entries"][0]["note"]
        == json.loads(before["rubric.json"])["entries"][0]["note"]
    )
    assert json.loads(after["board.json"])["medals"] == json.loads(before["board.json"])["medals"]


def _bomb() -> bytes:
    events = members_of(sample_archive())["events.jsonl"]
    line = lines_of(sample_archive(), "events.jsonl")[-1] + b"\n"
    return rezip(sample_archive(), {"events.jsonl": padded(events, line, 400 * MiB)})


def _bad_scoring() -> bytes:
    manifest = json.loads(members_of(sample_archive())["manifest.json"])
    manifest["scoring"] = {"weights": {"conversion": "lots"}, "normalisation": "raw"}
    return rezip(sample_archive(), {"manifest.json": manifest})


def _bad_medals() -> bytes:
    board = json.loads(members_of(sample_archive())["board.json"])
    board["medals"] = {"gold": 1, "platinum": 3}
    return rezip(sample_archive(), {"board.json": board})


def _deep_command() -> bytes:
    lines = lines_of(sample_archive(), "commands.jsonl")
    lines[1] = b'{"t": 1, "source": "x", "accepted": true, "command": ' + deep(50_000) + b"}"
    return rezip(sample_archive(), {"commands.jsonl": b"\n".join(lines)})


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_bomb, "ZIP bomb"),
        (
            lambda: rezip(sample_archive(), {"manifest.json": deep(50_000)}),
            "manifest.json is nested more than 32",
        ),
        (_deep_command, "commands.jsonl line 2 is nested more than 32 levels deep"),
        (_bad_scoring, "manifest.json: scoring:"),
        (_bad_medals, "board.json: medals:"),
    ],
    ids=["bomb", "deep-manifest", "deep-command", "bad-scoring", "bad-medals"],
)
def test_a_hostile_archive_is_a_422_that_says_where_and_leaves_nothing(
    tmp_path: Path, make: Any, words: str
) -> None:
    url = f"sqlite:///{tmp_path / 'server.persistence.db'}"
    with TestClient(make_app(url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, make())
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "invalid"
        assert (
            response.json()["detail"].startswith("archive refused: ") and words in response.json()["detail"]
        )
        assert client.get("/api/v1/competitions", headers=ins).json() == []
    with TestClient(make_app(url)) as client:  # and a restart finds nothing half-written
        assert client.get("/api/v1/competitions", headers=login_instructor(client)).json() == []


# --- the upload ------------------------------------------------------------------------------------


class CountingReads:
    """ASGI wrapper: how many body bytes the app has taken from the client."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


def test_an_upload_without_the_instructor_s_session_is_refused_before_it_is_read(tmp_path: Path) -> None:
    counting = CountingReads(make_app(f"sqlite:///{tmp_path / 'server.persistence.db'}"))
    with TestClient(counting) as client:
        response = _upload(client, {}, b"PK" + b"\0" * (16 * MiB))
        assert response.status_code == 401, response.text
        assert counting.read == 0
        judge = {"Authorization": "Bearer not-a-token"}
        assert _upload(client, judge, b"PK" + b"\0" * (16 * MiB)).status_code == 401
        assert counting.read == 0


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    limit = 1 * MiB
    monkeypatch.setattr(server.app, "MAX_ARCHIVE_BYTES", limit)
    monkeypatch.setattr(server.api.exports, "MAX_ARCHIVE_BYTES", limit)
    return limit


def test_an_upload_past_the_limit_is_a_413_whether_or_not_it_declares_its_length(
    tmp_path: Path, small_limit: int
) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'server.persistence.db'}")) as client:
        ins = login_instructor(client)
        declared = _upload(client, ins, b"\0" * (small_limit + 1))
        assert declared.status_code == 413, declared.text
        chunked = _upload(client, ins, iter([b"\0" * (small_limit // 2)] * 3))  # no Content-Length
        assert chunked.status_code == 413, chunked.text
        assert "larger than 1 MiB" in chunked.json()["detail"]
        assert _upload(client, ins, sample_archive()).status_code == 201  # under the limit: taken


# --- the command line ------------------------------------------------------------------------------


def test_salesfloor_import_refuses_a_bomb_in_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_bomb())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(bomb), "--database", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "archive refused:" in err and "ZIP bomb" in err
    good = tmp_path / "good.zip"
    good.write_bytes(sample_archive())
    assert main(["import", str(good), "--database", url]) == 0
    assert "as competition 1" in capsys.readouterr().out  # the refused one took no id


def test_salesfloor_replay_refuses_deep_json_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep_file = tmp_path / "deep.json"
    deep_file.write_bytes(deep(50_000))
    assert main(["replay", str(deep_file)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nested more than 32 levels deep" in err, err
    nan = tmp_path / "nan.json"
    nan.write_text('{"seed": NaN}')
    assert main(["replay", str(nan)]) == 2
    assert "NaN is not a finite number" in capsys.readouterr().err
