"""Test suite root: make the repository importable however pytest is started, and keep
Hypothesis free of timed assertions.

Hypothesis fails an example that runs longer than its ``deadline`` (200 ms by default); on a
loaded machine a correct example can take longer, so a property test would fail on the
machine's load, not on the code. Speed is measured by the benchmarks in bench/, never by a
test: the profile loaded here turns the deadline off for every property test, including
those whose ``@settings`` do not mention it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import settings

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

settings.register_profile("salesfloor", deadline=None)
settings.load_profile("salesfloor")
