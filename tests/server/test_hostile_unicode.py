"""Text the server cannot store or show (issue 11.1): a lone surrogate in any form a JSON body can
carry it, in a value or a key, a refused command, a second Content-Type header, the path, the
command log itself, an imported archive — each refused with a 422 naming the field before anything
is committed, and every view, export, archive and channel of the competition still works after.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.errors import ServerError
from teams.commands import AddNote
from tests.server.every_view import every_view_works
from tests.server.helpers import Headers
from tests.server.hostile_setup import TwoTeams, refused, two_teams

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def teams(module_client: TestClient, module_instructor: Headers) -> TwoTeams:
    return two_teams(module_client, module_instructor)


def notes_path(teams: TwoTeams) -> str:
    customer = teams.state(teams.a)["customers"][0]["customer_id"]
    return f"/api/v1/team/customers/{customer}/notes"


def monitor(teams: TwoTeams) -> list[dict[str, Any]]:
    response = teams.client.get(teams.game.path("/monitor"), headers=teams.game.instructor)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["teams"]
    return result


def unchanged(teams: TwoTeams) -> tuple[Any, ...]:
    """What a refusal before the commit leaves as it was: desks, events, the command log, the monitor."""
    return (*teams.snapshot(), teams.command_log(), monitor(teams))


SURROGATE_BODIES = {
    "escaped high": b'{"text": "x\\ud800y"}',
    "escaped low": b'{"text": "x\\udfffy"}',
    "two highs": b'{"text": "\\ud800\\ud800"}',
    "a low before a high": b'{"text": "\\udc00\\ud800"}',
    "raw bytes (CESU-8)": '{"text": "x\ud800y"}'.encode("utf-8", "surrogatepass"),
    "UTF-16": '{"text": "x\ud800y"}'.encode("utf-16-le", "surrogatepass"),
}


@pytest.mark.parametrize("body", SURROGATE_BODIES.values(), ids=SURROGATE_BODIES.keys())
def test_a_lone_surrogate_in_a_note_is_a_422_naming_the_field_and_nothing_is_committed(
    teams: TwoTeams, body: bytes
) -> None:
    before = unchanged(teams)
    response = teams.client.post(notes_path(teams), content=body, headers={**teams.a, **JSON})
    refusal = refused(response, 422, "invalid", "text:", "lone surrogate", "U+D")
    assert refusal["field"] == "text"
    assert unchanged(teams) == before  # not in the command log, not counted by the monitor


def test_a_command_the_desk_would_refuse_is_refused_before_the_log(teams: TwoTeams) -> None:
    """The audit's second case: a campaign for segment "smb\\ud800" was refused by the desk, but
    logged, and the log then broke /commands and the archive."""
    before = unchanged(teams)
    body = b'{"segment": "smb\\ud800", "budget": 10}'
    response = teams.client.post("/api/v1/team/campaigns", content=body, headers={**teams.a, **JSON})
    refused(response, 422, "invalid", "segment:", "U+D800", "character 4")
    assert unchanged(teams) == before
    every_view_works(teams.client, teams.game, teams.a, "Ant")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/team/campaigns", b'{"segment": "smb", "budget": 10, "x\\ud800": 1}', "body"),
        ("{game}/parameters", b'{"changes": {"segments.smb\\udc00.share": 0.5}}', "changes"),
        ("{game}/announcements", b'{"text": "hello \\ud83d"}', "text"),
        ("/api/v1/competitions", b'{"name": "Cup", "overrides": {"a": ["ok", "\\udbff"]}}', "overrides.a[1]"),
    ],
    ids=["a key", "a parameter's key", "an announcement", "deep in a list"],
)
def test_a_lone_surrogate_anywhere_in_a_body_is_refused_naming_where(
    teams: TwoTeams, path: str, body: bytes, field: str
) -> None:
    who = teams.a if path.startswith("/api/v1/team") else teams.game.instructor
    before = unchanged(teams)
    response = teams.client.post(path.format(game=teams.game.path()), content=body, headers={**who, **JSON})
    assert refused(response, 422, "invalid", "lone surrogate")["field"] == field
    assert unchanged(teams) == before


def test_a_second_content_type_header_does_not_slip_a_body_past_the_check(teams: TwoTeams) -> None:
    """FastAPI reads the first Content-Type; the check read the last one, so a body sent as JSON
    and then "text/plain" reached the route unchecked."""
    before = unchanged(teams)
    headers = [
        ("authorization", teams.a["Authorization"]),
        ("content-type", "application/json"),
        ("content-type", "text/plain"),
    ]
    for body in (b'{"text": "x\\ud800y"}', b'{"text": "x\\u0000y"}'):
        response = teams.client.post(notes_path(teams), content=body, headers=headers)
        refused(response, 422, "invalid", "text:")
    assert unchanged(teams) == before


def test_a_json_body_that_is_not_utf8_is_a_422_saying_so(teams: TwoTeams) -> None:
    before = unchanged(teams)
    response = teams.client.post(
        notes_path(teams), content=b'{"text": "caf\xe9"}', headers={**teams.a, **JSON}
    )
    assert refused(response, 422, "invalid", "not UTF-8", "byte 0xe9 at offset 13")["field"] == "body"
    assert unchanged(teams) == before


@pytest.mark.parametrize(
    "content_type",
    ["APPLICATION/JSON; charset=utf-8", "application/merge-patch+json", " application/json ", ""],
)
def test_every_content_type_fastapi_reads_as_json_is_checked(teams: TwoTeams, content_type: str) -> None:
    before = unchanged(teams)
    headers = {**teams.a, "Content-Type": content_type}
    response = teams.client.post(notes_path(teams), content=b'{"text": "\\udc80"}', headers=headers)
    refused(response, 422, "invalid", "text:", "U+DC80")
    assert unchanged(teams) == before


def test_text_in_the_path_and_the_query_arrives_as_valid_unicode(teams: TwoTeams) -> None:
    """The server decodes a path and a query with replacement characters: bytes of a lone
    surrogate become U+FFFD, never a surrogate, and what the desk refuses and logs stays showable."""
    logged = len(teams.command_log())
    response = teams.client.post(
        "/api/v1/team/customers/%ED%A0%80/notes", json={"text": "hello"}, headers=teams.a
    )
    refused(response, 404, "not_found")
    log = teams.command_log()
    assert len(log) == logged + 1 and log[-1]["command"]["customer_id"] == "\ufffd" * 3
    raw = teams.client.get(teams.game.path("/events") + "?team=%ED%A0%80", headers=teams.game.instructor)
    assert raw.status_code == 200 and all(e.get("team") is None for e in raw.json())  # no such team
    every_view_works(teams.client, teams.game, teams.a, "Ant")


def test_the_command_log_takes_no_unstorable_text_from_any_source(teams: TwoTeams) -> None:
    """The last line of defence, for a command that did not come through a JSON body (a bot, a
    future route): the live competition refuses it before the commit."""
    client, game = teams.client, teams.game
    live = client.app.state.runtime.get(game.id)  # type: ignore[attr-defined]
    before = unchanged(teams)
    for text in ("x\ud800y", "nul\x00"):
        command = AddNote(team="Ant", role="manager", member="Ann", customer_id="C0.0", text=text)
        with pytest.raises(ServerError) as refusal:
            assert client.portal is not None
            client.portal.call(live.submit, command, "bot")
        assert refusal.value.status == 422 and refusal.value.extra["field"] == "text"
        assert "text:" in refusal.value.reason
    assert unchanged(teams) == before


# --- names -----------------------------------------------------------------------------------------

CONTROLS = [
    "\n", "\r", "\t", "\x0b", "\x01", "\x1b", "\x1f", "\x7f", "\x85", "\x9b",
    "\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
]  # fmt: skip


def name_entries(teams: TwoTeams, draft: int, criterion: int) -> dict[str, tuple[str, str, str, Any, bool]]:
    """Where names enter: (method, path, field, a body builder, as the instructor) by entry point."""
    game = teams.game
    rubric, criteria = game.path("/rubric/scores"), game.path("/rubric/criteria")

    def criterion_body(field: str) -> Any:
        return lambda n: {"name_en": "Service", "name_zh": "服务", "max_points": 5, field: n}

    return {
        "member": (
            "POST",
            "/api/v1/session/join",
            "name",
            lambda n: {"code": game.codes["Ant"], "name": n, "role": "sales"},
            False,
        ),
        "judge": (
            "POST",
            "/api/v1/session/judge",
            "name",
            lambda n: {"code": game.judge_code, "name": n},
            False,
        ),
        "competition": ("POST", "/api/v1/competitions", "name", lambda n: {"name": n}, True),
        "team": ("POST", f"/api/v1/competitions/{draft}/teams", "name", lambda n: {"name": n}, True),
        "criterion (en)": ("POST", criteria, "name_en", criterion_body("name_en"), True),
        "criterion (zh)": ("POST", criteria, "name_zh", criterion_body("name_zh"), True),
        "criterion changed": ("PUT", f"{criteria}/{criterion}", "name_en", criterion_body("name_en"), True),
        "judge named by the instructor": (
            "PUT",
            rubric,
            "judge",
            lambda n: {"criterion_id": criterion, "team": "Ant", "points": 1, "judge": n},
            True,
        ),
    }


def everything(teams: TwoTeams, draft: int) -> tuple[Any, ...]:
    client, game = teams.client, teams.game
    ins = game.instructor
    return (
        unchanged(teams),
        client.get("/api/v1/competitions", headers=ins).json(),
        client.get(f"/api/v1/competitions/{draft}", headers=ins).json()["teams"],
        client.get(game.path("/members"), headers=ins).json(),
        client.get(game.path("/rubric/log"), headers=ins).json(),
    )


@pytest.fixture(scope="module")
def draft(teams: TwoTeams) -> int:
    created = teams.client.post("/api/v1/competitions", json={"name": "Names"}, headers=teams.game.instructor)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


@pytest.fixture(scope="module")
def criterion(teams: TwoTeams) -> int:
    body = {"name_en": "Care", "name_zh": "关怀", "max_points": 5}
    created = teams.client.post(teams.game.path("/rubric/criteria"), json=body, headers=teams.game.instructor)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


@pytest.mark.parametrize(
    "entry",
    [
        "member",
        "judge",
        "competition",
        "team",
        "criterion (en)",
        "criterion (zh)",
        "criterion changed",
        "judge named by the instructor",
    ],
)
def test_names_refuse_control_characters_saying_which_and_where(
    teams: TwoTeams, draft: int, criterion: int, entry: str
) -> None:
    method, path, field, body, as_instructor = name_entries(teams, draft, criterion)[entry]
    headers = teams.game.instructor if as_instructor else {}
    before = everything(teams, draft)
    for character in CONTROLS:
        response = teams.client.request(method, path, json=body(f"Ann{character}Lee"), headers=headers)
        teams.client.cookies.clear()
        code = f"U+{ord(character):04X}"
        refused(response, 422, "invalid", f"{field}:", code, "character 4", "control characters")
    assert everything(teams, draft) == before


def test_a_team_csv_line_with_a_control_character_is_refused_naming_the_line(
    teams: TwoTeams, draft: int
) -> None:
    path = f"/api/v1/competitions/{draft}/teams/bulk"
    headers = {**teams.game.instructor, "Content-Type": "text/csv"}
    before = everything(teams, draft)
    response = teams.client.post(path, content=b"Red\nBl\x1bue,balanced\n", headers=headers)
    refused(response, 422, "invalid", "line 2", "team name", "U+001B", "character 3")
    response = teams.client.post(path, content="Red\nBl\u202eue\n".encode(), headers=headers)
    refused(response, 422, "invalid", "line 2", "U+202E (RIGHT-TO-LEFT OVERRIDE)")
    response = teams.client.post(path, content="Red\nBl\xed\xa0\x80ue\n".encode("latin-1"), headers=headers)
    refused(response, 422, "invalid", "not UTF-8", "byte 0xed at offset 6")  # a surrogate's bytes
    response = teams.client.post(path, content="Red\nCafé\n".encode("cp1252"), headers=headers)
    refused(response, 422, "invalid", "not UTF-8", "byte 0xe9 at offset 7", "CSV UTF-8")  # Excel's "CSV"
    assert everything(teams, draft) == before


def test_names_in_any_script_are_welcome(teams: TwoTeams, draft: int) -> None:
    """The rule is about control characters only: letters of every script, accents, the joiners
    of emoji and of Indic scripts pass (team names have their own rule: letters, digits, _ and -)."""
    client, game = teams.client, teams.game
    for name in ("红队成员", "Zoë", "محمد", "👩‍💻 Dev", "नमस्ते", "José  Li"):
        joined = client.post(
            "/api/v1/session/join", json={"code": game.codes["Ant"], "name": name, "role": "service"}
        )
        client.cookies.clear()
        assert joined.status_code == 200, joined.text
        assert joined.json()["member"] == " ".join(name.split())
    added = client.post(f"/api/v1/competitions/{draft}/teams", json={"name": "红队"}, headers=game.instructor)
    assert added.status_code == 201, added.text
    body = {"name_en": "Pitch ✓", "name_zh": "演示", "max_points": 5}
    assert client.post(game.path("/rubric/criteria"), json=body, headers=game.instructor).status_code == 201
    names = {
        m["name"]
        for team in client.get(game.path("/members"), headers=game.instructor).json()
        for m in team["members"]
    }
    assert {"红队成员", "👩‍💻 Dev", "José Li"} <= names


def test_a_blank_name_is_refused(teams: TwoTeams) -> None:
    response = teams.client.post(
        "/api/v1/session/join", json={"code": teams.game.codes["Ant"], "name": "   ", "role": "service"}
    )
    refused(response, 422, "invalid", "name:", "blank")


# --- archives --------------------------------------------------------------------------------------


def _rewritten(archive: bytes, replace: dict[str, tuple[str, str]]) -> bytes:
    """The archive with ``old`` replaced by ``new`` in the named parts, and a manifest whose digest
    fits its events again (so that only the text is wrong, not the replay)."""
    parts: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        for name in zf.namelist():
            parts[name] = zf.read(name).decode("utf-8")
    for name, (old, new) in replace.items():
        assert old in parts[name], (name, old)
        parts[name] = parts[name].replace(old, new)
    digest = hashlib.sha256()
    for line in parts["events.jsonl"].splitlines():
        digest.update(line.encode() + b"\n")
    manifest = json.loads(parts["manifest.json"])
    manifest["digest"] = digest.hexdigest()
    parts["manifest.json"] = json.dumps(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def test_an_archive_with_unstorable_text_or_a_bad_name_is_refused_naming_the_file(
    teams: TwoTeams, criterion: int
) -> None:
    client, game = teams.client, teams.game
    marker = client.post(notes_path(teams), json={"text": "MARKER-TEXT"}, headers=teams.a)
    assert marker.status_code == 200, marker.text
    archive = client.get(game.path("/exports/archive.zip"), headers=game.instructor).content
    listed = client.get("/api/v1/competitions", headers=game.instructor).json()
    cases = [
        (
            {
                "commands.jsonl": ("MARKER-TEXT", "MARKER\\ud800"),
                "events.jsonl": ("MARKER-TEXT", "MARKER\\ud800"),
            },
            ("commands.jsonl line", "command.text", "lone surrogate"),
        ),
        ({"members.json": ('"Ann"', '"An\\u202en"')}, ("members.json", "[0].name", "U+202E")),
        (
            {"manifest.json": ('"name": "Test cup"', '"name": "Test\\ncup"')},
            ("manifest.json", "name", "U+000A"),
        ),
        ({"rubric.json": ('"name_zh": "关怀"', '"name_zh": "关\\u0000怀"')}, ("rubric.json", "NUL")),
    ]
    for replace, words in cases:
        response = client.post(
            "/api/v1/competitions/import",
            content=_rewritten(archive, replace),
            headers={**game.instructor, "Content-Type": "application/zip"},
        )
        refused(response, 422, "invalid", "archive refused", *words)
    assert client.get("/api/v1/competitions", headers=game.instructor).json() == listed


def test_an_archive_with_line_separators_in_a_text_imports_again(teams: TwoTeams) -> None:
    """Found by the fuzzer: commands.jsonl keeps U+2028, U+2029 and U+0085 as they are inside a
    text, and the import split its lines there too, so the server's own archive was refused."""
    client, game = teams.client, teams.game
    for text in ("one\u2028two", "three\u2029four", "five\x85six"):
        response = client.post(notes_path(teams), json={"text": text}, headers=teams.a)
        assert response.status_code == 200, response.text
    archive = client.get(game.path("/exports/archive.zip"), headers=game.instructor).content
    imported = client.post(
        "/api/v1/competitions/import",
        content=archive,
        headers={**game.instructor, "Content-Type": "application/zip"},
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["digest"] == client.get(game.path(), headers=game.instructor).json()["digest"]
