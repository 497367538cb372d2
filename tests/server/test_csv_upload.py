"""The teams CSV upload is read as a stream that stops past the most teams a competition takes.

A 1 MiB CSV holds hundreds of thousands of names: the whole file was parsed into rows and
validated, then every name counted against every other (quadratic), before the limit of 200
teams refused it. Now the reading stops at the 201st team, so what lies beyond (here a field
the csv module cannot read) is never reached, and nothing is registered.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.helpers import Headers
from tests.server.hostile_setup import refused


def test_a_csv_of_too_many_teams_is_refused_at_the_first_team_too_many(
    module_client: TestClient, module_instructor: Headers
) -> None:
    created = module_client.post("/api/v1/competitions", json={"name": "Big CSV"}, headers=module_instructor)
    path = f"/api/v1/competitions/{created.json()['id']}/teams/bulk"
    names = "".join(f"Team {i}\n" for i in range(1, 300))
    unreadable = '"' + "x" * 200_000 + '"\n'  # longer than the csv module's field limit
    response = module_client.post(
        path, content=names + unreadable, headers={**module_instructor, "Content-Type": "text/csv"}
    )
    refused(response, 422, "invalid", "line 201", "at most 200 teams")
    detail = module_client.get(f"/api/v1/competitions/{created.json()['id']}", headers=module_instructor)
    assert detail.json()["teams"] == []
