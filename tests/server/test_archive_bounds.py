"""Reading an archive from outside: bombs, lies and deep JSON are refused early, in bounded memory.

Issue 11, item 2: a 1.4 MB archive.zip whose events.jsonl inflated to 400 MB took 4.3 GB and
was accepted; a manifest or a commands.jsonl line nested 50,000 levels deep gave a 500. Each
test here reads an archive with ``read_archive`` (what the API and ``salesfloor import`` run)
and checks the refusal's words; the bombs also measure the peak of Python's allocations while
the archive is read (``tracemalloc``: memory, not time) against a generous bound.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from server.persistence.archive.bounded_zip import BoundedZip, ZipLimits
from server.persistence.archive.contents import FILES, ArchiveError
from server.persistence.archive.reader import read_archive
from tests.server.archive_samples import (
    NOTE,
    MiB,
    deep,
    lines_of,
    members_of,
    padded,
    patch_directory,
    rezip,
    sample_archive,
    sample_competition,
    zip_of,
)

PEAK_BOUND = 48 * MiB
"""What reading any of these archives may allocate at its peak: the documents, one line, one
chunk and the replay of a small season (the bomb's own compressed bytes are not counted)."""


def refusal(data: bytes) -> tuple[str, int]:
    """The refusal of ``data`` and the peak of allocations while it was read."""
    tracemalloc.start()
    try:
        read_archive(io.BytesIO(data))
    except ArchiveError as exc:
        return str(exc), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    raise AssertionError("the archive was accepted")


def test_the_sample_archive_reads_back_with_its_note_intact() -> None:
    replayed = read_archive(io.BytesIO(sample_archive()))
    assert replayed.competition.digest() == sample_competition().digest()
    notes = [json.loads(c.payload) for c in replayed.commands if '"add_note"' in c.payload]
    assert [note["text"] for note in notes] == [NOTE]
    assert replayed.documents.rubric.entries[0].note == NOTE


# --- the bombs of the issue ----------------------------------------------------------------------


def test_an_events_log_that_inflates_to_400_mb_is_refused_before_it_is_read() -> None:
    events = members_of(sample_archive())["events.jsonl"]
    line = lines_of(sample_archive(), "events.jsonl")[-1] + b"\n"
    bomb = rezip(sample_archive(), {"events.jsonl": padded(events, line, 400 * MiB)})
    assert len(bomb) < 2 * MiB
    message, peak = refusal(bomb)
    assert "events.jsonl" in message or "unpacks to" in message, message
    assert peak < 4 * MiB, f"{peak / MiB:.1f} MiB"


def test_a_bomb_under_the_total_limit_is_refused_by_its_compression_ratio() -> None:
    events = members_of(sample_archive())["events.jsonl"]
    line = lines_of(sample_archive(), "events.jsonl")[-1] + b"\n"
    bomb = rezip(sample_archive(), {"events.jsonl": padded(events, line, 60 * MiB)})
    message, peak = refusal(bomb)
    assert "events.jsonl inflates more than 100 times" in message, message
    assert peak < 4 * MiB, f"{peak / MiB:.1f} MiB"


def test_extra_events_that_compress_like_real_ones_stop_at_the_first_line_the_replay_lacks() -> None:
    """Stored, not deflated: within every size limit, so the replay itself must catch it."""
    events = members_of(sample_archive())["events.jsonl"]
    count = len(events.splitlines())
    line = lines_of(sample_archive(), "events.jsonl")[-1] + b"\n"
    padding = rezip(sample_archive(), {"events.jsonl": padded(events, line, 24 * MiB)}, zipfile.ZIP_STORED)
    message, peak = refusal(padding)
    assert f"events.jsonl goes on past the replay: line {count + 1} (seq {count})" in message, message
    assert peak < PEAK_BOUND, f"{peak / MiB:.1f} MiB"


@pytest.mark.parametrize("levels", [33, 1_000, 50_000])
def test_a_manifest_nested_deeply_is_refused_saying_so(levels: int) -> None:
    message, peak = refusal(rezip(sample_archive(), {"manifest.json": deep(levels)}))
    assert message.startswith("manifest.json") and "nested more than 32 levels deep" in message, message
    assert peak < 4 * MiB


@pytest.mark.parametrize("levels", [33, 50_000])
def test_a_command_line_nested_deeply_is_refused_naming_the_line(levels: int) -> None:
    lines = lines_of(sample_archive(), "commands.jsonl")
    lines.insert(2, b'{"t": 1, "source": "human", "accepted": true, "command": ' + deep(levels) + b"}")
    message, peak = refusal(rezip(sample_archive(), {"commands.jsonl": b"\n".join(lines)}))
    assert "commands.jsonl line 3" in message and "nested more than 32 levels deep" in message, message
    assert peak < PEAK_BOUND


def test_a_deep_document_names_the_path_where_it_is_too_deep() -> None:
    rubric = json.loads(members_of(sample_archive())["rubric.json"])
    nested: Any = 1
    for _ in range(40):
        nested = {"x": nested}
    rubric["criteria"][0]["extra"] = nested
    message, _peak = refusal(rezip(sample_archive(), {"rubric.json": rubric}))
    assert message.startswith("rubric.json: criteria[0].extra.x.x") and "nested more than 32" in message


# --- lines, text, numbers -------------------------------------------------------------------------


def _with_command_line(line: bytes, at: int = 4) -> bytes:
    lines = lines_of(sample_archive(), "commands.jsonl")
    lines.insert(at - 1, line)
    return rezip(sample_archive(), {"commands.jsonl": b"\n".join(lines) + b"\n"}, zipfile.ZIP_STORED)


def test_a_line_longer_than_a_mebibyte_is_refused_before_the_rest_is_read() -> None:
    message, peak = refusal(_with_command_line(b'{"t": 1, "source": "' + b"x" * (8 * MiB) + b'"}'))
    assert message == "commands.jsonl line 4 is longer than 1 MiB", message
    assert peak < 4 * MiB, f"{peak / MiB:.1f} MiB"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b'{"t": NaN, "source": "human", "accepted": true, "command": {}}', "NaN is not a finite number"),
        (b'{"t": 1e999, "source": "human", "accepted": true, "command": {}}', "1e999 is not a finite number"),
        (
            b'{"t": "1", "source": "human", "accepted": true, "command": {}}',
            "t: Input should be a valid number",
        ),
        (
            b'{"t": 1, "source": "human", "accepted": 1, "command": {}}',
            "accepted: Input should be a valid boolean",
        ),
        (b'{"t": 1, "source": "a\\u0000b", "accepted": true, "command": {}}', "source holds a NUL character"),
        (b'{"t": 1, "source": "\\ud800", "accepted": true, "command": {}}', "source holds a lone surrogate"),
        (b'{"t": 1, "source": "\xff\xfe", "accepted": true, "command": {}}', "is not UTF-8 text"),
        (b'{"t": 1, "source": "human", "accepted": true, "command": ', "is not valid JSON"),
        (b"[" * 40_000 + b"1" + b"]" * 39_999, "nested more than 32 levels deep"),
        (b"[" + b"[]," * 70_000 + b"[]]", "more than 65,536 objects and lists"),
        (
            b'{"t": 1, "source": "human", "accepted": true, "command": {"kind": "nope"}}',
            "unknown command kind",
        ),
        (b'{"t": 1, "source": "human", "member": 5, "accepted": true, "command": {}}', "no member 5"),
        (b'{"t": 999, "source": "human", "accepted": true, "command": {}}', "after the archive's end"),
    ],
    ids=[
        "nan",
        "overflow",
        "string-time",
        "int-flag",
        "nul",
        "surrogate",
        "not-utf8",
        "truncated",
        "deep",
        "wide",
        "unknown-kind",
        "no-member",
        "after-end",
    ],
)
def test_a_bad_command_line_is_refused_naming_the_line(line: bytes, words: str) -> None:
    message, _peak = refusal(_with_command_line(line))
    assert message.startswith("commands.jsonl line 4"), message
    assert words in message, message


