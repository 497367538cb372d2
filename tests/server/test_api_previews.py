"""The instructor's helpers for setting up a class: the parameter list of a preset, a preview of
how the reference bots fare with chosen values, and the QR codes of the printed join cards.

Previews are played by worker processes with a bounded queue (issue 11.5a): a preview plays
in another process than the server's, and beyond PREVIEWS_PER_INSTRUCTOR or PREVIEWS_IN_ALL
previews waiting or playing a new one is a 429 with Retry-After that says which bound.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from market.presets import load_preset
from server.errors import ServerError
from server.live import preview_pool
from tests.server.helpers import Headers, login_instructor, make_app, wait_for

BIG = {"preset": "classroom", "rounds": 20, "seeds": 10}
"""The audit's preview: it plays for many seconds, so it is still playing when a test looks."""


def test_a_preview_plays_the_reference_bots_in_the_background(
    client: TestClient, instructor: Headers
) -> None:
    body = {
        "preset": "classroom",
        "rounds": 2,
        "seeds": 2,
        "overrides": {"segments.smb.share": 0.4, "segments.price_shoppers.share": 0.45},
    }
    started = client.post("/api/v1/previews", json=body, headers=instructor)
    assert started.status_code == 202, started.text
    preview_id = started.json()["id"]
    assert started.json()["state"] in ("running", "done")

    def finished() -> dict[str, object] | None:
        view = client.get(f"/api/v1/previews/{preview_id}", headers=instructor).json()
        return view if view["state"] != "running" else None

    view = wait_for(finished, timeout=60, what="the preview to finish")
    assert view["state"] == "done" and view["progress"] == 1.0
    result = view["result"]
    assert result["seasons"] == 2 and result["inquiries_per_team"] > 0
    bots = {row["bot"]: row for row in result["bots"]}
    assert set(bots) == {"balanced", "eager", "dumper", "lax", "lavish", "passive"}
    assert bots["balanced"]["composite"] > bots["passive"]["composite"]
    assert [row["rank"] for row in result["bots"]] == sorted(row["rank"] for row in result["bots"])


def test_a_preview_of_impossible_values_is_refused_naming_the_field(
    client: TestClient, instructor: Headers
) -> None:
    response = client.post(
        "/api/v1/previews", json={"overrides": {"segments.smb.share": 1.4}}, headers=instructor
    )
    assert response.status_code == 422 and "segments.smb.share" in response.json()["detail"]
    assert client.get("/api/v1/previews/nosuch", headers=instructor).status_code == 404
    assert client.post("/api/v1/previews", json={"seeds": 50}, headers=instructor).status_code == 422


def test_every_parameter_of_a_preset_comes_with_its_range_unit_and_meaning(client: TestClient) -> None:
    rows = client.get("/api/v1/presets/classroom/parameters").json()
    keys = {row["key"]: row for row in rows}
    share = keys["segments.smb.share"]
    assert share["value"] == load_preset("classroom").segment("smb").share
    assert (share["low"], share["high"], share["unit"]) == (0, 1, "fraction") and share["help"]
    assert keys["segments.key_accounts.quantity"]["pair"] is True
    assert all(row["help"] for row in rows if row["low"] is not None)
    missing = client.get("/api/v1/presets/nosuch/parameters")
    assert missing.status_code == 404 and "classroom" in missing.json()["detail"]


