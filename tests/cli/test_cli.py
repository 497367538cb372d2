"""The `salesfloor` command line: tables, files, determinism and one-line errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_prints_a_standings_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "simulate", "--teams", "6", "--rounds", "2", "--seed", "7")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("classroom · shared · rules v5 · 6 teams · 2 rounds · seed 7")
    assert lines[1].split() == [
        "rank",
        "team",
        "bot",
        "composite",
        "conversion",
        "satisfaction",
        "receivables",
        "profit",
    ]
    ranks = [line.split()[0] for line in lines[3:9]]
    assert ranks == ["1", "2", "3", "4", "5", "6"]
    assert "digest" in lines[-1]
    assert err == ""  # no progress bar when stderr is not a terminal


def test_simulate_json_is_complete_and_free_of_wall_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [tmp_path / "a.json", tmp_path / "b.json"]
    for f in files:
        assert (
            run(
                capsys,
                "simulate",
                "--teams",
                "4",
                "--rounds",
                "2",
                "--seed",
                "3",
                "--mode",
                "mirrored",
                "--json",
                str(f),
            )[0]
            == 0
        )
    assert files[0].read_bytes() == files[1].read_bytes()
    data = json.loads(files[0].read_text())
    assert data["seed"] == 3 and data["rounds"] == 2 and len(data["digest"]) == 64
    assert data["parameters"]["mode"] == "mirrored"
    row = data["standings"][0]
    for key in ("rank", "team", "bot", "composite", "conversion", "satisfaction", "receivables"):
        assert key in row
    assert [r["round"] for r in data["per_round"]] == [1, 2]
    assert {t["team"] for t in data["per_round"][0]["teams"]} == {s["team"] for s in data["standings"]}


def test_events_csv_has_a_header_and_one_row_per_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.csv"
    report = tmp_path / "r.json"
    assert (
        run(
            capsys, "simulate", "--teams", "3", "--rounds", "1", "--events", str(path), "--json", str(report)
        )[0]
        == 0
    )
    with path.open() as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["seq", "t", "kind", "team", "data"]
    assert len(rows) - 1 == json.loads(report.read_text())["events"]
    assert [int(r[0]) for r in rows[1:]] == list(range(len(rows) - 1))
    assert rows[1][2] == "team_joined"
    json.loads(rows[1][4])


def test_a_replay_file_replays_to_the_same_digest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "season.json"
    assert run(capsys, "simulate", "--teams", "3", "--rounds", "2", "--commands", str(path))[0] == 0
    code, out, _ = run(capsys, "replay", str(path))
    assert code == 0 and "matches" in out
    data = json.loads(path.read_text())
    data["commands"] = data["commands"][: len(data["commands"]) // 2]
    path.write_text(json.dumps(data))
    code, _, err = run(capsys, "replay", str(path))
    assert code == 2 and "diverged" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "--preset", "nope"], "unknown preset 'nope'"),
        (["simulate", "--set", "segment.smb.share=1.4"], "segments.smb.share: 1.4 is out of range"),
        (["simulate", "--set", "segments.smb.share=0.5"], "shares must add up to 100 %"),
        (["simulate", "--set", "product.colour=red"], "product.colour: unknown parameter"),
        (["simulate", "--set", "nonsense"], "KEY=VALUE"),
        (["simulate", "--bots", "balanced,genius"], "unknown bot 'genius'"),
        (["replay", "/nonexistent/file.json"], "cannot read"),
        (["simulate", "--weights", "bogus=1"], "--weights takes METRIC=NUMBER"),
        (["simulate", "--weights", "profit=-1"], "weights.profit"),
        (["sweep", "--set", "shortlist_size=2,-1", "--seeds", "1"], "shortlist_size: -1 is out of range"),
    ],
)
def test_bad_input_exits_2_with_one_readable_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("salesfloor: error: ")
    assert message in err


@pytest.mark.parametrize(
    "argv", [["simulate", "--teams", "0"], ["simulate", "--rounds", "x"], ["simulate", "--bogus"]]
)
def test_bad_flags_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err


def test_sweep_reports_the_reference_team_per_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "sweep.json"
    code, out, _ = run(
        capsys,
        "sweep",
        "--set",
        "shortlist_size=2,3",
        "--seeds",
        "2",
        "--teams",
        "4",
        "--rounds",
        "2",
        "--jobs",
        "2",
        "--json",
        str(report),
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("shortlist_size · classroom · reference balanced")
    assert [line.split()[0] for line in lines[3:]] == ["2", "3"]
    data = json.loads(report.read_text())
    assert [r["value"] for r in data["results"]] == [2, 3]
    assert set(data["results"][0]) >= {"rank", "composite", "conversion", "satisfaction", "receivables"}
    # the same sweep in one process gives the same numbers: batch results do not depend on workers
    again = tmp_path / "again.json"
    assert (
        run(
            capsys,
            "sweep",
            "--set",
            "shortlist_size=2,3",
            "--seeds",
            "2",
            "--teams",
            "4",
            "--rounds",
            "2",
            "--jobs",
            "1",
            "--json",
            str(again),
        )[0]
        == 0
    )
    assert json.loads(again.read_text()) == data


def test_presets_and_params_list_what_there_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "presets")
    assert code == 0
    for name in ("calm", "classroom", "credit-crunch", "realistic", "rush"):
        assert f"\n{name} " in out
    code, out, _ = run(capsys, "params", "--preset", "realistic")
    assert code == 0
    assert "segments.smb.share" in out and "reply_tau_hours" in out and "0.5" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["bot", "--code", "ABCD2345", "--name", "Jos\udce9"],
            "'Jos\\udce9' is not UTF-8 text (byte 0xe9 at character 4)",
        ),
        (["simulate", "--set", "segments.smb\ud800.share=0.5"], "U+D800 (a lone surrogate) at character 13"),
    ],
)
def test_an_argument_that_is_not_utf8_exits_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The system hands over argument bytes that are not UTF-8 as lone surrogates: refused before
    anything runs, so that none reaches a server, a file or a database (issue 11.1)."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("salesfloor: error: the argument ")
    assert message in err


def test_a_latin1_file_name_from_the_shell_is_refused_in_one_line(tmp_path: Path) -> None:
    out = os.fsencode(tmp_path) + b"/r\xe9sultat.csv"  # typed in a Latin-1 terminal
    database = f"sqlite:///{tmp_path / 'salesfloor.db'}"
    argv = [
        sys.executable,
        "-m",
        "server.cli",
        "export",
        "--database",
        database,
        "--competition",
        "1",
        "--out",
        out,
    ]
    result = subprocess.run(argv, capture_output=True, env={**os.environ, "PYTHONUTF8": "1"}, timeout=120)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.count(b"\n") == 1
    assert b"is not UTF-8 text (byte 0xe9 at character" in result.stderr
    assert not (tmp_path / "salesfloor.db").exists()  # refused before anything ran


def test_serve_with_a_bad_setting_says_which_and_announces_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORWARDS_IN_FLIGHT", "0")
    code, out, err = run(capsys, "serve", "--port", "45999")
    assert code == 2 and out == ""  # no "Salesfloor on …" line above the refusal
    assert err.count("\n") == 1 and "FORWARDS_IN_FLIGHT" in err and "greater than or equal to 1" in err