def test_a_command_the_archive_calls_accepted_must_be_accepted_by_the_replay() -> None:
    lines = lines_of(sample_archive(), "commands.jsonl")
    entry = json.loads(lines[-1])
    entry["accepted"] = False
    lines[-1] = json.dumps(entry).encode()
    message, _peak = refusal(rezip(sample_archive(), {"commands.jsonl": b"\n".join(lines)}))
    assert f"commands.jsonl line {len(lines)}: the archive says the command was refused" in message


# --- the event log is checked, event by event -----------------------------------------------------


def test_an_event_changed_in_events_jsonl_is_refused_at_its_seq_though_the_digest_matches() -> None:
    """The manifest's digest is the real one: only the event-by-event check can see the change."""
    lines = lines_of(sample_archive(), "events.jsonl")
    seq = next(i for i, line in enumerate(lines) if b'"unit_price"' in line and i > 10)
    event = json.loads(lines[seq])
    event["unit_price"] = event["unit_price"] - 1
    lines[seq] = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
    message, _peak = refusal(rezip(sample_archive(), {"events.jsonl": b"\n".join(lines) + b"\n"}))
    assert f"part at seq {seq} (line {seq + 1}, quote_sent): unit_price: the archive has" in message, message


def test_an_events_log_cut_short_is_refused_where_the_replay_goes_on() -> None:
    lines = lines_of(sample_archive(), "events.jsonl")
    message, _peak = refusal(rezip(sample_archive(), {"events.jsonl": b"\n".join(lines[:50]) + b"\n"}))
    assert "the replay goes on past the end of events.jsonl: the archive has no event seq 50" in message


