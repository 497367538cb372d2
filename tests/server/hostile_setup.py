"""The hostile-input tests' common ground: two human teams, A (Ant) and B (Bee), paused with work.

B answers its inquiries by policy from the end of round 1 on; the competition plays on, a
round at a time, until B has delivered an order (so it has invoices and customers who bought
from it) with inquiries still open for both teams, and stands paused at that round's end,
where the instructor recalls a product: B has open inquiries, orders, invoices and
complaints, and nothing moves while the tests look.

Every step waits on the competition's state, never on the wall clock: B's policies are set
while the first round's end holds the clock (at exactly t = one round), not "soon after the
start", which on a loaded machine could be any time — a round lasts 0.4 s here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi.testclient import TestClient

from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    quote_by_policy,
    status,
    team_state,
    wait_for,
)


@dataclass
class TwoTeams:
    client: TestClient
    game: Game
    a: Headers  # A's manager
    b: Headers  # B's manager
    b_sales: Headers

    def state(self, who: Headers) -> dict[str, Any]:
        return team_state(self.client, who)

    def command_log(self) -> list[dict[str, Any]]:
        response = self.client.get(self.game.path("/commands"), headers=self.game.instructor)
        assert response.status_code == 200, response.text
        result: list[dict[str, Any]] = response.json()
        return result

    def commands(self) -> int:
        """How many commands the competition's log holds."""
        return len(self.command_log())

    def events(self) -> int:
        response = self.client.get(
            self.game.path("/events"), params={"limit": 5000}, headers=self.game.instructor
        )
        assert response.status_code == 200, response.text
        return len(response.json())

    def snapshot(self) -> tuple[Any, ...]:
        """What a refused request must leave as it was: both desks and the event log.

        The command log is not in it: a command the desk refuses is logged (refused), as
        every command is, so that a replay meets the same refusals.
        """
        return (self.state(self.a), self.state(self.b), self.events())


ROUNDS = 8  # room to play until B has delivered; the setup stops at the first round that suffices


def _round_ended(client: TestClient, game: Game, number: int) -> bool:
    now = status(client, game)
    return bool(now["between_rounds"] and now["round"] >= number)


def _ready(teams: TwoTeams) -> bool:
    """B has delivered (invoices, so customers whose supplier it is) and both have open inquiries."""
    b = teams.state(teams.b)
    return bool(b["invoices"] and b["inbox"] and teams.state(teams.a)["inbox"])


def two_teams(client: TestClient, instructor: Headers) -> TwoTeams:
    game = create_competition(
        client,
        instructor,
        teams=(("Ant", None), ("Bee", None)),
        seconds_per_hour=0.01,
        rounds=ROUNDS,
        seed=4242,
        start=False,
    )
    a = join_team(client, game.codes["Ant"], "Ann", "manager")
    b = join_team(client, game.codes["Bee"], "Bob", "manager")
    b_sales = join_team(client, game.codes["Bee"], "Bea", "sales")
    teams = TwoTeams(client, game, a, b, b_sales)
    assert client.post(game.path("/start"), headers=instructor).status_code == 200
    wait_for(lambda: _round_ended(client, game, 1), timeout=30, what="the end of round 1")
    quote_by_policy(client, b)  # while the round's end holds the clock: always at the same moment
    played = 1
    while not _ready(teams):
        assert played < ROUNDS - 1, f"B has not delivered an order in {played} rounds"
        assert client.post(game.path("/next-round"), headers=instructor).status_code == 200
        played += 1
        ended = partial(_round_ended, client, game, played)
        wait_for(ended, timeout=30, what=f"the end of round {played}")
    recall = {"shock": "recall", "segment": "*", "magnitude": 1.0}  # B's customers complain
    assert client.post(game.path("/shocks"), json=recall, headers=instructor).status_code == 200
    complaints = [k for k in teams.state(b)["complaints"] if k["status"] == "open"]
    assert complaints, "the recall should have brought B complaints"
    return teams


def refused(response: Any, status_code: int, code: str, *words: str) -> dict[str, Any]:
    """Assert a refusal: its status, its stable code, and words its reason must contain."""
    assert response.status_code == status_code, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    for word in words:
        assert word.lower() in body["detail"].lower(), (word, body["detail"])
    return body