def test_a_qr_code_is_made_by_the_server(client: TestClient) -> None:
    response = client.get("/api/v1/qr.svg", params={"text": "http://127.0.0.1:8000/?code=ABCD2345"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.lstrip().startswith("<svg")
    assert client.get("/api/v1/qr.svg", params={"text": "x" * 301}).status_code == 422


def _finished(client: TestClient, instructor: Headers, preview_id: str) -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        view: dict[str, Any] = client.get(f"/api/v1/previews/{preview_id}", headers=instructor).json()
        return view if view["state"] != "running" else None

    return wait_for(done, timeout=60, what="the preview to finish")


def test_a_preview_plays_in_a_worker_process_not_in_the_server_s(
    client: TestClient, instructor: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the season played in the server's process (a thread), it would meet this failure."""

    def in_the_server(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a preview played in the server's process")

    monkeypatch.setattr(preview_pool, "play_season", in_the_server)
    started = client.post("/api/v1/previews", json={"rounds": 1, "seeds": 2}, headers=instructor)
    assert started.status_code == 202, started.text
    view = _finished(client, instructor, started.json()["id"])
    assert (view["state"], view["error"], view["result"]["seasons"]) == ("done", None, 2)


def test_an_instructor_s_previews_beyond_the_bound_are_a_429_with_retry_after(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", previews_per_instructor=2, previews_in_all=4)
    with TestClient(app) as client:
        instructor = login_instructor(client)
        first = [client.post("/api/v1/previews", json=BIG, headers=instructor) for _ in range(2)]
        assert [r.status_code for r in first] == [202, 202], [r.text for r in first]
        other_session = login_instructor(client)  # the same instructor in another browser
        refused = client.post("/api/v1/previews", json=BIG, headers=other_session)
        assert refused.status_code == 429, refused.text
        assert refused.headers["Retry-After"] == str(preview_pool.RETRY_AFTER_SECONDS)
        body = refused.json()
        assert body["code"] == "rate_limited" and "PREVIEWS_PER_INSTRUCTOR=2" in body["detail"]
        assert "2 previews waiting or playing" in body["detail"]
        assert len(app.state.runtime.previews.jobs) == 2  # the refused one was not queued
        for response in first:  # both still there, playing or waiting
            view = client.get(f"/api/v1/previews/{response.json()['id']}", headers=instructor).json()
            assert view["state"] == "running" and 0.0 <= view["progress"] < 1.0


def test_a_slot_frees_when_a_preview_is_done(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite'}", previews_per_instructor=1)
    small = {"rounds": 1, "seeds": 1}
    with TestClient(app) as client:
        instructor = login_instructor(client)
        first = client.post("/api/v1/previews", json=small, headers=instructor)
        assert first.status_code == 202, first.text
        assert _finished(client, instructor, first.json()["id"])["state"] == "done"
        again = client.post("/api/v1/previews", json=small, headers=instructor)
        assert again.status_code == 202, again.text


def test_all_instructors_together_are_bounded_too() -> None:
    """Each owner within its bound, the server's bound still holds; stopping ends the workers."""
    params = load_preset("classroom")

    async def scenario() -> tuple[list[str], list[str]]:
        pool = preview_pool.Previews(workers=1, per_instructor=2, in_all=3)
        outcomes: list[str] = []
        try:
            for owner in ("ana", "ana", "ana", "ben", "cai"):
                try:
                    pool.start(owner, params, tuple(range(10)), 20)
                    outcomes.append("queued")
                except ServerError as refusal:
                    assert refusal.status == 429 and refusal.headers["Retry-After"]
                    outcomes.append(refusal.reason.split("(")[1].split("=")[0])
        finally:
            await pool.stop()
        return outcomes, [p.state for p in pool.jobs.values()]

    outcomes, states = asyncio.run(scenario())
    assert outcomes == ["queued", "queued", "PREVIEWS_PER_INSTRUCTOR", "queued", "PREVIEWS_IN_ALL"]
    assert states == ["failed"] * 3  # stopped: the playing one within a round, the others before they began


def die(*_args: Any) -> list[dict[str, Any]]:
    """A worker that dies as one killed or out of memory would (run in the worker process)."""
    os._exit(3)


def test_a_worker_that_dies_fails_its_preview_and_the_next_one_gets_a_new_worker() -> None:
    params = load_preset("classroom")

    async def finished(pool: preview_pool.Previews, preview_id: str) -> preview_pool.Preview:
        while (found := pool.get(preview_id)) is not None and found.state == "running":
            await asyncio.sleep(0.05)
        assert found is not None
        return found

    async def scenario() -> tuple[preview_pool.Preview, preview_pool.Preview]:
        pool = preview_pool.Previews(workers=1, per_instructor=1, in_all=1, player=die)
        try:
            first = pool.start("ana", params, (1,), 1)
            first = await asyncio.wait_for(finished(pool, first.id), 60)
            pool.player = preview_pool.play
            second = pool.start("ana", params, (1,), 1)  # its slot was given back
            second = await asyncio.wait_for(finished(pool, second.id), 60)
        finally:
            await pool.stop()
        return first, second

    first, second = asyncio.run(scenario())
    assert (first.state, first.error) == ("failed", "the preview's worker process stopped; start it again")
    assert (second.state, second.result["seasons"] if second.result else None) == ("done", 1)