def test_a_manifest_whose_digest_is_not_the_events_is_refused() -> None:
    manifest = json.loads(members_of(sample_archive())["manifest.json"])
    manifest["digest"] = "0" * 64
    message, _peak = refusal(rezip(sample_archive(), {"manifest.json": manifest}))
    assert "manifest.json is wrong" in message


def test_a_manifest_whose_time_runs_past_the_events_is_refused_early_in_the_replay() -> None:
    """The replay of a claim to be later than the archive stops at the first event it lacks."""
    manifest = json.loads(members_of(sample_archive())["manifest.json"])
    manifest["t_sim"] = 80.0
    message, _peak = refusal(rezip(sample_archive(), {"manifest.json": manifest}))
    assert "the replay goes on past the end of events.jsonl" in message


# --- the ZIP file itself ----------------------------------------------------------------------------


def test_a_directory_of_many_entries_is_refused_before_zipfile_parses_it() -> None:
    many = zip_of({f"f{i}": b"" for i in range(20_000)}, zipfile.ZIP_STORED)
    message, peak = refusal(many)
    assert "the archive lists 20,000 files" in message, message
    assert peak < 2 * MiB, f"{peak / MiB:.1f} MiB"  # zipfile's ZipInfo objects would take ~10 MiB


def _bzip2(data: bytes) -> bytes:
    return rezip(data, {}, zipfile.ZIP_BZIP2)


def _encrypted(data: bytes) -> bytes:
    return patch_directory(data, "manifest.json", flags=0x1)


