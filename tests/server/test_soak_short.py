"""A short soak in CI: two compressed rounds of bench/soak.py must finish with every check passing.

The soak plays a live class on a real server (house bots, remote bots over HTTP, members
polling, public-board viewers that come and go) and then checks that the digest and the
standings equal an offline replay of the command log, that every viewer saw every ticker
item a steady viewer saw, and that neither the clients nor the server log saw an error. The
full class hour is ``python bench/soak.py``; this runs a small one so CI keeps the checks true.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_soak_passes_every_check() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "soak.py"),
        *(
            "--rounds",
            "2",
            "--house",
            "3",
            "--remote",
            "2",
            "--viewers",
            "8",
            "--seconds-per-hour",
            "0.15",
            "--linger",
            "2",
        ),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "digest equal to the fast-forward replay: yes" in done.stdout
    assert "standings equal to the replay's: yes" in done.stdout
    assert "client-side errors: 0; server log errors: 0" in done.stdout
