"""The team colours (dashboards/static/board/colors.js) as a room sees them: every two colours
stay apart (CIELAB distance) for normal sight and as protan, deutan and tritan viewers see them
(Machado, Oliveira and Fernandes 2009, full severity), and each is legible on the projector's
dark background (contrast ratio). The old palette had a yellow and an orange 2 apart."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np

COLORS = Path(__file__).resolve().parents[2] / "dashboards" / "static" / "board" / "colors.js"
BACKGROUND = "#0b1020"  # board.css --bg
MIN_DISTANCE = 15.0  # ΔE*ab: well apart at a glance (about 2.3 is "just noticeable")
MIN_CONTRAST = 4.5

SIGHT = {
    "normal": np.eye(3),
    "protan": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deutan": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritan": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear(hex_color: str) -> np.ndarray:
    c = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = TO_XYZ @ np.clip(rgb, 0, 1) / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def palette() -> list[str]:
    text = COLORS.read_text(encoding="utf-8")
    block = re.search(r"const PALETTE = \[(.*?)\];", text, re.S)
    assert block, "colors.js defines PALETTE"
    return re.findall(r'"(#[0-9a-fA-F]{6})"', block.group(1))


def test_every_two_team_colours_stay_apart_also_for_colour_blind_viewers() -> None:
    colors = palette()
    assert len(colors) >= 12
    seen = {c: {k: lab(m @ linear(c)) for k, m in SIGHT.items()} for c in colors}
    for a, b in itertools.combinations(colors, 2):
        for sight in SIGHT:
            distance = float(np.linalg.norm(seen[a][sight] - seen[b][sight]))
            assert distance >= MIN_DISTANCE, f"{a} and {b} look alike for {sight} sight (ΔE {distance:.1f})"


def test_every_team_colour_is_legible_on_the_dark_board() -> None:
    def luminance(c: str) -> float:
        return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(c))

    dark = luminance(BACKGROUND)
    for color in palette():
        ratio = (luminance(color) + 0.05) / (dark + 0.05)
        assert ratio >= MIN_CONTRAST, f"{color} on {BACKGROUND}: contrast {ratio:.1f}"
