"""The equal-teams control: the twin's gap to balanced, the luck and the needed margin, computed
right on made-up seasons; the twin counted in neither *holds* nor *balanced outranks*; and what
fails for each bot balanced outranks in fewer than 95 % of seasons."""

from __future__ import annotations

import math

import pytest

from simulator.luck import TWIN_TEAM, Z_95, equal_teams, meets_goal
from tests.simulator.synthetic_cell import made_up_cell, made_up_seasons


def test_the_twins_gap_its_spread_and_the_needed_margin() -> None:
    equal = equal_teams(made_up_seasons())
    assert equal.gap.values == (2.0, 4.0, 0.0, 6.0, -4.0)
    assert equal.gap.mean == pytest.approx(1.6)
    # squared deviations 0.16 + 5.76 + 2.56 + 19.36 + 31.36 = 59.2, over n − 1 = 4
    assert equal.luck == pytest.approx(math.sqrt(14.8))
    assert equal.gap.se == pytest.approx(math.sqrt(14.8) / math.sqrt(5))
    assert equal.needed_margin == pytest.approx(1.645 * math.sqrt(14.8))
    assert Z_95 == 1.645
    assert equal.twin_ahead == 3  # seasons 0, 1 and 3; in season 2 the two are level
    assert equal.level == 1
    assert equal.seasons == 5


def test_the_goal_is_95_percent_counted_exactly() -> None:
    assert meets_goal(19, 20)
    assert not meets_goal(18, 20)
    assert meets_goal(5, 5)
    assert not meets_goal(94, 99)  # 94.9 % is not 95 %


def test_the_twin_is_in_the_table_but_not_in_holds_agreement_nor_balanced_outranks() -> None:
    cell = made_up_cell()
    assert cell.row(TWIN_TEAM).margin.mean == pytest.approx(1.6)
    assert not cell.row(TWIN_TEAM).degenerate
    # the twin is not below balanced beyond the noise, yet only forgetful keeps the cell from holding
    assert [r.team for r in cell.failing] == ["forgetful"]
    # balanced outranks the twin in 2 of 5 seasons, forgetful in 3 of 5: the lowest is forgetful's
    assert cell.balanced_share_lowest == ("forgetful", 0.6)
    assert all(TWIN_TEAM not in (p.first, p.second) for p in cell.pairs)
    assert cell.equal == equal_teams(made_up_seasons())


def test_each_bot_below_the_goal_is_named_with_what_fails() -> None:
    cell = made_up_cell()
    misses = [(m.row.team, m.share, m.cause) for m in cell.misses]
    assert misses == [
        ("forgetful", 0.6, "balance"),  # −0.7 ± 0.62 is within two standard errors
        ("cod", 0.8, "spread"),  # −15.0 is past the needed −6.3, but its gap varies more
        ("lavish", 0.8, "luck"),  # −3.0 ± 1.05 is below beyond the noise, short of −6.3
    ]
    assert not cell.meets_goal
    assert "dumper" not in {m.row.team for m in cell.misses}  # outranked in 5 of 5
