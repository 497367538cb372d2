"""The instructor's helpers for setting up a class: the parameter list of a preset, a preview of
how the reference bots fare with chosen values, and the QR codes of the printed join cards."""

from __future__ import annotations

from fastapi.testclient import TestClient

from market.presets import load_preset
from tests.server.helpers import Headers, wait_for


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
