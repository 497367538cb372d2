"""Peer reviews travel in the archive: exported in peer_reviews.jsonl, imported in the import's
one transaction, so that the grades exported after an import equal those before (SQLite and
PostgreSQL); an archive without them (made before they were archived) imports with none, and one
whose reviews break the live API's rules is a 422 that says where and leaves nothing behind.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.archive_samples import deep, json_lines, members_of, rezip, sample_archive
from tests.server.helpers import Headers, create_competition, join_team, login_instructor, make_app

IMPORT = "/api/v1/competitions/import"
ZIP = {"Content-Type": "application/zip"}
REVIEWS = "peer_reviews.jsonl"


def _upload(client: TestClient, headers: Headers, data: bytes) -> Any:
    return client.post(IMPORT, content=data, headers={**headers, **ZIP})


def _rate(client: TestClient, who: Headers, ratings: list[dict[str, Any]]) -> None:
    response = client.put("/api/v1/team/peer-review", json={"ratings": ratings}, headers=who)
    assert response.status_code == 200, response.text


def _without_ids(view: dict[str, Any]) -> dict[str, Any]:
    return {**view, "members": [{k: v for k, v in m.items() if k != "member_id"} for m in view["members"]]}


def _finished_with_reviews(client: TestClient, ins: Headers) -> tuple[int, dict[str, bytes | Any]]:
    """A finished competition whose members rated each other (one of them removed afterwards)."""
    game = create_competition(client, ins, teams=(("Reds", None), ("Blues", None)), seconds_per_hour=30)
    rae = join_team(client, game.codes["Reds"], "Rae", "manager")
    sid = join_team(client, game.codes["Reds"], "Sid", "sales")
    fay = join_team(client, game.codes["Reds"], "Fay", "finance")
    bo = join_team(client, game.codes["Blues"], "Bo", "manager")
    cy = join_team(client, game.codes["Blues"], "Cy", "sales")
    assert client.post(game.path("/end"), headers=ins).status_code == 200
    ids = {
        m["name"]: m["member_id"]
        for m in client.get("/api/v1/team/peer-review", headers=rae).json()["teammates"]
    }
    rae_id = client.get("/api/v1/team/peer-review", headers=sid).json()["teammates"][0]["member_id"]
    cy_id = client.get("/api/v1/team/peer-review", headers=bo).json()["teammates"][0]["member_id"]
    bo_id = client.get("/api/v1/team/peer-review", headers=cy).json()["teammates"][0]["member_id"]
    _rate(
        client,
        rae,
        [
            {"member_id": ids["Sid"], "rating": 5, "comment": "  carried the inbox\nevery day "},
            {"member_id": ids["Fay"], "rating": 2},
        ],
    )
    _rate(client, sid, [{"member_id": rae_id, "rating": 4, "comment": "红队的核心 \u2028 ok"}])
    _rate(client, fay, [{"member_id": rae_id, "rating": 3, "comment": "fine"}])
    _rate(client, bo, [{"member_id": cy_id, "rating": 1, "comment": "absent"}])
    _rate(client, cy, [{"member_id": bo_id, "rating": 5}])
    _rate(client, bo, [{"member_id": cy_id, "rating": 2, "comment": "came back"}])  # replaces Bo's
    removed = client.delete(game.path("/teams/Reds/members/Fay"), headers=ins)
    assert removed.status_code == 200, removed.text
    exports = {
        "archive": client.get(game.path("/exports/archive.zip"), headers=ins).content,
        "grades.csv": client.get(game.path("/exports/grades.csv"), headers=ins).content,
        "view": _without_ids(client.get(game.path("/peer-reviews"), headers=ins).json()),
    }
    return game.id, exports


def _exports(client: TestClient, ins: Headers, competition_id: int) -> dict[str, bytes | Any]:
    path = f"/api/v1/competitions/{competition_id}"
    return {
        "archive": client.get(path + "/exports/archive.zip", headers=ins).content,
        "grades.csv": client.get(path + "/exports/grades.csv", headers=ins).content,
        "view": _without_ids(client.get(path + "/peer-reviews", headers=ins).json()),
    }


def test_peer_reviews_come_back_from_an_import_and_the_grades_are_the_same(
    tmp_path: Any, db_url: str
) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'origin.db'}")) as client:
        _cid, before = _finished_with_reviews(client, login_instructor(client))
    assert isinstance(before["archive"], bytes)
    archived = [json.loads(line) for line in members_of(before["archive"])[REVIEWS].splitlines()]
    assert len(archived) == 6 and before["view"]["reviews"] == 6
    assert archived[0] == {
        "reviewer": archived[0]["reviewer"],
        "reviewee": archived[0]["reviewee"],
        "rating": 5,
        "comment": "carried the inbox\nevery day",
        "at": archived[0]["at"],
    }
    assert "Fay: fine" in before["grades.csv"].decode("utf-8-sig")  # a removed member's rating stays
    with TestClient(make_app(db_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, before["archive"])
        assert response.status_code == 201, response.text
        assert response.json()["state"] == "finished"
        after = _exports(client, ins, response.json()["id"])
    assert after["grades.csv"] == before["grades.csv"]
    assert after["view"] == before["view"]
    assert isinstance(after["archive"], bytes)
    assert members_of(after["archive"])[REVIEWS] == members_of(before["archive"])[REVIEWS]


# --- offline archives: the sample, finished, with a team of three and one of one ------------------

MEMBERS = [
    {"team": "T01", "name": "Lin", "role": "manager", "joined_at": 1.0, "removed_at": None},
    {"team": "T01", "name": "Ann", "role": "sales", "joined_at": 2.0, "removed_at": None},
    {"team": "T01", "name": "Kai", "role": "finance", "joined_at": 3.0, "removed_at": 40.0},
    {"team": "T02", "name": "Zoe", "role": "manager", "joined_at": 4.0, "removed_at": None},
]
GOOD = [
    {"reviewer": 0, "reviewee": 1, "rating": 4, "comment": "good", "at": 1_765_000_000.0},
    {"reviewer": 1, "reviewee": 0, "rating": 5, "comment": "", "at": 1_765_000_001.0},
    {"reviewer": 1, "reviewee": 2, "rating": 1, "comment": "gone", "at": 1_765_000_002.0},
]


def _finished(reviews: bytes | None, state: str = "finished") -> bytes:
    manifest = json.loads(members_of(sample_archive())["manifest.json"])
    return rezip(
        sample_archive(),
        {"manifest.json": {**manifest, "state": state}, "members.json": MEMBERS, REVIEWS: reviews},
    )


def _with(line: int, **change: Any) -> bytes:
    reviews = [dict(r) for r in GOOD]
    reviews[line].update(change)
    return _finished(json_lines(reviews))


def test_an_archive_made_before_peer_reviews_imports_with_none(sqlite_url: str) -> None:
    old = _finished(None)
    assert REVIEWS not in members_of(old)
    with TestClient(make_app(sqlite_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, old)
        assert response.status_code == 201, response.text
        path = f"/api/v1/competitions/{response.json()['id']}"
        view = client.get(path + "/peer-reviews", headers=ins).json()
        assert view["reviews"] == 0 and [m["name"] for m in view["members"]] == ["Lin", "Ann", "Kai", "Zoe"]
        again = client.get(path + "/exports/archive.zip", headers=ins).content
    assert members_of(again)[REVIEWS] == b""


def test_the_sample_with_good_reviews_imports_them(sqlite_url: str) -> None:
    with TestClient(make_app(sqlite_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, _finished(json_lines(GOOD)))
        assert response.status_code == 201, response.text
        view = client.get(f"/api/v1/competitions/{response.json()['id']}/peer-reviews", headers=ins).json()
    people = {m["name"]: m for m in view["members"]}
    assert view["reviews"] == 3
    assert people["Lin"]["ratings"] == [{"by": "Ann", "rating": 5, "comment": ""}]
    assert people["Kai"]["ratings"] == [{"by": "Ann", "rating": 1, "comment": "gone"}]
    assert (people["Ann"]["mean"], people["Ann"]["given"], people["Zoe"]["received"]) == (4.0, 2, 0)


def _comment(text: str) -> bytes:
    """GOOD with the first comment written as raw JSON (escapes kept as written)."""
    lines = json_lines(GOOD).split(b"\n")
    lines[0] = lines[0].replace(b'"comment": "good"', b'"comment": "' + text.encode() + b'"')
    return _finished(b"\n".join(lines))


@pytest.mark.parametrize(
    ("archive", "words"),
    [
        (lambda: _with(0, rating=6), "1: rating: Input should be less than or equal to 5"),
        (lambda: _with(1, rating=0), "2: rating: Input should be greater than or equal to 1"),
        (lambda: _with(0, rating=2.5), "1: rating: Input should be a valid integer"),
        (lambda: _with(0, rating="4"), "1: rating: Input should be a valid integer"),
        (lambda: _with(2, reviewee=9), "3: reviewee: there is no member 9 in members.json"),
        (lambda: _with(0, reviewer=-1), "1: reviewer: Input should be greater than or equal"),
        (lambda: _with(0, reviewee=3), "1: reviewee: member 3 (Zoe, team T02) is not a teammate"),
        (lambda: _with(2, reviewee=1), "3: reviewee: member 1 rates themself"),
        (lambda: _with(2, reviewee=0), "3: member 1 rates member 0 a second time"),
        (lambda: _with(0, comment="x" * 501), "1: comment: String should have at most 500"),
        (lambda: _comment("a\\u0000b"), "1: comment holds a NUL character"),
        (lambda: _comment("a\\ud800b"), "1: comment holds a lone surrogate"),
        (lambda: _with(0, at=-1), "1: at: Input should be greater than or equal to 0"),
        (lambda: _finished(json_lines(GOOD) + deep(50_000)), "4 is nested more than 32"),
        (lambda: _finished(json_lines(GOOD) + b'{"reviewer": 0,'), "4 is not valid JSON"),
        (lambda: _finished(json_lines(GOOD), state="paused"), "1: peer review opens when"),
    ],
    ids=[
        "rating-above-5", "rating-0", "rating-fraction", "rating-text", "unknown-member", "negative-member",
        "cross-team", "self-review", "duplicate-pair", "long-comment", "nul-comment", "surrogate-comment",
        "negative-time", "deep-json", "broken-json", "not-finished",
    ],
)  # fmt: skip
def test_reviews_the_api_would_refuse_are_a_422_that_says_where_and_leave_nothing(
    sqlite_url: str, archive: Any, words: str
) -> None:
    with TestClient(make_app(sqlite_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, archive())
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "invalid"
        detail = response.json()["detail"]
        assert detail.startswith("archive refused: ") and f"{REVIEWS} line {words}" in detail, detail
        assert client.get("/api/v1/competitions", headers=ins).json() == []
        store = client.app.state.runtime.store  # type: ignore[attr-defined]
        assert store.competitions() == []


def test_more_ratings_from_one_member_than_the_api_takes_is_refused(sqlite_url: str) -> None:
    crowd = [
        {"team": "T01", "name": f"M{i}", "role": "sales", "joined_at": 1.0, "removed_at": None}
        for i in range(52)
    ]
    reviews = [{"reviewer": 0, "reviewee": i, "rating": 3, "at": 1.0} for i in range(1, 52)]
    manifest = json.loads(members_of(sample_archive())["manifest.json"])
    archive = rezip(
        sample_archive(),
        {
            "manifest.json": {**manifest, "state": "finished"},
            "members.json": crowd,
            REVIEWS: json_lines(reviews),
        },
    )
    with TestClient(make_app(sqlite_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, archive)
        assert response.status_code == 422, response.text
        assert f"{REVIEWS} line 51: reviewer: member 0 gives more than 50" in response.json()["detail"]
        assert client.get("/api/v1/competitions", headers=ins).json() == []


def test_more_reviews_than_an_archive_holds_is_refused_at_the_first_line_past_the_limit(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("server.persistence.archive.peer_reviews.MAX_PEER_REVIEWS", 2)
    with TestClient(make_app(sqlite_url)) as client:
        ins = login_instructor(client)
        response = _upload(client, ins, _finished(json_lines(GOOD)))
        assert response.status_code == 422, response.text
        assert f"{REVIEWS} line 3: an archive holds at most 2 peer reviews" in response.json()["detail"]
        assert client.get("/api/v1/competitions", headers=ins).json() == []
