"""Fuzzing every operation of the OpenAPI schema with every kind of credential (schemathesis).

One app runs one competition, paused where its first round ended (a deterministic moment),
with two human teams: A (Ant), whose manager fuzzes, and B (Bee), whose data is marked:
its join code, its member's name, the text of a note it wrote and the ids of its own
inquiries are unique strings. Every operation is called with generated positive and
negative requests — with no credential, as A's manager, as the judge and as the
instructor — and each response must

* not be a 5xx (the app re-raises server errors in the test, so a bug fails with its
  traceback),
* pass every check schemathesis has, as `schemathesis run --checks all` runs them: the status
  is documented for the operation (every refusal is, issue 11.4), the body matches the
  documented schema, the content type and the documented headers (Retry-After) are there,
  a request the schema calls invalid is refused (a boolean where a number is asked included)
  and one it calls valid is not refused for its form (see ACCEPTED for the 422s of rules the
  schema cannot state),
* never show B's markers to A's member or to nobody, unless the request itself carried
  the marker (an error message may echo the id it was given).

Path parameters are sometimes replaced by real ones (the competition's id, A's and B's
inquiry, customer and invoice ids) so that the fuzzer reaches past the 404s. Lifecycle
operations (start, pause, resume, next round, end) and the instructor's parameter changes
are pointed at a second, sacrificial competition, so the main one stays as it was set up.
Hypothesis runs derandomized with a bounded number of examples: the same requests every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    join_team,
    login_instructor,
    login_judge,
    make_app,
    status,
    team_state,
    wait_for,
)

schemathesis.serializer.alias("application/zip", "application/octet-stream")
load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())
"""Every check schemathesis has, as `schemathesis run --checks all` runs them."""

ACCEPTED = ["2xx", "401", "403", "404", "409", "422", "429"]
"""What a request the schema calls valid may get (positive_data_acceptance). Schemathesis' list
plus 422: the schema states types, ranges, lengths and enums, but not every rule the server
keeps — text must be storable Unicode and names hold no control characters (docs/security.md,
section 10), and the desk's rules depend on the member's role, the market's parameters and the
team's business (a discount beyond the role's authority, an unknown segment). Those refusals
are 422s that name the field; 5xx is never accepted."""

CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)
SCHEMA = schemathesis.openapi.from_dict(make_app("sqlite://").openapi(), config=CONFIG)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CREDENTIALS = ("nobody", "member_a", "judge", "instructor")
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
BASE_URL = "http://testserver"

SACRIFICIAL = re.compile(r"/(start|pause|resume|next-round|end|parameters)$")
"""Operations that would change the main competition's course: pointed at the sacrificial one."""

B_MEMBER = "Bobzq7Bee"
B_NOTE = "zq7 private note of Bee"
ID_FIELDS = ("inquiry_id", "customer_id", "invoice_id", "complaint_id", "approval_id")


@dataclass
class Arena:
    client: TestClient
    main: Game
    spare: Game
    headers: dict[str, Headers]
    member_b: Headers
    markers: list[str]
    ids: dict[str, list[str]] = field(default_factory=dict)


def _ids(state: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {name: set() for name in ID_FIELDS}
    for key in ("inbox", "approvals", "orders", "invoices", "complaints", "customers"):
        for record in state.get(key, []):
            for name in ID_FIELDS:
                if record.get(name):
                    found[name].add(str(record[name]))
    return found


@pytest.fixture(scope="module")
def arena(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Arena]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'salesfloor.db'}"
    app = make_app(url, login_failures_per_minute=10**6)  # the login endpoints are fuzzed too
    with TestClient(app) as client:
        instructor = login_instructor(client)
        main = create_competition(
            client, instructor, teams=(("Ant", None), ("Bee", None)), seconds_per_hour=0.002, rounds=3
        )
        wait_for(lambda: status(client, main)["between_rounds"], what="the end of round 1")
        spare = create_competition(client, instructor, teams=(("Solo", None),), rounds=3)
        member_a = join_team(client, main.codes["Ant"], "Ann", "manager")
        member_b = join_team(client, main.codes["Bee"], B_MEMBER, "manager")
        state_b = team_state(client, member_b)
        customer = state_b["customers"][0]["customer_id"]
        path = f"/api/v1/team/customers/{customer}/notes"
        note = client.post(path, json={"text": B_NOTE}, headers=member_b)
        assert note.status_code == 200, note.text
        inquiry = state_b["inbox"][0]["inquiry_id"]
        quote = client.post(f"/api/v1/team/inquiries/{inquiry}/quote", json={}, headers=member_b)
        assert quote.status_code == 200, quote.text
        ids_a, ids_b = _ids(team_state(client, member_a)), _ids(team_state(client, member_b))
        private_b = sorted(set().union(*ids_b.values()) - set().union(*ids_a.values()))
        assert private_b, "B has no ids of its own to look for"
        headers = {
            "nobody": {},
            "member_a": member_a,
            "judge": login_judge(client, main.judge_code, "Jude"),
            "instructor": instructor,
        }
        markers = [main.codes["Bee"], B_MEMBER, B_NOTE, *(f'"{i}"' for i in private_b)]
        pool = {name: sorted(ids_a[name] | ids_b[name]) for name in ID_FIELDS}
        yield Arena(client, main, spare, headers, member_b, markers, pool)


