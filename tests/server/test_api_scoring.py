"""Rescoring: new weights or normalisation recompute every standing from the event log, logged,
kept across a restart."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fastapi.testclient import TestClient

from scoring import Weights, score_events
from tests.server.helpers import create_competition, login_instructor, login_judge, make_app, wait_for

CONVERSION_ONLY = {"conversion": 1, "satisfaction": 0, "receivables": 0, "profit": 0, "rubric": 0}


def test_new_weights_recompute_every_standing_and_survive_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rescore.db'}"
    with TestClient(make_app(url)) as client:
        ins = login_instructor(client)
        game = create_competition(
            client, ins, teams=(("Alpha", "balanced"), ("Bravo", "dumper")), seconds_per_hour=0.05
        )
        judge = login_judge(client, game.judge_code)
        scoring = client.get(game.path("/scoring"), headers=judge).json()
        assert scoring["weights"]["profit"] == 30.0 and scoring["rules"] == 5  # a preset: the latest rules

        def scored() -> bool:
            rows = client.get(game.path("/standings"), headers=ins).json()["standings"]
            return all(r["conversion"] is not None for r in rows)

        wait_for(scored, timeout=20, what="both teams closing inquiries")
        client.post(game.path("/pause"), headers=ins)
        # each row says which weighted metrics its composite left out (rules v2: no value yet)
        early = client.get(game.path("/standings"), headers=ins).json()["standings"]
        live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
        refold = score_events(live.started().log, live.scoring, live.now)
        assert [(r["team"], r["left_out"]) for r in early] == [
            (s.team, list(s.left_out)) for s in refold.standings(live.now)
        ]
        assert any("receivables" in r["left_out"] for r in early), early
        response = client.put(
            game.path("/scoring"), json={"weights": CONVERSION_ONLY, "normalisation": "raw"}, headers=ins
        )
        assert response.status_code == 200, response.text
        standings = response.json()["standings"]
        assert all(row["composite"] == row["conversion"] for row in standings)
        live = client.app.state.runtime.live[game.id]  # type: ignore[attr-defined]
        config = dataclasses.replace(live.scoring, weights=Weights(**CONVERSION_ONLY))
        refold = score_events(live.started().log, config, live.now)
        expected = refold.standings(live.now)
        assert [(s.team, s.composite) for s in expected] == [(r["team"], r["composite"]) for r in standings]
        # the history is recomputed too: the series and every round snapshot with the new weights
        history = client.get(game.path("/history"), headers=ins).json()
        assert {t: v[-1] for t, v in history["series"]["composite"].items()} == {
            r["team"]: r["conversion"] for r in standings
        }
        assert [[(t["team"], t["composite"]) for t in r["teams"]] for r in history["rounds"]] == [
            [(t.team, t.composite) for t in r.teams] for r in refold.round_metrics()
        ]
        ranked = client.put(
            game.path("/scoring"), json={"weights": CONVERSION_ONLY, "normalisation": "rank"}, headers=ins
        )
        conversions = {r["conversion"] for r in standings}
        rank_scores = sorted(r["composite"] for r in ranked.json()["standings"])
        assert rank_scores == ([0.0, 100.0] if len(conversions) == 2 else [50.0, 50.0])
        history = client.get(game.path("/scoring/history"), headers=ins).json()
        assert [h["normalisation"] for h in history] == ["raw", "rank"]
        # refusals change nothing
        zero = dict.fromkeys(CONVERSION_ONLY, 0)
        refused = client.put(game.path("/scoring"), json={"weights": zero}, headers=ins)
        assert refused.status_code == 422 and "weight" in refused.json()["detail"]
        negative = client.put(
            game.path("/scoring"), json={"weights": {**CONVERSION_ONLY, "profit": -1}}, headers=ins
        )
        assert negative.status_code == 422 and "profit" in negative.json()["detail"]
        assert (
            client.put(
                game.path("/scoring"),
                json={"weights": CONVERSION_ONLY, "normalisation": "median"},
                headers=ins,
            ).status_code
            == 422
        )
        assert len(client.get(game.path("/scoring/history"), headers=ins).json()) == 2
    with TestClient(make_app(url)) as client:
        ins = login_instructor(client)
        kept = client.get(game.path("/scoring"), headers=ins).json()
        weights = {k: float(v) for k, v in CONVERSION_ONLY.items()}
        assert kept == {"weights": weights, "normalisation": "rank", "rules": 5}
        rows = client.get(game.path("/standings"), headers=ins).json()["standings"]
        assert sorted(r["composite"] for r in rows) == rank_scores