def _twice(data: bytes) -> bytes:
    members = members_of(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        for name, content in members.items():
            zf.writestr(name, content)
        zf.writestr("teams.json", b"[]")
    return out.getvalue()


def _overlapping(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        offset = zf.getinfo("events.jsonl").header_offset
    return patch_directory(data, "commands.jsonl", offset=offset)


def _overreaching(data: bytes) -> bytes:
    """commands.jsonl claims compressed data that runs into events.jsonl: the overlap of zip bombs."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        commands, events = zf.getinfo("commands.jsonl"), zf.getinfo("events.jsonl")
    return patch_directory(data, "commands.jsonl", compressed=commands.compress_size + events.compress_size)


def _lying_size(data: bytes) -> bytes:
    return patch_directory(data, "events.jsonl", size=100)


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda d: b"not a zip at all, just text", "this is not a ZIP file"),
        (lambda d: d[: len(d) // 2], "this is not a ZIP file"),
        (_bzip2, "compressed with method 12"),
        (_encrypted, "manifest.json is encrypted"),
        (_twice, "holds teams.json twice"),
        (_overlapping, "two files of the ZIP file start at the same place"),
        (_overreaching, "commands.jsonl overlaps another part"),
        (_lying_size, "events.jsonl is damaged"),
        (lambda d: rezip(d, {"board.json": None}), "the archive has no board.json"),
    ],
    ids=["text", "cut", "bzip2", "encrypted", "twice", "same-start", "overreaching", "lying-size", "missing"],
)
def test_a_zip_no_salesfloor_server_writes_is_refused_saying_why(
    spoil: Callable[[bytes], bytes], words: str
) -> None:
    message, _peak = refusal(spoil(sample_archive()))
    assert words in message, message


# --- documents: their records must be what the server can run ------------------------------------


def _document(name: str, change: Callable[[Any], None]) -> bytes:
    document = json.loads(members_of(sample_archive())[name])
    change(document)
    return rezip(sample_archive(), {name: document})


@pytest.mark.parametrize(
    ("name", "change", "words"),
    [
        ("manifest.json", lambda m: m.update(version=2), "archive version 2 is not supported"),
        ("manifest.json", lambda m: m.update(rounds=0), "manifest.json: rounds: Input should be greater"),
        (
            "manifest.json",
            lambda m: m.update(seed="7"),
            "manifest.json: seed: Input should be a valid integer",
        ),
        ("manifest.json", lambda m: m.update(state="draft"), "manifest.json: state:"),
        ("manifest.json", lambda m: m.update(t_sim=1e6), "is after the last round ends"),
        ("manifest.json", lambda m: m["scoring"].update(normalisation="odd"), "manifest.json: scoring:"),
        ("manifest.json", lambda m: m["scoring"]["weights"].update(luck=1), "manifest.json: scoring:"),
        ("parameters.json", lambda p: p.update(rounds=-1), "parameters.json:"),
        ("teams.json", lambda t: t.append({"name": "T01"}), "two teams called 'T01'"),
        ("teams.json", lambda t: t.append({"name": "<b>"}), "teams.json: [3].name: a team name has"),
        ("teams.json", lambda t: t.extend({"name": f"X{i}"} for i in range(300)), "at most 200 items"),
        ("teams.json", lambda t: t[1].update(bot="genius"), "teams.json: [1].bot: unknown bot 'genius'"),
        (
            "teams.json",
            lambda t: t[1].update(bot="strategy:discount.smb=2"),
            "teams.json: [1].bot: strategy lever discount.smb='2'",
        ),
        ("members.json", lambda m: m[0].update(role="god"), "members.json: [0].role: unknown role 'god'"),
        ("members.json", lambda m: m[0].update(team="T09"), "members.json: [0].team: 'T09' is not a team"),
        ("members.json", lambda m: m[0].update(joined_at=None), "members.json: [0].joined_at:"),
        ("members.json", lambda m: m[0].update(name="x" * 41), "members.json: [0].name:"),
        ("rubric.json", lambda r: r["entries"][0].update(criterion=3), "there is no criterion 3"),
        (
            "rubric.json",
            lambda r: r["entries"][0].update(points=9),
            "9 is more than the criterion's 5 points",
        ),
        ("rubric.json", lambda r: r["entries"][0].update(round="one"), "rubric.json: entries[0].round:"),
        (
            "rubric.json",
            lambda r: r["entries"][0].update(at="yesterday"),
            "'yesterday' is not a date and time",
        ),
        ("board.json", lambda b: b.update(medals={"gold": -1}), "board.json: medals:"),
        ("board.json", lambda b: b.update(medals={"platinum": 1}), "board.json: medals:"),
        ("board.json", lambda b: b.update(reveal="soon"), "board.json: reveal:"),
        ("board.json", lambda b: b.update(freeze_t=1e9), "board.json: freeze_t:"),
    ],
    ids=lambda x: x if isinstance(x, str) and x.endswith(".json") else "",
)
def test_a_record_the_server_could_not_run_is_refused_naming_its_field(
    name: str, change: Callable[[Any], None], words: str
) -> None:
    message, _peak = refusal(_document(name, change))
    assert words in message, message


def test_a_team_played_by_a_point_of_the_strategy_family_is_read_like_one_played_by_a_reference_bot() -> None:
    """Any name a season can be played by (``salesfloor simulate --bots 'strategy:…'``) is a bot
    an archive may name."""
    name = "strategy:discount.smb=0.08;followup=0.25"
    archive = read_archive(io.BytesIO(_document("teams.json", lambda t: t[1].update(bot=name))))
    assert [t.bot for t in archive.documents.teams] == ["balanced", name, "balanced"]


def test_the_running_count_stops_a_member_at_the_chunk_that_passes_a_limit() -> None:
    """The second line of defence, for headers that lie in a way zipfile does not notice: the
    limits are checked again on the bytes actually inflated, chunk by chunk."""
    events = members_of(sample_archive())["events.jsonl"]
    line = lines_of(sample_archive(), "events.jsonl")[-1] + b"\n"
    bomb = rezip(sample_archive(), {"events.jsonl": padded(events, line, 60 * MiB)})
    chunk = ZipLimits().chunk
    compressed = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("events.jsonl").compress_size
    for passed, words, stop in (
        (ZipLimits(max_inflated=3 * MiB), "the archive unpacks to 3", 3 * MiB),
        (ZipLimits(max_ratio=5), "events.jsonl inflates more than 5 times", max(MiB, 5 * compressed)),
    ):
        with BoundedZip(io.BytesIO(bomb), FILES, ZipLimits(max_ratio=10_000)) as archive:
            archive.limits = passed  # as if the headers had said less
            tracemalloc.start()
            try:
                with pytest.raises(ArchiveError, match=words):
                    for _chunk in archive.chunks("events.jsonl"):
                        pass
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        assert stop < archive.inflated <= stop + chunk  # refused at the first chunk past the limit
        assert peak < 1 * MiB, f"{peak / MiB:.1f} MiB"