def _fresh_headers(arena: Arena, credential: str) -> Headers:
    """A new login of this kind, for the logout operation (which ends the session it is given)."""
    client, main = arena.client, arena.main
    if credential == "member_a":
        return join_team(client, main.codes["Ant"], "Ann", "manager")
    if credential == "judge":
        return login_judge(client, main.judge_code, "Jude")
    if credential == "instructor":
        return login_instructor(client)
    return {}


def _pin(arena: Arena, operation: Any, case: Any, data: st.DataObject) -> None:
    """Sometimes replace generated path parameters by real ones, to reach past the 404s."""
    for name in list(case.path_parameters or {}):
        if name == "competition_id" and SACRIFICIAL.search(operation.path):
            case.path_parameters[name] = arena.spare.id  # never a random id that may be the main one's
        elif name == "competition_id" and data.draw(st.booleans(), label="real competition"):
            case.path_parameters[name] = arena.main.id
        elif name in arena.ids and arena.ids[name] and data.draw(st.booleans(), label="real id"):
            case.path_parameters[name] = data.draw(st.sampled_from(arena.ids[name]), label=name)


def _send(client: TestClient, kwargs: dict[str, Any], credential_headers: Headers) -> Any:
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body["content"] = data if isinstance(data, bytes) else str(data).encode()
    headers = {k: v for k, v in kwargs.get("headers", {}).items() if k.lower() != "connection"}
    client.cookies.clear()  # only the credential under test
    return client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers={**headers, **credential_headers},
        **body,
    )


def _leaks(arena: Arena, sent: str, text: str) -> list[str]:
    return [marker for marker in arena.markers if marker in text and marker.strip('"') not in sent]


@pytest.mark.parametrize("credential", CREDENTIALS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_server_error_no_leak(arena: Arena, operation: Any, credential: str) -> None:
    logout = operation.path.endswith("/session/logout")

    for mode, examples in EXAMPLES.items():

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
        def fuzz(case: Any, data: st.DataObject) -> None:
            _pin(arena, operation, case, data)
            kwargs = case.as_transport_kwargs(base_url=BASE_URL)
            credential_headers = _fresh_headers(arena, credential) if logout else arena.headers[credential]
            response = _send(arena.client, kwargs, credential_headers)
            assert response.status_code < 500, response.text
            case.validate_response(response, checks=ALL_CHECKS)
            if credential in ("nobody", "member_a"):
                sent = f"{kwargs['url']} {kwargs.get('json')} {kwargs.get('data')} {kwargs.get('params')}"
                leaked = _leaks(arena, sent, response.text)
                assert not leaked, f"{operation.method} {kwargs['url']} showed B's {leaked}: {response.text}"

        try:
            fuzz()
        except Unsatisfiable:
            # nothing in this operation can be made invalid (no parameters, or only free strings)
            assert mode is GenerationMode.NEGATIVE, f"no valid request to {operation.path} was generated"


def test_the_markers_are_found_where_they_belong(arena: Arena) -> None:
    """The leak check is not vacuous: B's own views and the instructor's show every marker."""
    client, main = arena.client, arena.main
    seen = " ".join(
        response.text
        for response in (
            client.get(main.path(), headers=main.instructor),
            client.get(main.path("/events"), params={"limit": 5000}, headers=main.instructor),
            client.get("/api/v1/team", headers=arena.member_b),
            client.get("/api/v1/team/state", headers=arena.member_b),
        )
    )
    assert [marker for marker in arena.markers if marker not in seen] == []


def test_the_arena_is_as_set_up(arena: Arena) -> None:
    """Whenever it runs, the main competition is paused at its round's end, as it was set up."""
    state = status(arena.client, arena.main)
    assert state["state"] == "paused" and state["between_rounds"], state


def test_the_answers_are_checked_against_their_schemas() -> None:
    """Every response the fuzzer gets is validated against its operation's documented schema."""
    assert "response_schema_conformance" in {check.__name__ for check in ALL_CHECKS}
