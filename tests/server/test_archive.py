"""The whole-competition archive: export → import on a fresh database → the same digest and standings.

Also: an archive that does not replay to its own digest is refused and leaves nothing behind,
and ``salesfloor export`` / ``salesfloor import`` do the same from the command line.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.cli import main
from tests.server.helpers import (
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    pause,
    play_until,
    quote_by_policy,
    status,
)


def _played(client: TestClient, ins: Headers) -> tuple[int, bytes, dict[str, Any]]:
    """A competition played into its second round, with a member, a rubric score and a freeze."""
    game = create_competition(client, ins, seconds_per_hour=0.05, rounds=4, seed=77)
    member = join_team(client, game.codes["Humans"], "Lin", "manager")
    quote_by_policy(client, member, segments=("smb", "price_shoppers"))
    criterion = client.post(
        game.path("/rubric/criteria"),
        json={"name_en": "Service", "name_zh": "服务", "max_points": 5, "per_round": True},
        headers=ins,
    ).json()
    judge = login_judge(client, game.judge_code, name="Zhao")
    scored = client.put(
        game.path("/rubric/scores"),
        json={"criterion_id": criterion["id"], "team": "Alpha", "round": 1, "points": 4},
        headers=judge,
    )
    assert scored.status_code == 200, scored.text
    play_until(client, game, lambda: status(client, game)["round"] >= 2, timeout=20, what="round 2")
    pause(client, game)
    assert client.put(game.path("/freeze"), json={}, headers=ins).status_code == 200
    response = client.get(game.path("/exports/archive.zip"), headers=ins)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    detail = client.get(game.path(), headers=ins).json()
    standings = client.get(game.path("/standings"), headers=ins).json()["standings"]
    return game.id, response.content, {"detail": detail, "standings": standings}


def test_an_archive_imported_on_a_fresh_database_replays_to_the_same_digest(
    tmp_path: Path, db_url: str
) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'origin.db'}")) as client:
        ins = login_instructor(client)
        _cid, archive, before = _played(client, ins)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert {"manifest.json", "parameters.json", "commands.jsonl", "events.jsonl", "rubric.json"} <= set(names)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("manifest.json"))
    assert manifest["digest"] == before["detail"]["digest"] and manifest["seed"] == 77

    with TestClient(make_app(db_url)) as client:  # another server, an empty database
        ins = login_instructor(client)
        response = client.post(
            "/api/v1/competitions/import", content=archive, headers={**ins, "Content-Type": "application/zip"}
        )
        assert response.status_code == 201, response.text
        imported = response.json()
        assert imported["digest"] == before["detail"]["digest"]
        assert imported["damaged"] is None and imported["state"] == "paused"
        path = f"/api/v1/competitions/{imported['id']}"
        assert client.get(path + "/standings", headers=ins).json()["standings"] == before["standings"]
        rubric = client.get(path + "/rubric", headers=ins).json()
        assert rubric["scores"] == [
            {
                "criterion_id": rubric["criteria"][0]["id"],
                "team": "Alpha",
                "judge": "Zhao",
                "round": 1,
                "points": 4.0,
                "note": "",
            }
        ]
        assert client.get(path + "/public", headers=ins).json()["frozen"] is True
        grades = client.get(path + "/exports/grades.csv", headers=ins).content.decode("utf-8-sig")
        assert "Lin" in grades  # members came along
        codes = {t["team"]: t["join_code"] for t in client.get(path + "/members", headers=ins).json()}
        second = {"code": codes["Humans"], "name": "Kim", "role": "manager"}
        taken = client.post("/api/v1/session/join", json=second)  # Lin is still the manager
        assert taken.status_code == 409 and taken.json()["values"]["name"] == "Lin"
        # and it goes on: the imported competition plays like any other
        assert client.post(path + "/next-round", headers=ins).status_code in (200, 409)
    # a restart of the importing server recovers it like its own
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        detail = client.get(f"/api/v1/competitions/{imported['id']}", headers=ins).json()
        assert detail["damaged"] is None


def _rezip(archive: bytes, change: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, change.get(name, source.read(name)))
    return out.getvalue()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    with TestClient(make_app(f"sqlite:///{tmp_path_factory.mktemp('arch') / 'a.db'}")) as client:
        return _played(client, login_instructor(client))[1]


def _tampered_commands(archive: bytes) -> bytes:
    lines = zipfile.ZipFile(io.BytesIO(archive)).read("commands.jsonl").decode().splitlines()
    entries = [json.loads(line) for line in lines]
    quote = next(e for e in entries if "discount" in e["command"])
    quote["command"]["discount"] = round(
        quote["command"]["discount"] + 0.01, 4
    )  # another price: another history
    return _rezip(archive, {"commands.jsonl": "\n".join(json.dumps(e) for e in entries).encode()})


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda a: b"not a zip", "not a ZIP"),
        (lambda a: _rezip(a, {"manifest.json": b"{}"}), "not describe a Salesfloor archive"),
        (_tampered_commands, "part at seq"),
        (
            lambda a: _rezip(
                a, {"commands.jsonl": b'{"t": 1, "source": "x", "command": {"kind": "nope"}}\n'}
            ),
            "line 1",
        ),
    ],
    ids=["not-a-zip", "no-manifest", "other-history", "unknown-command"],
)
def test_an_archive_that_does_not_replay_is_refused_and_leaves_nothing(
    client: TestClient, instructor: Headers, archive: bytes, tamper: Any, message: str
) -> None:
    before = client.get("/api/v1/competitions", headers=instructor).json()
    response = client.post(
        "/api/v1/competitions/import",
        content=tamper(archive),
        headers={**instructor, "Content-Type": "application/zip"},
    )
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]
    assert client.get("/api/v1/competitions", headers=instructor).json() == before
    store = client.app.state.runtime.store  # type: ignore[attr-defined]
    assert store.competitions() == [] or len(store.competitions()) == len(before)


def test_the_command_line_exports_and_imports_the_same(
    tmp_path: Path, archive: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.zip"
    source.write_bytes(archive)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(source), "--database", url]) == 0
    assert "as competition 1" in capsys.readouterr().out
    out = tmp_path / "again.zip"
    assert (
        main(["export", "--competition", "1", "--what", "archive", "--out", str(out), "--database", url]) == 0
    )
    original = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("manifest.json"))
    again = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert again["digest"] == original["digest"] and again["events"] == original["events"]
    for what, fmt in (("standings", "csv"), ("events", "csv"), ("grades", "xlsx"), ("all", "xlsx")):
        target = tmp_path / f"{what}.{fmt}"
        args = ["export", "--competition", "1", "--what", what, "--format", fmt, "--out", str(target)]
        assert main([*args, "--database", url]) == 0
        assert target.stat().st_size > 0
    capsys.readouterr()
    assert main(["export", "--competition", "9", "--database", url]) == 2
    assert "there is no competition 9" in capsys.readouterr().err
    assert main(["export", "--competition", "1", "--what", "all", "--format", "csv", "--database", url]) == 2
    assert "xlsx" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.zip"), "--database", url]) == 2
    assert "cannot read" in capsys.readouterr().err
