"""`salesfloor search` and `salesfloor balance`: they print and write the report, and refuse
bad input with one line and exit code 2 before any season is played."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.cli import main
from server.cli.balance_figures import needed, pct, pm
from simulator.balance import measure_cell
from simulator.evaluate import cell_parameters

TINY = ["--presets", "classroom", "--modes", "mirrored", "--set", "rounds=2", "--jobs", "1"]
TINY_SEARCH = ["--candidates", "2", "--refine", "1", "--width", "1", "--training-seeds", "1"]


def test_search_prints_the_best_strategy_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "found.json"
    code = main(["search", *TINY, *TINY_SEARCH, "--seeds", "2", "--json", str(out_file)])
    out = capsys.readouterr().out
    assert code == 0
    assert "### classroom · mirrored" in out
    assert "Held-out margin over balanced" in out
    assert "- replies " in out
    (found,) = json.loads(out_file.read_text())
    assert found["strategy"].startswith("strategy:")
    assert found["seasons"] == 2 and found["wins"] <= 2


def test_balance_writes_the_matrix_it_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "balance.md"
    code = main(["balance", *TINY, "--no-search", "--seeds", "2", "--write", str(doc)])
    out = capsys.readouterr().out
    assert code == 0
    text = doc.read_text()
    assert text in out
    assert text.startswith("# Balance")
    command = "salesfloor balance --seeds 2 --presets classroom --modes mirrored --set rounds=2 --no-search"
    assert command in text
    assert "| classroom | mirrored |" in text
    assert "### classroom · mirrored (2 seasons)" in text
    assert "| forgiver |" in text
    # mirrored: the twin meets balanced's customers, so no luck parts them and none is needed
    assert "| one season agrees | balanced outranks (lowest) | luck (equal teams' gap sd) |" in text
    matrix_row = next(line for line in text.splitlines() if line.startswith("| classroom | mirrored | "))
    assert matrix_row.endswith(" | 0.0 |")
    assert "## A graded season" in text
    assert "| 0.0 | 0.0 | +0.0 ± 0.0 | 0 of 2, level in 2 |" in text
    assert "| balanced-twin |" in text
    assert "**The goal in classroom:** mirrored " in text


def test_balance_prints_the_shared_cells_luck_and_its_goal(capsys: pytest.CaptureFixture[str]) -> None:
    """The figures printed are the cell's own: the same seasons measured directly."""
    args = ["--presets", "classroom", "--modes", "shared", "--set", "rounds=2", "--jobs", "1"]
    assert main(["balance", *args, "--no-search", "--seeds", "3"]) == 0
    out = capsys.readouterr().out
    params = cell_parameters("classroom", "shared", [("rounds", 2)])
    cell = measure_cell("classroom", "shared", params, range(3), workers=1)
    assert cell.equal.luck > 0
    matrix_row = next(line for line in out.splitlines() if line.startswith("| classroom | shared | "))
    assert matrix_row.endswith(f" | {cell.equal.luck:.1f} |")
    lowest, share = cell.balanced_share_lowest
    eq = cell.equal
    level = f", level in {eq.level}" if eq.level else ""
    mark = "✓" if cell.meets_goal else "✗"
    graded = (
        f"| classroom | shared | {pct(share)} ({lowest}) | {mark} | {eq.luck:.1f} | "
        f"{needed(eq.needed_margin)} | {pm(eq.gap.mean, eq.gap.se)} | {eq.twin_ahead} of 3{level} |"
    )
    assert graded in out
    for miss in cell.misses:
        assert (
            f"- classroom · shared: `{miss.row.team}` {pm(miss.row.margin.mean, miss.row.margin.se)}, " in out
        )
    assert ("**The goal in classroom:** shared ✓ met." in out) == cell.meets_goal


def test_balance_with_the_search_names_its_best(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["balance", *TINY, *TINY_SEARCH, "--seeds", "2", "--search-seeds", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "| search-best |" in out
    assert "## The search's best strategies" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["balance", "--presets", "nope"], "unknown preset 'nope'; choose from"),
        (["balance", "--modes", "both"], "unknown mode 'both'; choose from shared, mirrored"),
        (["search", "--set", "rounds=0"], "rounds"),
        (["balance", "--seeds", "1"], "1 is out of range; allowed 2 to 10000"),
        (["simulate", "--bots", "strategy:reply=0"], "strategy lever reply='0'"),
        (["simulate", "--bots", "strategy:care=vip"], "segment 'vip'"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse refuses a bad flag value itself
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
