"""A balance cell built from five made-up seasons, for tests of its luck and goal figures.

``balanced`` scores 50 in every season; every other team scores 50 plus its margin below.
"""

from __future__ import annotations

from simulator.balance import Cell, summarise_cell
from simulator.evaluate import Season
from simulator.luck import TWIN_TEAM

MARGINS: dict[str, tuple[float, ...]] = {
    TWIN_TEAM: (2.0, 4.0, 0.0, 6.0, -4.0),  # ahead in 3, level in 1; mean +1.6, sd √14.8
    "lavish": (-5.0, -4.0, -3.0, 1.0, -4.0),  # −3.0 ± 1.05: below beyond the noise, outranked in 4 of 5
    "cod": (-20.0, -20.0, -20.0, -20.0, 5.0),  # −15.0 ± 5.0: far below, but wild; outranked in 4 of 5
    "forgetful": (1.0, -1.0, -2.0, -2.0, 0.5),  # −0.7 ± 0.62: within the noise; outranked in 3 of 5
    "dumper": (-10.0, -12.0, -8.0, -11.0, -9.0),  # outranked in every season
}


def made_up_seasons() -> list[Season]:
    seasons = []
    for i in range(5):
        composite = {"balanced": 50.0, **{team: 50.0 + m[i] for team, m in MARGINS.items()}}
        ranked = sorted(composite, key=lambda t: -composite[t])  # a tie keeps balanced first
        seasons.append(Season(i, composite, {t: r + 1 for r, t in enumerate(ranked)}))
    return seasons


def made_up_cell(preset: str = "classroom", mode: str = "shared") -> Cell:
    return summarise_cell(preset, mode, made_up_seasons(), ["balanced", *MARGINS])
