"""Measurement: how far each weighted column moves the composite between active teams.

For every shipped preset in both modes, plays seeded seasons of the reference league and prints
per weighted metric the mean spread (max − min over the active teams of w·m ÷ Σw, composite
points) and its ratio to conversion's. Issue 12 asks for every ratio ≥ 1/3. Run with
``python bench/separation.py [--seeds N] [--preset NAME]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market.presets import load_preset, preset_names
from simulator.separation import spreads
from teams.bots import REFERENCE_LEAGUE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6, help="seasons per preset and mode (default 6)")
    parser.add_argument("--preset", action="append", help="only this preset (repeatable)")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    names = args.preset or preset_names()
    print(f"{'preset':14s} {'mode':9s} {'metric':13s} {'spread':>7s} {'÷ conv':>7s}")
    for name in names:
        for mode in ("shared", "mirrored"):
            params = dataclasses.replace(load_preset(name), mode=mode)
            found = spreads(params, range(args.seeds), REFERENCE_LEAGUE)
            ratios = found.ratio_to("conversion")
            for metric, value in found.by_metric.items():
                print(f"{name:14s} {mode:9s} {metric:13s} {value:7.2f} {ratios[metric]:7.2f}")


if __name__ == "__main__":
    main()
