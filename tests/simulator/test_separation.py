"""Every weighted column separates active teams (issue 12): in the classroom, in both modes,
each moves the composite between the reference bots by at least a third of what conversion
moves it (bench/separation.py prints every preset)."""

from __future__ import annotations

import pytest

from simulator.separation import spreads
from teams.bots import REFERENCE_LEAGUE
from tests.simulator.seasons import preset


@pytest.mark.parametrize("mode", ["shared", "mirrored"])
def test_each_weighted_column_moves_the_composite_at_least_a_third_as_much_as_conversion(mode: str) -> None:
    found = spreads(preset("classroom", mode=mode), range(4), REFERENCE_LEAGUE)
    assert set(found.by_metric) == {"conversion", "satisfaction", "receivables", "profit"}
    for metric, ratio in found.ratio_to("conversion").items():
        assert ratio >= 1 / 3, (mode, metric, found.by_metric)
