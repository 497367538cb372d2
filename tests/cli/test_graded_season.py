"""The report's section "A graded season", word for word on made-up seasons: the goal per cell
with ✓/✗, the luck and the needed margin, each bot below 95 % with what fails, and the sentence
that says where the goal is met."""

from __future__ import annotations

from server.cli.graded_season import goal_statement, graded_season_markdown
from simulator.balance import summarise_cell
from tests.simulator.synthetic_cell import made_up_cell, made_up_seasons


def test_the_section_prints_the_goal_the_luck_and_each_bot_it_misses() -> None:
    lines = graded_season_markdown([made_up_cell("classroom", "shared")])
    assert lines[0] == "## A graded season"
    row = "| classroom | shared | 60 % (forgetful) | ✗ | 3.8 | -6.3 | +1.6 ± 1.7 | 3 of 5, level in 1 |"
    assert row in lines
    assert lines[lines.index(row) - 2].startswith(
        "| preset | mode | balanced outranks (lowest) | ≥ 95 % | luck |"
    )
    bullets = [line for line in lines if line.startswith("- ")]
    assert bullets == [
        "- classroom · shared: `forgetful` -0.7 ± 0.6, outranked in 60 % of seasons; needed margin -6.3 — "
        "balance: not below balanced beyond two standard errors.",
        "- classroom · shared: `cod` -15.0 ± 5.0, outranked in 80 % of seasons; needed margin -6.3 — "
        "its own spread: below balanced by at least the needed margin, yet its gap varies more than the "
        "equal teams'.",
        "- classroom · shared: `lavish` -3.0 ± 1.0, outranked in 80 % of seasons; needed margin -6.3 — "
        "luck, not balance: below balanced beyond two standard errors, by less than the needed margin.",
    ]
    assert lines[-2] == (
        "**The goal in classroom:** shared ✗ not met — what fails: balance for `forgetful`; "
        "the bot's own spread for `cod`; luck, not balance, for `lavish`."
    )


def test_a_cell_where_balanced_outranks_every_bot_meets_the_goal() -> None:
    seasons = made_up_seasons()
    met = summarise_cell("classroom", "mirrored", seasons, ["balanced", "dumper", "balanced-twin"])
    missed = summarise_cell("classroom", "shared", seasons, ["balanced", "lavish", "balanced-twin"])
    lines = graded_season_markdown([met, missed])
    assert "| classroom | mirrored | 100 % (dumper) | ✓ |" in "\n".join(lines)
    assert not any(line.startswith("- classroom · mirrored") for line in lines)
    assert goal_statement([missed, met]) == (
        "**The goal in classroom:** shared ✗ not met — what fails: luck, not balance, for `lavish`; "
        "mirrored ✓ met."
    )
    other = summarise_cell("calm", "shared", seasons, ["balanced", "lavish", "balanced-twin"])
    assert goal_statement([other]) == "**The goal in classroom:** not measured in this run."
